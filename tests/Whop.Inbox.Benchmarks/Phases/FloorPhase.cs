using System.Data.Common;
using System.Diagnostics;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Hub;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// What the machine itself allows, measured in the same run as everything else: an HTTP round trip
/// that does no work (a static file), a hub round trip that does no work (an invocation that touches
/// no database), and a one-row INSERT committed on its own, as the app commits its sends (PostgreSQL:
/// durably; SQLite: WAL with <c>synchronous=NORMAL</c>, the app's setting), then as many commits as the
/// database takes in 5 s (PostgreSQL: 16 writers at once; SQLite: its one writer). The other figures
/// are given as multiples of these.
/// </summary>
public sealed class FloorPhase(BenchApi api, Action<string> say)
{
    /// <param name="InsertCommitsPerSecondContended">
    /// SQLite only: 16 connections committing at once, each waiting for the write lock through SQLite's
    /// busy handler, as the app's concurrent writers do (what contention costs against one writer).
    /// </param>
    public sealed record Figures(Percentiles Http, Percentiles HubRoundTrip, Percentiles InsertCommit, double InsertCommitsPerSecondSequential,
        double InsertCommitsPerSecondParallel, int ParallelConnections, double? InsertCommitsPerSecondContended = null, int ContendedConnections = 0);

    public async Task<Figures> RunAsync(string hubToken, int iterations = 2000)
    {
        say("floor: static file over HTTP");
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        for (var i = 0; i < 200; i++) await BenchApi.TimeGetAsync(http, "/favicon.svg");
        var httpTimes = new List<double>(iterations);
        for (var i = 0; i < iterations; i++) httpTimes.Add(await BenchApi.TimeGetAsync(http, "/favicon.svg"));

        say("floor: hub round trip with no database (UnsubscribeInbox)");
        var hubTimes = new List<double>(iterations);
        await using (var hub = await HubConnection.ConnectAsync(api.Http, api.BaseAddress, hubToken, 0, CancellationToken.None))
        {
            for (var i = 0; i < 200; i++) await hub.InvokeAsync("UnsubscribeInbox");
            for (var i = 0; i < iterations; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await hub.InvokeAsync("UnsubscribeInbox");
                hubTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        var store = api.Store;
        say($"floor: single-row INSERT and COMMIT ({store.Label})");
        await using var setup = await store.OpenAsync();
        await BenchStore.ExecuteAsync(setup, store.FloorCreateSql);
        try
        {
            var insertTimes = new List<double>(iterations);
            await using (var insert = Insert(setup, "A message about the size of a chat line."))
            {
                await insert.PrepareAsync();
                for (var i = 0; i < 200; i++) await insert.ExecuteNonQueryAsync();
                for (var i = 0; i < iterations; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    await insert.ExecuteNonQueryAsync();
                    insertTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            var sequential = 1000 / insertTimes.Average();

            // As many writers as the database uses, each committing one row after another, for 5 s.
            var writers = store.FloorWriters;
            say($"floor: {store.FloorWritersLabel}");
            var parallel = await CommitsPerSecondAsync(writers);
            double? contended = null;
            const int contenders = 16;
            if (writers == 1)
            {
                say($"floor: INSERT + COMMIT, {contenders} connections taking turns through the busy handler");
                contended = await CommitsPerSecondAsync(contenders);
            }
            return new Figures(Percentiles.Of(httpTimes), Percentiles.Of(hubTimes), Percentiles.Of(insertTimes), sequential, parallel, writers, contended,
                contended is null ? 0 : contenders);
        }
        finally
        {
            await BenchStore.ExecuteAsync(setup, "DROP TABLE IF EXISTS bench_floor");
        }
    }

    /// <summary>Single-row commits per second from <paramref name="writers"/> connections, each committing one row after another for 5 s.</summary>
    private async Task<double> CommitsPerSecondAsync(int writers)
    {
        var stopAt = Stopwatch.GetTimestamp() + 5 * Stopwatch.Frequency;
        var commits = 0L;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            await using var db = await api.Store.OpenAsync();
            await using var insert = Insert(db, "parallel");
            await insert.PrepareAsync();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref commits);
            }
        })));
        return commits / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private DbCommand Insert(DbConnection db, string body)
    {
        var command = db.CreateCommand();
        command.CommandText = api.Store.FloorInsertSql;
        BenchStore.AddParameter(command, "@body", body);
        return command;
    }
}
