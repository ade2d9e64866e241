using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Whop.Inbox.Identity.Account;

/// <summary><c>Inbox:SignIn</c>: how many failed sign-ins one client address may make in a window.</summary>
public sealed class SignInLimitOptions
{
    public const string Section = "Inbox:SignIn";

    /// <summary>Failed sign-ins allowed per client address per <see cref="Window"/>; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)] public int FailuresPerAddress { get; set; } = 20;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The sign-in form's limit per client address, beside Identity's lockout per account (five wrong
/// passwords lock an account for five minutes): one address trying a few passwords on each of many
/// accounts is stopped too. Once an address has used up its failures, it cannot sign in (not even
/// with a right password) until the window passes. The address is the connection's: behind a
/// proxy, configure forwarded headers so it is the client's.
/// </summary>
public sealed partial class SignInThrottle(IOptions<SignInLimitOptions> options, ILogger<SignInThrottle> logger) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(address =>
        options.Value.FailuresPerAddress == 0
            ? RateLimitPartition.GetNoLimiter(address)
            : RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.FailuresPerAddress,
                Window = options.Value.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    public bool IsBlocked(IPAddress? address) =>
        options.Value.FailuresPerAddress > 0 && _failures.GetStatistics(Key(address))?.CurrentAvailablePermits <= 0;

    public void RecordFailure(IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire(Key(address));
        if (!lease.IsAcquired || IsBlocked(address)) LogBlocked(Key(address), options.Value.FailuresPerAddress, options.Value.Window);
    }

    private static string Key(IPAddress? address) => address?.ToString() ?? "unknown";

    public void Dispose() => _failures.Dispose();

    [LoggerMessage(LogLevel.Warning, "Sign-in from {Address} is blocked: {Failures} failed attempts within {Window}")]
    private partial void LogBlocked(string address, int failures, TimeSpan window);
}
