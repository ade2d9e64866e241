using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// The REST API's per-credential limit (<see cref="RateLimitOptions"/>), for hub calls: an open
/// connection must not be a way around it. A refused call fails with
/// <c>rate_limited: … retry after N s</c>; the connection stays open.
/// </summary>
internal sealed class HubRateLimit(IOptions<RateLimitOptions> options) : IHubFilter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(credential =>
        options.Value.RequestsPerSecond == 0
            ? RateLimitPartition.GetNoLimiter(credential)
            : RateLimitPartition.GetTokenBucketLimiter(credential, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.Value.Burst,
                TokensPerPeriod = options.Value.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var lease = _limiter.AttemptAcquire(PartitionOf(Actor.From(invocation.Context.User!), invocation.Context.ConnectionId));
        if (!lease.IsAcquired)
        {
            var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            throw new HubException($"rate_limited: Too many requests from this credential; retry after {seconds} s.");
        }
        return await next(invocation);
    }

    /// <summary>As for the REST API: one bucket per API key, per user (whatever token they use), else per connection.</summary>
    private static string PartitionOf(Actor actor, string connectionId) =>
        actor.ApiKeyId is { } key && actor.Credential == Credential.ApiKey ? $"key:{key}"
        : actor.UserId is { } user ? $"user:{user}"
        : $"connection:{connectionId}";

    public void Dispose() => _limiter.Dispose();
}
