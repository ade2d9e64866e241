using System.Data.Common;
using Whop.Inbox.Benchmarks.Data;

namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// The most the database server held for the app while a step ran, sampled every 250 ms: its connections (every instance's
/// pool and listener), of them the most not idle at once (running a statement, or inside a transaction), and the share of
/// <c>NOTIFY</c>'s one queue in use (<c>pg_notification_queue_usage()</c>, 0 to 1 of its 8 GB).
/// </summary>
public sealed record ServerLoad(int Connections, int BusyConnections, double NotifyQueueUsage);

/// <summary>Samples <see cref="ServerLoad"/> on a connection of its own until stopped; nothing on a database without a server.</summary>
public sealed class ServerLoadSampler : IAsyncDisposable
{
    private readonly DbConnection _db;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections, _busy;
    private double _queue;

    private ServerLoadSampler(DbConnection db, string sql)
    {
        _db = db;
        _loop = Task.Run(() => LoopAsync(sql));
    }

    public static async Task<ServerLoadSampler?> StartAsync(BenchStore store) =>
        store.ServerLoadSql is { } sql ? new ServerLoadSampler(await store.OpenAsync(), sql) : null;

    private async Task LoopAsync(string sql)
    {
        await using var command = _db.CreateCommand();
        command.CommandText = sql;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                _connections = Math.Max(_connections, Convert.ToInt32(reader.GetValue(0)));
                _busy = Math.Max(_busy, Convert.ToInt32(reader.GetValue(1)));
                _queue = Math.Max(_queue, Convert.ToDouble(reader.GetValue(2)));
            }
            catch (DbException)
            {
                // A failed sample leaves the ones before it (and the step's other figures).
                return;
            }
            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        }
    }

    public async Task<ServerLoad> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        return new ServerLoad(_connections, _busy, _queue);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        await _db.DisposeAsync();
    }
}
