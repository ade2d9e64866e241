using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Common;

/// <summary><c>Inbox:RateLimit</c>: a token bucket per credential (API key, or the user behind a token).</summary>
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
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Problem(StatusCodes.Status429TooManyRequests,
                    $"Too many requests from this credential; retry after {seconds} s.").ExecuteAsync(context.HttpContext);
            };
            limiter.AddPolicy(ApiPolicy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                if (options.RequestsPerSecond == 0) return RateLimitPartition.GetNoLimiter("off");
                return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = options.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return builder;
    }

    /// <summary>One bucket per API key, per user (whatever token they use), else per address.</summary>
    private static string PartitionOf(HttpContext context)
    {
        var user = context.User;
        return user.FindFirstValue(InboxClaims.ApiKeyId) is { } key ? $"key:{key}"
            : user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id ? $"user:{id}"
            : $"ip:{context.Connection.RemoteIpAddress}";
    }
}
