using Microsoft.EntityFrameworkCore;
using Npgsql;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Data.Postgres;

/// <summary>
/// This instance's ear on PostgreSQL: one connection that <c>LISTEN</c>s for the events every
/// instance writes (its own included) and hands each to <see cref="ChatEventDispatcher"/> in the
/// order PostgreSQL delivered them (commit order). When the connection drops it reconnects, and
/// subscribers catch up on what the gap hid. It also hears who is viewing which chat on other instances, revoked API keys and closes the hub
/// connections they opened here, new API keys, and people whose standing changed (their subscriptions are asked
/// again). While it cannot reach the database, the pages say so (<see cref="Common.DatabaseStatus"/>).
/// </summary>
internal sealed partial class PostgresEventListener(
    IDbContextFactory<InboxDbContext> contexts,
    ChatEventQueue queue,
    ChatNotifier notifier,
    HubConnections hubConnections,
    ApiKeyDirectory apiKeys,
    Support.WhoIsHere.ChatViewers viewers,
    Common.DatabaseStatus database,
    ILogger<PostgresEventListener> logger) : BackgroundService
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override async Task StartAsync(CancellationToken ct)
    {
        await base.StartAsync(ct);
        // The app counts as started only once it listens: nothing committed after start-up can slip past it.
        await _listening.Task.WaitAsync(StartTimeout, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
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
                    if (e.Channel == PostgresDialect.RevokedKeysChannel)
                    {
                        apiKeys.HeardRevoked(e.Payload);
                        hubConnections.CloseAll(e.Payload);
                    }
                    else if (e.Channel == PostgresDialect.CreatedKeysChannel) apiKeys.HeardCreated(e.Payload);
                    else if (e.Channel == PostgresDialect.AccessChangedChannel) queue.Enqueue(new AccessChanged(e.Payload));
                    else if (e.Channel == PostgresDialect.ViewersChannel) viewers.Heard(e.Payload);
                    else queue.Enqueue(e.Payload);
                };
                await connection.OpenAsync(stop);
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresDialect.EventsChannel}; LISTEN {PostgresDialect.RevokedKeysChannel}; LISTEN {PostgresDialect.CreatedKeysChannel}; LISTEN {PostgresDialect.AccessChangedChannel}; LISTEN {PostgresDialect.ViewersChannel}", connection))
                    await listen.ExecuteNonQueryAsync(stop);
                LogListening(PostgresDialect.EventsChannel);
                if (lost)
                {
                    notifier.Recover();
                    // Keys made or revoked elsewhere while it could not hear: read them all again.
                    apiKeys.Refresh();
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
}
