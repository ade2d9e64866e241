using Microsoft.AspNetCore.SignalR;
using Whop.Inbox.Common;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// A hub call that fails because the database is unavailable answers
/// <c>unavailable: … retry in N s</c> (or busy, <c>busy: … retry in N s</c>), not a bare server error,
/// and the connection stays open.
/// </summary>
internal sealed class HubOutage(DatabaseStatus database) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocation);
        }
        catch (Exception e) when (e is not HubException && database.Report(e))
        {
            throw new HubException(Data.DatabaseFaults.Busy(e) is { } busy
                ? $"busy: {busy.Message}"
                : $"unavailable: The database is not available right now; retry in {DatabaseStatus.RetryAfterSeconds} s.");
        }
    }
}
