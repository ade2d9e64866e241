using System.Globalization;
using Whop.Inbox.Common;
using Whop.Inbox.Files;

namespace Whop.Inbox.Admission;

/// <summary>
/// Admits each API request whole, or refuses it at once with 503 and <c>Retry-After</c>; other
/// requests (pages, sign-in, and the files' uploads and downloads) have each of their connections admitted for their caller. The hub
/// admits each call (<see cref="HubAdmission"/>) and the circuits each click (<see cref="CircuitAdmission"/>):
/// their connections last for hours.
/// </summary>
internal sealed class AdmissionMiddleware(RequestDelegate next, DatabaseAdmission admission)
{
    public const string BlazorHubPath = "/_blazor";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        // Files move at the client's pace: a 25 MB upload admitted whole would hold its place for as long as
        // its bytes take to arrive, with no database work. Its connections are admitted instead, as a page's.
        if (path.StartsWithSegments(ApiSetup.BasePath) && !path.StartsWithSegments(FilesApi.Path))
        {
            using var admitted = admission.TryAdmit(Callers.Of(context));
            if (admitted is null)
            {
                await RefuseAsync(context, admission.RetryAfterSeconds);
                return;
            }
            await next(context);
            return;
        }
        if (!path.StartsWithSegments("/hubs") && !path.StartsWithSegments(BlazorHubPath)) DatabaseAdmission.ActFor(Callers.Of(context));
        await next(context);
    }

    /// <summary>503 with <c>Retry-After</c> and the API's problem body: the same answer whichever part of the app refused.</summary>
    public static Task RefuseAsync(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status503ServiceUnavailable, DatabaseBusyException.MessageFor(retryAfterSeconds)).ExecuteAsync(context);
    }
}
