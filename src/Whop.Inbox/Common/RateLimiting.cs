using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Whop.Inbox.Admission;

namespace Whop.Inbox.Common;

/// <summary><c>Inbox:RateLimit</c>: a token bucket per caller (<see cref="Callers"/>: an API key, a person, else an address).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Inbox:RateLimit";

    /// <summary>Sustained requests per second per credential; 0 turns limiting off.</summary>
    [Range(0, 100_000)] public int RequestsPerSecond { get; set; } = 50;

    /// <summary>How many requests may come at once before the sustained rate applies.</summary>
    [Range(1, 1_000_000)] public int Burst { get; set; } = 200;
}

public static class RateLimiting
{
    public const string ApiPolicy = "api";

    public static IHostApplicationBuilder AddInboxRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CredentialBuckets>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var seconds = CredentialBuckets.RetryAfterSeconds(context.Lease);
                context.HttpContext.RequestServices.GetRequiredService<Observability.InboxMetrics>().RateLimited("api");
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests,
                    $"Too many requests from this credential; retry after {seconds} s.").ExecuteAsync(context.HttpContext);
            };
            // The middleware keeps a limiter per partition; each one draws on the credential's one bucket,
            // which the hub draws on too.
            limiter.AddPolicy(ApiPolicy, context =>
            {
                var buckets = context.RequestServices.GetRequiredService<CredentialBuckets>();
                // The credential is known from memory by now (IdentitySetup.UseApiCredentials); none: the address.
                var credential = Callers.Of(context).Partition;
                return RateLimitPartition.Get(credential, key => buckets.For(key));
            });
        });
        return builder;
    }
}

/// <summary>
/// One token bucket per credential (<see cref="RateLimitOptions"/>), shared by the REST API and the
/// hub, so an open hub connection is no way around a used-up allowance, nor the other way round.
/// </summary>
public sealed class CredentialBuckets(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets = PartitionedRateLimiter.Create<string, string>(credential =>
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

    /// <summary>Takes one request's token from the credential's bucket.</summary>
    public RateLimitLease Take(string credential) => _buckets.AttemptAcquire(credential);

    /// <summary>The credential's bucket as a limiter of its own, for the rate-limiting middleware.</summary>
    internal RateLimiter For(string credential) => new BucketView(_buckets, credential);

    public static int RetryAfterSeconds(RateLimitLease lease)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        return Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
    }

    public void Dispose() => _buckets.Dispose();

    /// <summary>A window on one partition of the shared buckets; disposing it leaves the bucket alone.</summary>
    private sealed class BucketView(PartitionedRateLimiter<string> buckets, string credential) : RateLimiter
    {
        private long _lastUsed = Environment.TickCount64;

        public override TimeSpan? IdleDuration => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsed));

        public override RateLimiterStatistics? GetStatistics() => buckets.GetStatistics(credential);

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);
            return buckets.AttemptAcquire(credential, permitCount);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken ct)
        {
            Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);
            return buckets.AcquireAsync(credential, permitCount, ct);
        }
    }
}
