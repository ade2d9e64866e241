using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Whop.Inbox.Benchmarks;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Phases;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;
using static Whop.Inbox.Benchmarks.Reporting.Results;

// The whole benchmark: for each database provider in turn (SQLite, then PostgreSQL, on the same
// data), one phase after another against one published app process. `bash .ci/bench` builds and
// publishes, then runs this; see docs/benchmarks.md.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
var shape = new BenchData(options.Scale);
var clock = Stopwatch.StartNew();
void Say(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

var stores = options.Providers.Select(p => p == "sqlite"
    ? (BenchStore)new SqliteStore(options.SqlitePath, shape)
    : new PostgresStore(options.AdminConnectionString, options.DatabaseName, shape)).ToList();

var results = new Results();
var started = DateTimeOffset.UtcNow;
var versions = new Dictionary<string, string>();
foreach (var store in stores) versions[store.Key] = await store.VersionAsync();
var machine = MachineInfo(versions.Values);
results.Set("run", new
{
    Date = started.ToString("yyyy-MM-dd HH:mm 'UTC'"),
    Command = ("bash .ci/bench " + Environment.GetEnvironmentVariable("BENCH_ARGS")).Trim(),
    options.Scale,
    options.Instances,
    options.Database,
    Providers = stores.Select(s => s.Key).ToList(),
    Data = new { shape.SupportChats, shape.Messages, shape.Dms, shape.HubUsers },
    Machine = machine,
    options.Note,
    options.AppConnectionOptions,
    options.AppEnvironment,
});

// A fresh key per run: the app's admin credential for this run only.
var bootstrapKey = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
var connections = Math.Min(options.Connections, shape.HubUsers);
var runs = new List<ProviderRun>();
foreach (var store in stores)
{
    var run = new ProviderRun(store, versions[store.Key]);
    runs.Add(run);
    Say($"== {store.Label} ({run.Version}): {store.Location}");
    results.Set(store.Key, "database", new { store.Label, run.Version, store.Location });
    try
    {
        await RunProviderAsync(run);
    }
    catch (Exception e)
    {
        // One provider failing still leaves the other's figures.
        run.Error = e.GetBaseException().Message;
        results.Set(store.Key, "error", e.ToString());
        Say($"{store.Label}: the run failed: {e}");
    }
    finally
    {
        store.Release();
    }
}

results.Set("machine_after", new { LoadAverage = File.ReadAllText("/proc/loadavg").Trim() });
WriteMarkdown();
var folder = string.IsNullOrEmpty(options.ResultsFolder) ? "results" : options.ResultsFolder;
await results.WriteAsync(folder, $"Results of {started:yyyy-MM-dd} (scale {options.Scale})");
Say($"results: {Path.Combine(folder, "latest.md")} and latest.json");
return runs.Any(r => r.Error is not null) ? 1 : 0;

async Task RunProviderAsync(ProviderRun run)
{
    var store = run.Store;
    var key = store.Key;
    AppProcess.Settings Settings() => InstanceSettings(0);
    AppProcess.Settings InstanceSettings(int instance) =>
        new(options.AppFolder, store.AppEnvironment(options.AppConnectionOptions), bootstrapKey,
            Path.Combine(options.WorkFolder, instance == 0 ? $"app-{store.Key}.log" : $"app-{store.Key}-{instance + 1}.log"), options.AppEnvironment);

    run.Load = await store.EnsureAsync(options.Regenerate, Settings, Say);
    if (run.Load is not null) results.Set(key, "data_load", run.Load);
    OverloadPhase.Preparation? overload = null;

    var (instances, firstStart) = await AppInstances.StartAsync(options.Instances, InstanceSettings,
        address => new BenchApi(address, bootstrapKey, store), TimeSpan.FromMinutes(10));
    await using (instances)
    {
        var app = instances.First;
        var api = instances.Apis[0];
        Say($"app: pid {app.Pid} at {app.BaseAddress} on {store.Label} (healthy after {firstStart.TotalSeconds:F1} s)");
        foreach (var other in instances.Apps.Skip(1)) Say($"app: another instance, pid {other.Pid} at {other.BaseAddress}, on the same database");
        var moderatorId = (await api.UserIdsAsync([BenchData.ModeratorUserName]))[BenchData.ModeratorUserName];
        var moderatorToken = await api.AccessTokenAsync(moderatorId);

        if (options.Phases.Contains("floor"))
        {
            var customerId = (await api.UserIdsAsync([BenchData.CustomerUserName(0)])).Values.Single();
            run.Floor = await new FloorPhase(api, Say).RunAsync(await api.AccessTokenAsync(customerId));
            results.Set(key, "floor", run.Floor);
        }

        if (options.Phases.Contains("http"))
        {
            Say("http: inbox and history through the REST API");
            run.Http = await new HttpPhase(api, Say, instances.Apis.Select(a => a.BaseAddress).ToList()).RunAsync(moderatorToken, options.HttpWarmup, options.HttpIterations);
            results.Set(key, "http", run.Http);
            foreach (var f in run.Http)
                Say($"  {f.Name}: p50 {Ms(f.Latency.P50)} p95 {Ms(f.Latency.P95)} p99 {Ms(f.Latency.P99)} ms, {Statements(f)} statements");
        }

        if (options.Phases.Contains("search"))
        {
            Say("search: the inbox's search through the REST API, beside the plain inbox page");
            run.Search = await new SearchPhase(api, Say).RunAsync(moderatorToken, options.HttpWarmup, options.HttpIterations);
            results.Set(key, "search", run.Search);
            foreach (var f in run.Search)
                Say($"  {f.Name}: p50 {Ms(f.Latency.P50)} p95 {Ms(f.Latency.P95)} p99 {Ms(f.Latency.P99)} ms, {f.Found} found, {f.Statements} statements");
        }

        if (options.Phases.Contains("memory-hub") || options.Phases.Contains("delivery"))
        {
            await using var population = new HubPopulation(api, Say, instances.Apis);
            var before = await instances.SampleMemoryAsync();
            await population.OpenAsync(connections);
            using var keepAlive = new Timer(_ => population.Ping(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = await instances.SampleMemoryAsync();
            run.HubMemory = new HubMemory(connections, population.Dms.Sum(d => d.Members.Length), before, after,
                (double)(after.ResidentBytes - before.ResidentBytes) / connections,
                (double)(after.ManagedHeapBytes - before.ManagedHeapBytes) / connections);
            results.Set(key, "memory_hub", run.HubMemory);
            Say($"memory: {connections} idle connections: RSS +{Mb(after.ResidentBytes - before.ResidentBytes)}, heap +{Mb(after.ManagedHeapBytes - before.ManagedHeapBytes)}");

            if (options.Phases.Contains("delivery"))
            {
                var phase = new DeliveryPhase(api, population, new CpuMeter(instances.Pids, store.HasServerProcesses, options.Database), Say, instances.StatementsAsync);
                run.Delivery = await phase.RunAsync(options.Rates, options.StepDuration);
                run.DeliveryIdle = phase.Idle;
                run.DeliverySkipped = phase.Skipped;
                run.Knee = DeliveryPhase.Knee(run.Delivery);
                results.Set(key, "delivery", new
                {
                    Connections = connections, Dms = population.Dms.Count, SendPath = "hub SendMessage", IdleCpu = run.DeliveryIdle, Steps = run.Delivery,
                    RatesNotTried = run.DeliverySkipped, KneeFirstRateOver250MsP99 = run.Knee.Rate, KneeInterpolated = run.Knee.Interpolated,
                    DatabaseCpuCounted = store.HasServerProcesses ? "PostgreSQL's processes" : "none: SQLite works inside the app process",
                });
            }
        }

        if (options.Phases.Contains("browser") || options.Phases.Contains("memory-circuits"))
        {
            await using var browser = new BrowserPhase(options.ChromiumPath, app.BaseAddress, Say);
            await browser.StartAsync();
            if (options.Phases.Contains("browser"))
            {
                Say($"browser: {options.BrowserLoads} loads of /inbox");
                run.BrowserLoads = await browser.MeasureLoadsAsync(options.BrowserLoads);
                results.Set(key, "browser", run.BrowserLoads);
            }
            if (options.Phases.Contains("memory-circuits"))
            {
                Say($"memory: {options.Circuits} circuits of {options.CircuitPage}");
                run.Circuits = await browser.MeasureCircuitsAsync(options.Circuits, app, api.Http, options.CircuitPage, options.CircuitIdle);
                results.Set(key, "memory_circuits", run.Circuits);
            }
        }

        if (options.Phases.Contains("webhooks"))
        {
            Say($"webhooks: {options.WebhookSends:N0} sends without an endpoint, then with one for message.created, to a receiver of ours");
            using var phase = new WebhooksPhase(api, shape, Say);
            run.Webhooks = await phase.RunAsync(options.WebhookSends, options.WebhookSenders);
            results.Set(key, "webhooks", run.Webhooks);
        }

        if (options.Phases.Contains("files"))
        {
            Say($"files: uploads and downloads of a 1 MB and a 10 MB document, an image's work, and 20 uploads of 24 MiB at once");
            using var phase = new FilesPhase(app, api, Say);
            var uploaders = await api.UserIdsAsync(Enumerable.Range(0, Math.Min(20, shape.HubUsers)).Select(BenchData.CustomerUserName));
            run.Files = await phase.RunAsync(moderatorToken, await api.AccessTokensAsync(uploaders.Values.ToList()), options.FileRepetitions);
            results.Set(key, "files", run.Files);
        }

        // Its credentials are made here, with the limiter off: a thousand tokens minted through the
        // API would otherwise be refused by the very allowance the phase measures.
        if (options.Phases.Contains("overload")) overload = await OverloadPhase.PrepareAsync(api, shape, moderatorToken, Say);
    }

    if (overload is not null)
    {
        // The app again, on the same database, now with its per-credential allowance on, as in production.
        var (knee, kneeSource) = KneeFor(run);
        var environment = new Dictionary<string, string>
        {
            ["Inbox__RateLimit__RequestsPerSecond"] = options.RateLimit.ToString(CultureInfo.InvariantCulture),
            ["Inbox__RateLimit__Burst"] = options.RateLimitBurst.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in options.AppEnvironment) environment[name] = value;
        await using var app = AppProcess.Start(Settings() with
        {
            Environment = environment, LogFile = Path.Combine(options.WorkFolder, $"app-{store.Key}-overload.log"),
        });
        await app.WaitHealthyAsync(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(10));
        Say($"overload: app pid {app.Pid}, {options.RateLimit}/s per credential (burst {options.RateLimitBurst}); knee {knee:N0} msg/s ({kneeSource})");
        using var api = new BenchApi(app.BaseAddress, bootstrapKey, store);
        run.Overload = await new OverloadPhase(app, api, overload,
            new OverloadPhase.Settings(knee, kneeSource, options.RateLimit, options.RateLimitBurst, options.FloodDuration, options.OverloadDuration,
                options.BurstDuration, options.RecoveryDuration), Say).RunAsync();
        results.Set(key, "overload", run.Overload);
    }

    if (options.Phases.Contains("cold-start"))
    {
        Say($"cold start: {options.ColdStarts} starts");
        run.ColdStart = await new ColdStartPhase(Settings(), Say).RunAsync(options.ColdStarts);
        results.Set(key, "cold_start", run.ColdStart);
    }
}

// The overload phase's knee: --knee; else the best the delivery phase persisted in this run, when it
// found its knee (short of it, the best persisted is only a lower bound); else the default.
(double Knee, string Source) KneeFor(ProviderRun run)
{
    if (options.Knee is { } given) return (given, "--knee");
    if (run.Delivery is not { Count: > 0 } steps) return (BenchOptions.DefaultKnee, "the default: the delivery phase did not run");
    var best = steps.Where(s => double.IsFinite(s.PersistedPerSecond)).Select(s => s.PersistedPerSecond).DefaultIfEmpty(0).Max();
    if (run.Knee.Rate is not null && best > 0) return (best, "the delivery phase's best persisted msg/s in this run");
    return best > BenchOptions.DefaultKnee
        ? (best, "the delivery phase's best persisted msg/s; it never passed its knee")
        : (BenchOptions.DefaultKnee, $"the default: the delivery phase never passed its knee (best persisted {N(best)} msg/s)");
}

void WriteMarkdown()
{
    results.Line($"Run {started:yyyy-MM-dd HH:mm} UTC, scale {options.Scale} ({N(shape.SupportChats)} support chats, {N(shape.Messages)} messages, " +
                 $"{N(shape.Dms)} DMs), the same data on each database. Machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Os}, " +
                 $".NET {machine.Runtime}, {machine.Databases}. Load average at start {machine.LoadAverage}, at the end " +
                 $"{string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[0..3])}.");
    if (options.Note is { Length: > 0 } note) results.Line($"\n{note}");
    results.Line("");
    foreach (var run in runs)
    {
        var where = run.Store.HasServerProcesses
            ? $"database `{options.DatabaseName}` on the local server, " + (options.Instances == 1 ? "a pool of 40 connections"
                : $"{options.Instances} instances of the app on it, on the same machine, each with its own pool of 40 connections " +
                  "(HTTP requests alternate between them, hub connections are spread over them; the other phases use the first)")
            : $"the file `{Path.GetRelativePath(Directory.GetCurrentDirectory(), run.Store.Location)}` (WAL, `synchronous=NORMAL`), inside the app process";
        results.Line($"- **{run.Store.Label}** ({run.Version}): {where}." +
                     (run.Load is { } load
                         ? $" Data generated in this run in {load.Seconds:F0} s ({load.Method} {load.RowsSeconds:F0} s, indexes {load.IndexSeconds:F0} s, " +
                           $"{(run.Store.HasServerProcesses ? "VACUUM ANALYZE" : "ANALYZE")} {load.AnalyzeSeconds:F0} s; {Mb(load.DatabaseBytes ?? 0)})."
                         : "") +
                     (run.Error is { } error ? $" **The run failed:** {error}" : ""));
    }

    var targets = new Dictionary<ProviderRun, List<IReadOnlyList<string>>>();
    foreach (var run in runs) targets[run] = [];

    if (runs.Any(r => r.Floor is not null))
    {
        results.Heading("Floor (what the machine allows)");
        SideBySide("", ["p50 ms", "p95 ms", "p99 ms", "per second"],
            [
                "HTTP GET of a static file", "hub round trip, no database", "INSERT one row + COMMIT, one connection",
                "INSERT + COMMIT, as many writers as the database uses for 5 s (PostgreSQL 16 connections, SQLite its one writer)",
                .. runs.Any(r => r.Floor?.InsertCommitsPerSecondContended is not null)
                    ? ["INSERT + COMMIT, 16 connections contending for SQLite's write lock for 5 s (busy handler, as the app's writers)"]
                    : Array.Empty<string>(),
            ],
            (run, row) => run.Floor is not { } floor ? null : row switch
            {
                4 => ["", "", "", floor.InsertCommitsPerSecondContended is { } c ? N(c) : ""],
                0 => [Ms(floor.Http.P50), Ms(floor.Http.P95), Ms(floor.Http.P99), N(1000 / floor.Http.Mean)],
                1 => [Ms(floor.HubRoundTrip.P50), Ms(floor.HubRoundTrip.P95), Ms(floor.HubRoundTrip.P99), N(1000 / floor.HubRoundTrip.Mean)],
                2 => [Ms(floor.InsertCommit.P50), Ms(floor.InsertCommit.P95), Ms(floor.InsertCommit.P99), N(floor.InsertCommitsPerSecondSequential)],
                3 => ["", "", "", N(floor.InsertCommitsPerSecondParallel)],
                _ => null,
            });
        if (runs.Any(r => !r.Store.HasServerProcesses))
            results.Line("SQLite's commits are WAL appends with `synchronous=NORMAL` (the app's setting: safe against a crash of the process, " +
                     "not of the machine); PostgreSQL's are flushed to disk (`synchronous_commit=on`).\n");
    }

    if (runs.FirstOrDefault(r => r.Http is not null)?.Http is { } httpNames)
    {
        results.Heading($"Inbox and history over HTTP (moderator's access token, warm, {options.HttpIterations} requests each)");
        SideBySide("endpoint", ["p50 ms", "p95 ms", "p99 ms", "p50 × floor", "statements"], httpNames.Select(f => f.Name).ToList(),
            (run, row) => run.Http is not { } http || row >= http.Count ? null :
                [Ms(http[row].Latency.P50), Ms(http[row].Latency.P95), Ms(http[row].Latency.P99), Ratio(http[row].Latency.P50, run.Floor?.Http.P50 ?? double.NaN),
                    Statements(http[row])]);
        results.Line("Statements: the SQL statements the app sent for one request (its credential's check included), as it reports them; " +
                     "the median, and the most when requests differed.\n");
        foreach (var run in runs.Where(r => r.Http is not null))
        foreach (var f in run.Http!.Where(f => f.Name.Contains("chats") || f.Name.Contains("unread counts")))
        {
            var what = f.Name.Contains("unread counts") ? "caller's unread counts per status" : $"inbox page: {f.Name}";
            targets[run].Add(Target($"{what}, p95 ≤ 5 ms", f.Latency.P95, 5, "ms", lowerIsBetter: true, floor: run.Floor?.Http.P95));
        }
    }

    if (runs.FirstOrDefault(r => r.Search is not null)?.Search is { } searchNames)
    {
        results.Heading($"Search over HTTP (moderator's access token: the team's search; warm, {options.HttpIterations} requests each)");
        SideBySide("query", ["p50 ms", "p95 ms", "p99 ms", "p95 × plain page", "found (first page)", "statements"],
            searchNames.Select(f => f.Query.Length > 0 ? $"{f.Name}: `{f.Query}`" : f.Name).ToList(),
            (run, row) => run.Search is not { } search || row >= search.Count ? null :
                [Ms(search[row].Latency.P50), Ms(search[row].Latency.P95), Ms(search[row].Latency.P99),
                    Ratio(search[row].Latency.P95, SearchFloor(run)), N(search[row].Found), search[row].Statements?.ToString() ?? "–"]);
        results.Line("`GET /api/v1/support_channels?query=…&first=20` (the messages row: `GET /api/v1/messages?channel_id=…&query=…&first=50` in " +
                     "the longest chat); the floor is the same list with no query. Found: results on the first page.\n");
        foreach (var run in runs.Where(r => r.Search is not null))
        foreach (var f in run.Search!.Where(f => f.Query.Length > 0))
            targets[run].Add(Target($"search, {f.Name}, p95 ≤ 50 ms", f.Latency.P95, 50, "ms", lowerIsBetter: true, floor: SearchFloor(run)));
    }

    if (runs.FirstOrDefault(r => r.BrowserLoads is not null)?.BrowserLoads is { } loads)
    {
        results.Heading($"Inbox in the browser ({loads.Loads} loads, Chromium, signed in as a moderator)");
        SideBySide("from navigation to", ["p50 ms", "p95 ms"],
            ["first chat row visible", "page interactive", "first paint, by the page's own clock (no driver round trips)"],
            (run, row) => run.BrowserLoads is not { } b ? null : row switch
            {
                0 => [Ms(b.ListVisible.P50), Ms(b.ListVisible.P95)],
                1 => [Ms(b.Interactive.P50), Ms(b.Interactive.P95)],
                _ => [Ms(b.FirstPaint.P50), Ms(b.FirstPaint.P95)],
            });
    }

    if (runs.Any(r => r.Delivery is not null))
    {
        results.Heading($"Delivery ({connections} hub connections, open loop, sent through the hub's SendMessage" +
                        (options.Instances > 1 ? $", over {options.Instances} app instances" : "") + ")");
        // What the database server held, where it has one; with several instances, how many deliveries crossed between them.
        var serverColumns = runs.Any(r => r.Delivery?.Any(s => s.Server is not null) == true);
        var crossingColumn = options.Instances > 1;
        IEnumerable<string> Extra(DeliveryPhase.StepFigures s) =>
        [
            .. serverColumns ? (string[])[s.Server is { } l ? $"{l.Connections} ({l.BusyConnections})" : "–", s.Server is { } q ? $"{q.NotifyQueueUsage * 100:F4}%" : "–"] : [],
            .. crossingColumn ? [$"{s.CrossingRatio * 100:F0}%"] : Array.Empty<string>(),
        ];
        results.Table(["database", "offered msg/s", "delivered / expected", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "p50 × hub floor", "send ack p99 ms",
                "persisted msg/s", "statements per send", "errors", "CPU ms/msg: app + database server", "cores: app, database server, benchmark, others",
                .. serverColumns ? (string[])["database connections, most (most busy)", "NOTIFY queue used, most"] : [],
                .. crossingColumn ? ["deliveries across instances"] : Array.Empty<string>()],
            runs.Where(r => r.Delivery is not null).SelectMany(run => run.Delivery!.Select(s => (IReadOnlyList<string>)[run.Store.Label, N(s.OfferedRate),
                $"{N(s.Delivered)} / {N(s.Expected)} ({s.DeliveredRatio * 100:F2}%)",
                Ms(s.SendToReceive.P50), Ms(s.SendToReceive.P99), Ms(s.SendToReceive.P999), Ms(s.SendToReceive.Max),
                Ratio(s.SendToReceive.P50, run.Floor?.HubRoundTrip.P50 ?? double.NaN), Ms(s.SendToAck.P99), N(s.PersistedPerSecond), s.StatementsPerSend.ToString("F1"),
                (s.SendErrors == 0 ? "0" : $"{s.SendErrors}: {s.FirstError}") + (s.ConnectionsClosed > 0 ? $"; {s.ConnectionsClosed} hub connections lost" : "")
                + (s.BusyRefusals > 0 ? $"; {N(s.BusyRefusals)} busy, retried" : ""),
                run.Store.HasServerProcesses ? $"{s.AppCpuMsPerMessage:F2} + {s.PostgresCpuMsPerMessage:F2}" : $"{s.AppCpuMsPerMessage:F2} (database in the app)",
                $"{s.Cpu.AppCores:F2}, {(run.Store.HasServerProcesses ? s.Cpu.PostgresCores.ToString("F2") : "–")}, {s.Cpu.BenchmarkCores:F2}, {s.Cpu.OthersCores:F2}",
                .. Extra(s)])));
        foreach (var run in runs.Where(r => r.Delivery is not null))
        {
            var delivery = run.Delivery!;
            var label = run.Store.Label;
            var lines = new List<string>();
            if (run.DeliverySkipped.Count > 0)
                lines.Add($"not tried: {string.Join(", ", run.DeliverySkipped.Select(r => N(r)))} msg/s (a lower rate was already far past the knee: under 100% " +
                          "delivered within a minute, p99 over 2.5 s, or hub connections lost).");
            if (run.DeliveryIdle is { } idle)
                lines.Add($"cores busy with the connections open and idle: app {idle.AppCores:F2}" +
                          (run.Store.HasServerProcesses ? $", PostgreSQL {idle.PostgresCores:F2} ({(options.Database is null ? "every database on the server" : $"database {options.Database} alone")})" : "") +
                          $", others {idle.OthersCores:F2}.");
            lines.Add(run.Knee.Rate is null
                ? "knee: p99 stayed under 250 ms at every offered rate."
                : $"knee: p99 passes 250 ms (or delivery drops) at {N(run.Knee.Rate.Value)} msg/s" +
                  (run.Knee.Interpolated is { } k ? $"; interpolated crossing ≈ {N(k)} msg/s." : "."));
            var best = delivery.Max(s => s.PersistedPerSecond);
            if (run.Floor is { } floor)
                lines.Add($"persisted at best {N(best)} msg/s, {Percent(best / floor.InsertCommitsPerSecondParallel)} of the database's single-row commit rate " +
                          $"({N(floor.InsertCommitsPerSecondParallel)}/s with {(floor.ParallelConnections == 1 ? "its one writer" : $"{floor.ParallelConnections} writers")}).");
            results.Line($"- **{label}**: " + string.Join(" ", lines.Select(l => char.ToUpperInvariant(l[0]) + l[1..])));
            var at1000 = delivery.FirstOrDefault(s => s.OfferedRate == 1000);
            targets[run].Add(Target("persisted msg/s sustained ≥ 1,000 (offered 1,000/s, else the best rate tried)", at1000?.PersistedPerSecond ?? best, 1000,
                "msg/s", lowerIsBetter: false, tolerance: 0.98, floor: run.Floor?.InsertCommitsPerSecondParallel));
            if (delivery.FirstOrDefault(s => s.OfferedRate == 500) is { } at500)
            {
                targets[run].Add(Target($"delivered at 500 msg/s, {connections:N0} hub connections = 100%", at500.DeliveredRatio * 100, 100, "%",
                    lowerIsBetter: false));
                targets[run].Add(Target("delivery p99 at 500 msg/s ≤ 50 ms", at500.SendToReceive.P99, 50, "ms", lowerIsBetter: true,
                    floor: run.Floor?.HubRoundTrip.P99));
            }
            // Never past the knee at any rate tried: at least the highest rate tried.
            var knee = run.Knee.Interpolated ?? run.Knee.Rate ?? delivery.Max(s => s.OfferedRate);
            targets[run].Add(Target("knee (p99 passes 250 ms) > 1,000 msg/s", knee, 1000, "msg/s", lowerIsBetter: false,
                floor: run.Floor?.InsertCommitsPerSecondParallel));
            targets[run].Add(Target("statements per send ≤ 3 (at the lowest rate)", delivery[0].StatementsPerSend, 3, "", lowerIsBetter: true));
        }
        results.Line("\nOn SQLite the database works inside the app process: its CPU is part of the app's. Statements per send: every SQL " +
                     "statement the app sent over the step (the sends, their events, the deliveries' reads) divided by the messages sent." +
                     (options.Instances > 1 ? " The app's CPU and statements are summed over its instances." : "") +
                     (serverColumns ? " Database connections: the most the app's instances held at once during the step (pools and listeners; " +
                                      "busy: running a statement or inside a transaction), and the most of NOTIFY's queue in use " +
                                      "(`pg_notification_queue_usage()`), both sampled every 250 ms." : ""));
    }

    if (runs.Any(r => r.HubMemory is not null || r.Circuits is not null))
    {
        results.Heading("Memory (after a full collection, before and after)");
        var hubName = runs.FirstOrDefault(r => r.HubMemory is not null)?.HubMemory is { } h
            ? $"{h.Connections} idle hub connections ({h.Subscriptions} subscriptions)" : "idle hub connections";
        var circuitName = runs.FirstOrDefault(r => r.Circuits is not null)?.Circuits is { } c ? $"{c.Circuits} circuits of {c.Page} (browser pages)" : "circuits";
        SideBySide("", ["RSS before", "RSS after", "RSS each", "managed heap each"], [hubName, circuitName],
            (run, row) => row == 0
                ? run.HubMemory is { } m ? [Mb(m.Before.ResidentBytes), Mb(m.After.ResidentBytes), Kb(m.ResidentPerConnection), Kb(m.ManagedHeapPerConnection)] : null
                : run.Circuits is { } ci ? [Mb(ci.Before.ResidentBytes), Mb(ci.After.ResidentBytes), Kb(ci.ResidentPerCircuit), Kb(ci.ManagedHeapPerCircuit)] : null);
        foreach (var run in runs.Where(r => r.Circuits is not null))
        {
            targets[run].Add(Target("≤ 150 KB per idle circuit (managed heap)", run.Circuits!.ManagedHeapPerCircuit / 1024, 150, "KB", lowerIsBetter: true));
            targets[run].Add(Target("≤ 150 KB per idle circuit (resident)", run.Circuits!.ResidentPerCircuit / 1024, 150, "KB", lowerIsBetter: true));
        }
    }

    if (runs.FirstOrDefault(r => r.Webhooks is not null)?.Webhooks is { } hooks)
    {
        results.Heading($"Webhooks ({N(hooks.Baseline.Sent)} sends through `POST /api/v1/messages`, closed loop, {hooks.Senders} at a time, into " +
                        $"{hooks.Dms} DMs; then the same with one endpoint for `message.created`, a receiver on loopback answering 200 at once)");
        SideBySide("send latency", ["p50 ms", "p95 ms", "p99 ms", "sends/s", "statements per send"],
            ["no endpoint (baseline)", "one endpoint", "added per send"],
            (run, row) => run.Webhooks is not { } w ? null : row switch
            {
                0 => [Ms(w.Baseline.Latency.P50), Ms(w.Baseline.Latency.P95), Ms(w.Baseline.Latency.P99), N(w.Baseline.SendsPerSecond),
                    w.Baseline.StatementsPerSend.ToString("F1")],
                1 => [Ms(w.WithWebhooks.Latency.P50), Ms(w.WithWebhooks.Latency.P95), Ms(w.WithWebhooks.Latency.P99), N(w.WithWebhooks.SendsPerSecond),
                    w.WithWebhooks.StatementsPerSend.ToString("F1")],
                _ => [Ms(w.AddedP50Ms), Ms(w.AddedP95Ms), Ms(w.AddedP99Ms), "", ""],
            });
        SideBySide("deliveries to one receiver", ["value"],
            ["delivered: sends whose event arrived / sends accepted", "received (distinct webhook-ids, duplicates)", "delivered per second (first send to last arrival)",
                "last arrival after the last send's answer", "delivery lag p50 / p99 (arrival − send's answer)", "send errors: baseline / with webhooks"],
            (run, row) => run.Webhooks is not { } w ? null : row switch
            {
                0 => [$"{N(w.MessagesDelivered)} / {N(w.WithWebhooks.Accepted)}" + (w.GaveUpWaiting ? " (gave up waiting)" : "")],
                1 => [$"{N(w.Received)} ({N(w.DistinctIds)}, {N(w.Duplicates)})" + (w.Other > 0 ? $"; {N(w.Other)} not of these sends" : "")],
                2 => [$"{N(w.DeliveredPerSecond)}/s ({w.FirstSendToLastArrivalSeconds:F1} s)"],
                3 => [$"{w.LastAnswerToLastArrivalSeconds:F1} s"],
                4 => [$"{Ms(w.Lag.P50)} / {Ms(w.Lag.P99)} ms"],
                _ => [$"{w.Baseline.Errors} / {w.WithWebhooks.Errors}"],
            });
        results.Line("Statements per send with webhooks count everything the app did until the last delivery arrived (the sender's claims and " +
                     "its log of attempts included). Lag can be below 0: the event is committed before the send's answer is read.\n");
    }

    if (runs.FirstOrDefault(r => r.Files is not null)?.Files is { } files)
    {
        results.Heading("Files (a moderator's access token, one request at a time; the floor writes the same bytes to a file and syncs it)");
        var names = files.Transfers.Select(t => t.Name).ToList();
        SideBySide("", ["upload p50 ms", "upload MB/s", "download p50 ms", "download MB/s", "floor p50 ms", "floor MB/s", "errors"], names,
            (run, row) => run.Files is not { } f || row >= f.Transfers.Count ? null :
                [Ms(f.Transfers[row].Upload.P50), f.Transfers[row].UploadMegabytesPerSecond.ToString("F0"), Ms(f.Transfers[row].Download.P50),
                    f.Transfers[row].DownloadMegabytesPerSecond.ToString("F0"), Ms(f.Transfers[row].Floor.P50), f.Transfers[row].FloorMegabytesPerSecond.ToString("F0"),
                    f.Transfers[row].Errors.ToString()]);
        SideBySide("", ["value"],
            [$"{files.Images.Width}×{files.Images.Height} PNG ({Mb(files.Images.Bytes)}): upload p50", "a document of the same size: upload p50",
                "the image's work (check, upright, strip, thumbnail) ≈", $"{files.Concurrent.Uploads} uploads of {Mb(files.Concurrent.BytesEach)} at once",
                "app RSS before → peak (growth)"],
            (run, row) => run.Files is not { } f ? null : row switch
            {
                0 => [$"{Ms(f.Images.ImageUpload.P50)} ms" + (f.Images.SeenAsImage ? "" : " (not read as an image)")],
                1 => [$"{Ms(f.Images.SameSizeDocumentUpload.P50)} ms"],
                2 => [$"{Ms(f.Images.ImageWorkP50Ms)} ms"],
                3 => [$"{f.Concurrent.Seconds:F1} s, {f.Concurrent.MegabytesPerSecond:F0} MB/s" + (f.Concurrent.Errors > 0 ? $", {f.Concurrent.Errors} errors ({f.Concurrent.FirstError})" : "")],
                _ => [$"{Mb(f.Concurrent.ResidentBefore)} → {Mb(f.Concurrent.ResidentPeak)} (+{Mb(f.Concurrent.ResidentGrowth)})"],
            });
        foreach (var run in runs.Where(r => r.Files is not null))
        {
            var f = run.Files!.Concurrent;
            // Streamed, an upload holds buffers of a fixed size whatever the file's; held whole, each would hold its 24 MiB and more.
            targets[run].Add(Target($"app RSS growth per upload while {f.Uploads} uploads of {Mb(f.BytesEach)} run at once ≤ 5 MiB (streamed, not held whole)",
                f.ResidentGrowth / 1048576.0 / f.Uploads, 5, "MiB", lowerIsBetter: true));
        }
        results.Line("");
    }

    if (runs.FirstOrDefault(r => r.Overload is not null)?.Overload is { } overload)
    {
        results.Heading($"Overload (REST, open loop; the app's allowance {overload.Allowance}/s per credential, burst {overload.AllowanceBurst}; " +
                        "another credential reading its inbox every 100 ms throughout)");
        var header = new List<string> { "step", "figure", "target" };
        foreach (var run in runs) header.AddRange([run.Store.Label, $"{run.Store.Label} met"]);
        results.Table(header, OverloadReport.Rows.Select(row =>
        {
            var line = new List<string> { row.Step, row.Figure, row.Target };
            foreach (var run in runs)
            {
                if (run.Overload is not { } figures) line.AddRange(["", ""]);
                else line.AddRange([row.Value(figures), row.Check?.Invoke(figures).Verdict ?? ""]);
            }
            return (IReadOnlyList<string>)line;
        }), textColumns: 3);
        results.Line($"Open loop: request k of a step is due at its start + k/rate whatever happened to the earlier ones, and its latency counts from " +
                     $"that due time (client timeout 30 s). The flooder and the other credential (the moderator's access token) read " +
                     $"`GET {overload.ReadPath}`. Sends are `POST /api/v1/messages` with a `client_message_id`, to the hub population's DMs from " +
                     "their members' access tokens (a bucket each, so the allowance is not what refuses them). Every send not accepted (429, 5xx, " +
                     "timeout) is then retried with its `client_message_id`, after its Retry-After, at up to half the knee per second, until " +
                     "accepted; then each id is looked up in the database. The burst's sends are not retried. Back to normal: from the " +
                     "burst's end to the first read after which every sliding second of reads (by when they were sent; a failed read counts " +
                     "as endless) has its p50 within 2× the p50 of the 3 s before the burst.\n");
        foreach (var run in runs.Where(r => r.Overload is not null))
            targets[run].AddRange(OverloadReport.Checks(run.Overload!).Select(c => (IReadOnlyList<string>)[c.Target, c.Shown, c.MetText, c.By, "–"]));
    }

    if (runs.FirstOrDefault(r => r.ColdStart is not null)?.ColdStart is { } starts)
    {
        results.Heading($"Cold start ({starts.Starts} starts, process start to /healthz 200)");
        SideBySide("", ["p50 ms", "p95 ms", "max ms"], ["start to healthy"],
            (run, _) => run.ColdStart is not { } cs ? null : [Ms(cs.StartToHealthy.P50), Ms(cs.StartToHealthy.P95), Ms(cs.StartToHealthy.Max)]);
        foreach (var run in runs.Where(r => r.ColdStart is not null))
            targets[run].Add(Target("cold start to /healthz p50 ≤ 1 s", run.ColdStart!.StartToHealthy.P50, 1000, "ms", lowerIsBetter: true));
    }

    var targetNames = runs.SelectMany(r => targets[r].Select(t => t[0])).Distinct().ToList();
    if (targetNames.Count > 0)
    {
        results.Heading("Targets");
        SideBySide("target", ["measured", "× floor", "met", "by"], targetNames,
            (run, row) => targets[run].FirstOrDefault(t => t[0] == targetNames[row]) is { } t ? [t[1], t[4], t[2], t[3]] : null);
        results.Line("× floor: the figure over what the machine allows for the same thing (HTTP p95 of a static file, a hub round trip's " +
                     "p99, the database's single-row commits per second; for search, the plain inbox page's p95); – where there is no such floor.\n");
    }
}

// One table, the providers' columns side by side: "SQLite p50 ms … PostgreSQL p50 ms …".
void SideBySide(string first, IReadOnlyList<string> columns, IReadOnlyList<string> rows, Func<ProviderRun, int, IReadOnlyList<string>?> cells)
{
    var header = new List<string> { first };
    foreach (var run in runs) header.AddRange(columns.Select(c => $"{run.Store.Label} {c}"));
    results.Table(header, rows.Select((name, row) =>
    {
        var line = new List<string> { name };
        foreach (var run in runs) line.AddRange(cells(run, row) ?? columns.Select(_ => "").ToList());
        return (IReadOnlyList<string>)line;
    }));
}

static string Statements(HttpPhase.Figure f) =>
    f.Statements is not { } median ? "–" : f.StatementsMax is { } max && max != median ? $"{median} (max {max})" : $"{median}";

// The search's floor: the plain inbox page's p95 in the same phase.
static double SearchFloor(ProviderRun run) => run.Search?.FirstOrDefault(f => f.Query.Length == 0)?.Latency.P95 ?? double.NaN;

static string Percent(double fraction) => fraction < 0.1 ? $"{fraction * 100:F1}%" : $"{fraction * 100:F0}%";

static IReadOnlyList<string> Target(string name, double measured, double target, string unit, bool lowerIsBetter, double tolerance = 1,
    double? floor = null)
{
    // Memory that fell while the circuits were open says nothing about what they cost (the machine was busy, or a collection came late).
    if (unit == "KB" && measured < 0) return [name, $"{measured:F1} {unit}", "–", "not measurable: memory fell", "–"];
    var met = lowerIsBetter ? measured <= target : measured >= target * tolerance;
    var by = lowerIsBetter ? (measured - target) / target : (target - measured) / target;
    var shown = unit == "%" ? $"{measured:F2} %" : $"{(measured < 100 ? measured.ToString("F1") : measured.ToString("N0"))} {unit}".TrimEnd();
    var missed = lowerIsBetter ? $"missed: {measured / target:F1}× the target" : $"missed by {Math.Abs(by) * 100:F0}%";
    return [name, shown, met ? "yes" : "**no**", met ? "" : missed, floor is { } f ? Ratio(measured, f) : "–"];
}

static Machine MachineInfo(IEnumerable<string> databases)
{
    var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    var os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?.Split('=')[1].Trim('"') ?? RuntimeInformation.OSDescription;
    return new Machine(Environment.ProcessorCount, Math.Round(long.Parse(memKb) / 1024.0 / 1024.0), os, RuntimeInformation.FrameworkDescription.Replace(".NET ", ""),
        string.Join(", ", databases), string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[0..3]));
}

/// <summary>One provider's figures in this run (null: the phase was not run, or the run failed before it).</summary>
internal sealed class ProviderRun(BenchStore store, string version)
{
    public BenchStore Store => store;
    public string Version => version;
    public LoadReport? Load { get; set; }
    public FloorPhase.Figures? Floor { get; set; }
    public List<HttpPhase.Figure>? Http { get; set; }
    public List<SearchPhase.Figure>? Search { get; set; }
    public HubMemory? HubMemory { get; set; }
    public List<DeliveryPhase.StepFigures>? Delivery { get; set; }
    public CpuMeter.Usage? DeliveryIdle { get; set; }
    public List<int> DeliverySkipped { get; set; } = [];
    public (int? Rate, double? Interpolated) Knee { get; set; }
    public BrowserPhase.LoadFigures? BrowserLoads { get; set; }
    public BrowserPhase.CircuitFigures? Circuits { get; set; }
    public WebhooksPhase.Figures? Webhooks { get; set; }
    public FilesPhase.Figures? Files { get; set; }
    public OverloadPhase.Figures? Overload { get; set; }
    public ColdStartPhase.Figures? ColdStart { get; set; }
    public string? Error { get; set; }
}

internal sealed record HubMemory(int Connections, int Subscriptions, MemorySample Before, MemorySample After, double ResidentPerConnection,
    double ManagedHeapPerConnection);

internal sealed record Machine(int Cores, double MemoryGiB, string Os, string Runtime, string Databases, string LoadAverage);
