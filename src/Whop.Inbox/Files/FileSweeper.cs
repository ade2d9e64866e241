using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Files;

/// <summary>
/// Removes, every ten minutes, the uploads nobody attached within <see cref="FilesOptions.UnattachedLifetime"/>,
/// the files of messages that are gone (deleted, or their conversation deleted), and uploads left incomplete
/// for an hour (their instance stopped while writing them); their chunks go by cascade.
/// </summary>
public sealed partial class FileSweeper(
    IDbContextFactory<InboxDbContext> contexts,
    IOptions<FilesOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<FileSweeper> logger) : PeriodicRounds(lifetime, clock)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(10);

    /// <summary>Far longer than any upload takes to write: one still being written elsewhere is not touched.</summary>
    private static readonly TimeSpan IncompleteLifetime = TimeSpan.FromHours(1);

    /// <summary>One round: how many files went.</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var cutoff = Clock.GetUtcNow() - options.Value.UnattachedLifetime;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var unattached = await db.Files.Where(f => f.MessageId == null && f.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        var abandoned = Clock.GetUtcNow() - IncompleteLifetime;
        unattached += await db.Files.Where(f => !f.IsComplete && f.CreatedAt < abandoned).ExecuteDeleteAsync(ct);
        var orphaned = await db.Files
            .Where(f => f.MessageId != null && !db.Messages.Any(m => m.Id == f.MessageId && m.DeletedAt == null))
            .ExecuteDeleteAsync(ct);
        return unattached + orphaned;
    }

    protected override async Task RoundAsync(CancellationToken stop)
    {
        if (await SweepAsync(stop) is > 0 and var removed) LogSwept(removed);
    }

    // The next round tries again: a file that stays ten minutes longer harms no one.
    protected override void RoundFailed(Exception e) => LogSweepFailed(e);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} unattached or orphaned files")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing unattached files failed; trying again in ten minutes")]
    private partial void LogSweepFailed(Exception exception);
}
