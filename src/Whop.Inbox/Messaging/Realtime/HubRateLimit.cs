using System.Globalization;
using Microsoft.AspNetCore.SignalR;
using Whop.Inbox.Common;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Hub calls draw on the same per-credential bucket as the REST API (<see cref="CredentialBuckets"/>):
/// an open connection must not be a way around it. A refused call fails with
/// <c>rate_limited: … retry after N s</c>; the connection stays open.
/// </summary>
internal sealed class HubRateLimit(CredentialBuckets buckets, Observability.InboxMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var credential = Admission.Callers.Of(invocation.Context.User!, $"connection:{invocation.Context.ConnectionId}").Partition;
        using (var lease = buckets.Take(credential))
        {
            if (!lease.IsAcquired)
            {
                metrics.RateLimited("hub");
                var seconds = CredentialBuckets.RetryAfterSeconds(lease).ToString(CultureInfo.InvariantCulture);
                throw new HubException($"rate_limited: Too many requests from this credential; retry after {seconds} s.");
            }
        }
        return await next(invocation);
    }
}
