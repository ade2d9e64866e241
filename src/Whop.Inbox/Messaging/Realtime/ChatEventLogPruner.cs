using Microsoft.Extensions.Options;
using Whop.Inbox.Common;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Keeps the event log to its retention period (<see cref="InboxOptions.EventRetention"/>): once an
/// hour, events older than that go, except each chat's latest. Messages themselves are never touched;
/// the log only serves clients catching up after a disconnection.
/// </summary>
internal sealed partial class ChatEventLogPruner(
    ChatEventLog log,
    IOptions<InboxOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ChatEventLogPruner> logger) : PeriodicRounds(lifetime, clock)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromHours(1);

    protected override async Task RoundAsync(CancellationToken stop)
    {
        var deleted = await log.PruneAsync(Clock.GetUtcNow() - options.Value.EventRetention, ct: stop);
        if (deleted > 0) LogPruned(deleted, options.Value.EventRetention.TotalDays);
    }

    // The next round tries again; a log that is a little longer for an hour harms no one.
    protected override void RoundFailed(Exception e) => LogPruneFailed(e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} events older than {Days} days from the event log")]
    private partial void LogPruned(int count, double days);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the event log failed; trying again in an hour")]
    private partial void LogPruneFailed(Exception exception);
}
