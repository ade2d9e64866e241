using Microsoft.Extensions.Options;
using Whop.Inbox.Common;

namespace Whop.Inbox.Support.Snooze;

/// <summary>
/// Wakes snoozed chats when their time comes. Every <see cref="SnoozeOptions.WakeInterval"/> (and once the app has
/// started, so a snooze that came due while no instance ran wakes then) it reads the due snoozes through the
/// index on the wake-up time and wakes each in its own write, which asks again under the chat's lock whether
/// it still sleeps until that time: with several instances on one database each chat wakes exactly once.
/// </summary>
internal sealed partial class SnoozeWaker(
    Snoozes snoozes,
    IOptions<SnoozeOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<SnoozeWaker> logger) : PeriodicRounds(lifetime, clock)
{
    /// <summary>How many due snoozes one read takes; a longer queue is read again at once.</summary>
    private const int Batch = 100;

    protected override TimeSpan Interval => options.Value.WakeInterval;

    protected override Task RoundAsync(CancellationToken stop) => WakeDueAsync(stop);

    // The next round tries again: a chat wakes a little late rather than never.
    protected override void RoundFailed(Exception e) => LogWakeFailed(e);

    /// <summary>Wakes every snooze that is due now; what another instance woke meanwhile is skipped.</summary>
    internal async Task WakeDueAsync(CancellationToken ct)
    {
        while (true)
        {
            var due = await snoozes.DueAsync(Batch, ct);
            var woke = 0;
            foreach (var (chatId, until) in due)
            {
                if (await snoozes.WakeIfDueAsync(chatId, until, ct)) woke++;
            }
            // A full batch another instance woke first: the next read finds what is left.
            if (due.Count < Batch || woke == 0) return;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waking snoozed chats failed; trying again at the next interval")]
    private partial void LogWakeFailed(Exception exception);
}
