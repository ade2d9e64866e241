using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.ApiKeys;
using Queue = System.Threading.Channels.Channel;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// This instance's ear on the database: one connection that <c>LISTEN</c>s for the events every
/// instance writes (its own included), loads those that travel by reference, and hands each to
/// <see cref="ChatNotifier"/> in the order PostgreSQL delivered them (commit order). When the
/// connection drops it reconnects, and subscribers catch up on what the gap hid. It also hears
/// revoked API keys and closes the hub connections they opened here, and people whose standing changed
/// (their subscriptions are asked again).
/// </summary>
internal sealed partial class ChatEventListener(
    IDbContextFactory<InboxDbContext> contexts,
    ChatEventLog log,
    ChatNotifier notifier,
    HubConnections hubConnections,
    Common.DatabaseStatus database,
    ILogger<ChatEventListener> logger) : BackgroundService
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Threading.Channels.Channel<string> _received =
        Queue.CreateUnbounded<string>(new() { SingleReader = true, SingleWriter = true });

    public override async Task StartAsync(CancellationToken ct)
    {
        await base.StartAsync(ct);
        // The app counts as started only once it listens: nothing committed after start-up can slip past it.
        await _listening.Task.WaitAsync(StartTimeout, ct);
    }

    protected override Task ExecuteAsync(CancellationToken stop) => Task.WhenAll(ListenAsync(stop), DispatchAsync(stop));

    private async Task ListenAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromSeconds(1);
        var lost = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString());
                connection.Notification += (_, e) =>
                {
                    if (e.Channel == ApiKeyService.RevokedKeysChannel) hubConnections.CloseAll(e.Payload);
                    else if (e.Channel == ChatEventLog.AccessChangedChannel) notifier.Recheck(e.Payload);
                    else _received.Writer.TryWrite(e.Payload);
                };
                await connection.OpenAsync(stop);
                await using (var listen = new NpgsqlCommand($"LISTEN {ChatEventLog.NotifyChannel}; LISTEN {ApiKeyService.RevokedKeysChannel}; LISTEN {ChatEventLog.AccessChangedChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                LogListening(ChatEventLog.NotifyChannel);
                if (lost)
                {
                    notifier.Recover();
                    database.ReportAvailable();
                }
                (lost, delay) = (false, TimeSpan.FromSeconds(1));
                _listening.TrySetResult();
                while (true) await connection.WaitAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lost = true;
                database.Report(e);
                LogListenerLost(e, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    private async Task DispatchAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var payload in _received.Reader.ReadAllAsync(stop))
            {
                try
                {
                    if (await ReadAsync(payload, stop) is { } evt) notifier.Dispatch(evt);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUnreadableNotification(e, payload.Length > 200 ? payload[..200] : payload);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<ChatEvent?> ReadAsync(string payload, CancellationToken ct)
    {
        if (!payload.StartsWith("""{"ref":true""", StringComparison.Ordinal)) return ChatJson.Deserialize(payload);
        using var reference = JsonDocument.Parse(payload);
        var channelId = reference.RootElement.GetProperty("channel_id").GetString()!;
        var position = reference.RootElement.GetProperty("position").GetInt64();
        return await log.FindAsync(channelId, position, ct);
    }

    private string ConnectionString()
    {
        using var db = contexts.CreateDbContext();
        // Its own connection, outside the pool, with keepalives so a dead server is noticed while idle.
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false, KeepAlive = 15 }.ConnectionString;
    }

    [LoggerMessage(LogLevel.Information, "Listening for real-time events on {NotifyChannel}")]
    private partial void LogListening(string notifyChannel);

    [LoggerMessage(LogLevel.Warning, "Lost the real-time event listener; reconnecting in {DelaySeconds} s, then subscribers catch up")]
    private partial void LogListenerLost(Exception exception, double delaySeconds);

    [LoggerMessage(LogLevel.Error, "Could not read a real-time notification: {Payload}")]
    private partial void LogUnreadableNotification(Exception exception, string payload);
}
