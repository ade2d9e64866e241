using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>
/// Keeps <see cref="ApiKeyDirectory"/>: reads the keys at start, so that even the first request with a
/// made-up key costs no database work, and writes when each key was last used, every half minute and
/// once more at shutdown, so that authenticating a request never waits for a write.
/// </summary>
internal sealed partial class ApiKeyUpkeep(
    ApiKeyDirectory directory, IDbContextFactory<InboxDbContext> contexts, ILogger<ApiKeyUpkeep> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken ct)
    {
        try
        {
            await directory.ReadAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The first request reads them instead.
            LogReadFailed(e);
        }
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop)) await WriteAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        await WriteAsync(ct);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        var uses = directory.TakeUsage();
        if (uses.Count == 0) return;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            foreach (var (keyId, at) in uses)
            {
                // Never back in time: another instance may have written a later use.
                await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < at))
                    .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A last-used time is a hint for the admins' key list; the next use is noted again.
            LogWriteFailed(e, uses.Count);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reading the API keys at start failed; the first request reads them")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Writing when {Count} API keys were last used failed")]
    private partial void LogWriteFailed(Exception exception, int count);
}
