using System.Security.Claims;
using Microsoft.Extensions.Options;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Common;

/// <summary>
/// <c>GET /diagnostics/memory</c>: the process's resident memory and the managed heap, for the
/// benchmarks' memory-per-connection figures. Mapped only when <see cref="InboxOptions.MemoryDiagnostics"/>
/// is on, and answered only to an API key (the company's backend), since <c>?collect=true</c> runs a
/// full blocking garbage collection.
/// </summary>
public static class MemoryDiagnostics
{
    public const string Path = "/diagnostics/memory";

    public sealed record MemoryResponse(long WorkingSetBytes, long ManagedHeapBytes, long GcHeapSizeBytes, long GcCommittedBytes,
        int Gen0Collections, int Gen1Collections, int Gen2Collections);

    public static IEndpointRouteBuilder MapMemoryDiagnostics(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<IOptions<InboxOptions>>().Value.MemoryDiagnostics) return app;
        app.MapGet(Path, (ClaimsPrincipal user, bool? collect) =>
            {
                // A problem, not Forbid(): that would send the cookie scheme's redirect to the sign-in pages.
                if (Actor.From(user).Credential != Credential.ApiKey)
                    return (IResult)ApiProblems.Problem(StatusCodes.Status403Forbidden, "Only an API key may read the memory figures.");
                if (collect == true)
                {
                    // Compacting and twice, so finalised objects are gone too: a baseline that is comparable run to run.
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                    GC.WaitForPendingFinalizers();
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                }
                var info = GC.GetGCMemoryInfo();
                return Results.Ok(new MemoryResponse(Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false),
                    info.HeapSizeBytes, info.TotalCommittedBytes, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)));
            })
            .RequireAuthorization(IdentitySetup.ApiCaller)
            .ExcludeFromDescription();
        return app;
    }
}
