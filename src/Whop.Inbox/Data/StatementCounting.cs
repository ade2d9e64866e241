using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Data;

/// <summary>
/// Counts the SQL statements the app sends to its database, so the benchmarks can print them beside the times and an
/// N+1 shows as a number. On only with <see cref="InboxOptions.StatementDiagnostics"/>: every response
/// then says how many statements its request made (<see cref="Header"/>, authentication included), and
/// <c>GET /diagnostics/statements</c> (API keys only) gives the app's running total, which the
/// benchmarks divide by the messages sent over a delivery step.
/// </summary>
public static class StatementCounting
{
    public const string Header = "Inbox-Statements";
    public const string Path = "/diagnostics/statements";

    public sealed record StatementsResponse(long Total);

    public static bool IsOn(IConfiguration configuration) =>
        configuration.GetValue<bool>($"{InboxOptions.Section}:{nameof(InboxOptions.StatementDiagnostics)}");

    /// <summary>Before authentication, so the statements that check a credential count for the request.</summary>
    public static IApplicationBuilder UseStatementCounting(this WebApplication app)
    {
        if (!IsOn(app.Configuration)) return app;
        return app.Use(async (context, next) =>
        {
            var request = StatementCounter.BeginRequest();
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = request.Count.ToString(CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
            await next(context);
        });
    }

    public static IEndpointRouteBuilder MapStatementDiagnostics(this IEndpointRouteBuilder app)
    {
        if (!IsOn(app.ServiceProvider.GetRequiredService<IConfiguration>())) return app;
        // Less this request's own (its credential check), so that reading the total does not move it.
        // A problem, not Forbid(): that would send the cookie scheme's redirect to the sign-in pages.
        app.MapGet(Path, (Actor actor, StatementCounter counter) => actor.Credential == Credential.ApiKey
                ? Results.Ok(new StatementsResponse(counter.Total - StatementCounter.CurrentRequest))
                : ApiProblems.Problem(StatusCodes.Status403Forbidden, "Only an API key may read the statement count."))
            .RequireAuthorization(IdentitySetup.ApiCaller)
            .ExcludeFromDescription();
        return app;
    }
}

/// <summary>
/// The counting itself: every command sent to the database (EF Core's queries and saves, and the
/// dialects' hand-written SQL) adds one to the app's total and to the request it runs for, if any (an
/// async-local count, so concurrent requests do not mix). Transactions' BEGIN and COMMIT and the
/// per-connection PRAGMAs are not counted.
/// </summary>
public sealed class StatementCounter : DbCommandInterceptor
{
    public sealed class RequestCount
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        internal void Add() => Interlocked.Increment(ref _count);
    }

    private static readonly AsyncLocal<RequestCount?> Request = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>The statements made so far for the request this code runs for (0 outside one).</summary>
    public static int CurrentRequest => Request.Value?.Count ?? 0;

    public static RequestCount BeginRequest() => Request.Value = new RequestCount();

    /// <summary>The counter among <paramref name="db"/>'s interceptors, when counting is on.</summary>
    public static StatementCounter? Of(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<StatementCounter>().FirstOrDefault();

    /// <summary>One statement sent to the database; the interceptor's methods call it, hand-written SQL on EF's connection too.</summary>
    public void Count()
    {
        Interlocked.Increment(ref _total);
        Request.Value?.Add();
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }
}
