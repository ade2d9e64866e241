using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Npgsql;
using Whop.Inbox.Benchmarks;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Phases;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;
using static Whop.Inbox.Benchmarks.Reporting.Results;

// The whole benchmark, one phase after another, against one published app process. `bash .ci/bench`
// builds and publishes, then runs this; see the README's "Benchmarks" section.

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
var shape = new BenchData(options.Scale);
var clock = Stopwatch.StartNew();
void Say(string line) => Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}");

var results = new Results();
var started = DateTimeOffset.UtcNow;
var machine = await MachineAsync(options.AdminConnectionString);
results.Set("run", new
{
    Date = started.ToString("yyyy-MM-dd HH:mm 'UTC'"),
    Command = ("bash .ci/bench " + Environment.GetEnvironmentVariable("BENCH_ARGS")).Trim(),
    options.Scale,
    Data = new { shape.SupportChats, shape.Messages, shape.Dms, shape.HubUsers },
    Machine = machine,
    options.Note,
    options.AppConnectionOptions,
    options.AppEnvironment,
});

// A fresh key per run: the app's admin credential for this run only.
var bootstrapKey = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
var database = new BenchDatabase(options.AdminConnectionString, options.DatabaseName, shape, Say);
var appConnectionString = string.IsNullOrEmpty(options.AppConnectionOptions)
    ? database.ConnectionString
    : database.ConnectionString + ";" + options.AppConnectionOptions;
AppProcess.Settings Settings() =>
    new(options.AppFolder, appConnectionString, bootstrapKey, Path.Combine(options.WorkFolder, "app.log"), options.AppEnvironment);

var load = await database.EnsureAsync(options.Regenerate, Settings);
if (load is not null) results.Set("data_load", load);

FloorPhase.Figures? floor = null;
List<HttpPhase.Figure>? http = null;
List<DeliveryPhase.StepFigures>? delivery = null;
HubMemory? hubMemory = null;
BrowserPhase.LoadFigures? browserLoads = null;
BrowserPhase.CircuitFigures? circuits = null;
ColdStartPhase.Figures? coldStart = null;
(int? Rate, double? Interpolated) knee = (null, null);
CpuMeter.Usage? deliveryIdle = null;
List<int> deliverySkipped = [];
var connections = Math.Min(options.Connections, shape.HubUsers);

await using (var app = AppProcess.Start(Settings()))
{
    var firstStart = await app.WaitHealthyAsync(Stopwatch.GetTimestamp(), TimeSpan.FromMinutes(10));
    Say($"app: pid {app.Pid} at {app.BaseAddress} (healthy after {firstStart.TotalSeconds:F1} s)");
    using var api = new BenchApi(app.BaseAddress, bootstrapKey, database.ConnectionString);
    var moderatorId = (await api.UserIdsAsync([BenchData.ModeratorUserName]))[BenchData.ModeratorUserName];
    var moderatorToken = await api.AccessTokenAsync(moderatorId);

    if (options.Phases.Contains("floor"))
    {
        var customerId = (await api.UserIdsAsync([BenchData.CustomerUserName(0)])).Values.Single();
        floor = await new FloorPhase(api, Say).RunAsync(await api.AccessTokenAsync(customerId));
        results.Set("floor", floor);
    }

    if (options.Phases.Contains("http"))
    {
        Say("http: inbox and history through the REST API");
        http = await new HttpPhase(api, Say).RunAsync(moderatorToken, options.HttpWarmup, options.HttpIterations);
        results.Set("http", http);
        foreach (var f in http) Say($"  {f.Name}: p50 {Ms(f.Latency.P50)} p95 {Ms(f.Latency.P95)} p99 {Ms(f.Latency.P99)} ms");
    }

    if (options.Phases.Contains("memory-hub") || options.Phases.Contains("delivery"))
    {
        await using var population = new HubPopulation(api, Say);
        var before = await app.SampleMemoryAsync(api.Http);
        await population.OpenAsync(connections);
        using var keepAlive = new Timer(_ => population.Ping(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(5));
        var after = await app.SampleMemoryAsync(api.Http);
        hubMemory = new HubMemory(connections, population.Dms.Sum(d => d.Members.Length), before, after,
            (double)(after.ResidentBytes - before.ResidentBytes) / connections,
            (double)(after.ManagedHeapBytes - before.ManagedHeapBytes) / connections);
        results.Set("memory_hub", hubMemory);
        Say($"memory: {connections} idle connections: RSS +{Mb(after.ResidentBytes - before.ResidentBytes)}, heap +{Mb(after.ManagedHeapBytes - before.ManagedHeapBytes)}");

        if (options.Phases.Contains("delivery"))
        {
            var phase = new DeliveryPhase(api, population, new CpuMeter(app.Pid), Say);
            delivery = await phase.RunAsync(options.Rates, options.StepDuration);
            deliveryIdle = phase.Idle;
            deliverySkipped = phase.Skipped;
            knee = DeliveryPhase.Knee(delivery);
            results.Set("delivery", new { Connections = connections, Dms = population.Dms.Count, SendPath = "hub SendMessage", IdleCpu = deliveryIdle, Steps = delivery, RatesNotTried = deliverySkipped,
                KneeFirstRateOver250MsP99 = knee.Rate, KneeInterpolated = knee.Interpolated });
        }
    }

    if (options.Phases.Contains("browser") || options.Phases.Contains("memory-circuits"))
    {
        await using var browser = new BrowserPhase(options.ChromiumPath, app.BaseAddress, Say);
        await browser.StartAsync();
        if (options.Phases.Contains("browser"))
        {
            Say($"browser: {options.BrowserLoads} loads of /inbox");
            browserLoads = await browser.MeasureLoadsAsync(options.BrowserLoads);
            results.Set("browser", browserLoads);
        }
        if (options.Phases.Contains("memory-circuits"))
        {
            Say($"memory: {options.Circuits} circuits of {options.CircuitPage}");
            circuits = await browser.MeasureCircuitsAsync(options.Circuits, app, api.Http, options.CircuitPage);
            results.Set("memory_circuits", circuits);
        }
    }
}

if (options.Phases.Contains("cold-start"))
{
    Say($"cold start: {options.ColdStarts} starts");
    coldStart = await new ColdStartPhase(Settings(), Say).RunAsync(options.ColdStarts);
    results.Set("cold_start", coldStart);
}

results.Set("machine_after", new { LoadAverage = File.ReadAllText("/proc/loadavg").Trim() });
WriteMarkdown();
var folder = string.IsNullOrEmpty(options.ResultsFolder) ? "results" : options.ResultsFolder;
await results.WriteAsync(folder, $"Results of {started:yyyy-MM-dd} (scale {options.Scale})");
Say($"results: {Path.Combine(folder, "latest.md")} and latest.json");
return 0;

void WriteMarkdown()
{
    results.Line($"Run {started:yyyy-MM-dd HH:mm} UTC, scale {options.Scale} ({N(shape.SupportChats)} support chats, {N(shape.Messages)} messages, " +
                 $"{N(shape.Dms)} DMs). Machine: {machine.Cores} cores, {machine.MemoryGiB} GiB, {machine.Os}, .NET {machine.Runtime}, " +
                 $"{machine.Postgres}. Load average at start {machine.LoadAverage}, at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0..3].Aggregate((a, b) => a + " " + b)}.");
    if (options.Note is { Length: > 0 } note) results.Line($"\n{note}");
    if (load is not null)
        results.Line($"\nData loaded in {load.Seconds:F0} s: COPY {load.CopySeconds:F0} s, indexes and keys {load.IndexSeconds:F0} s, VACUUM ANALYZE {load.VacuumSeconds:F0} s.");

    var targets = new List<IReadOnlyList<string>>();

    if (floor is not null)
    {
        results.Heading("Floor (what the machine allows)");
        results.Table(["", "p50 ms", "p95 ms", "p99 ms", "per second"],
        [
            ["HTTP GET of a static file", Ms(floor.Http.P50), Ms(floor.Http.P95), Ms(floor.Http.P99), N(1000 / floor.Http.Mean)],
            ["hub round trip, no database", Ms(floor.HubRoundTrip.P50), Ms(floor.HubRoundTrip.P95), Ms(floor.HubRoundTrip.P99), N(1000 / floor.HubRoundTrip.Mean)],
            ["INSERT one row + COMMIT, one connection", Ms(floor.InsertCommit.P50), Ms(floor.InsertCommit.P95), Ms(floor.InsertCommit.P99), N(floor.InsertCommitsPerSecondSequential)],
            [$"INSERT + COMMIT, {floor.ParallelConnections} connections", "", "", "", N(floor.InsertCommitsPerSecondParallel)],
        ]);
    }

    if (http is not null)
    {
        results.Heading($"Inbox and history over HTTP (moderator's access token, warm, {options.HttpIterations} requests each)");
        results.Table(["endpoint", "p50 ms", "p95 ms", "p99 ms", "p50 × floor"],
            http.Select(f => (IReadOnlyList<string>)[f.Name, Ms(f.Latency.P50), Ms(f.Latency.P95), Ms(f.Latency.P99),
                Ratio(f.Latency.P50, floor?.Http.P50 ?? double.NaN)]));
        foreach (var f in http.Where(f => f.Name.Contains("chats")))
            targets.Add(Target($"inbox page p95 ≤ 10 ms: {f.Name}", f.Latency.P95, 10, "ms", lowerIsBetter: true));
    }

    if (browserLoads is not null)
    {
        results.Heading($"Inbox in the browser ({browserLoads.Loads} loads, Chromium, signed in as a moderator)");
        results.Table(["from navigation to", "p50 ms", "p95 ms"],
        [
            ["first chat row visible", Ms(browserLoads.ListVisible.P50), Ms(browserLoads.ListVisible.P95)],
            ["page interactive", Ms(browserLoads.Interactive.P50), Ms(browserLoads.Interactive.P95)],
        ]);
    }

    if (delivery is not null)
    {
        results.Heading($"Delivery ({connections} hub connections, open loop, sent through the hub's SendMessage)");
        results.Table(["offered msg/s", "delivered / expected", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "p50 × hub floor", "send ack p99 ms", "persisted msg/s",
                "errors", "CPU ms/msg app + PostgreSQL", "cores: app, PostgreSQL, benchmark, others"],
            delivery.Select(s => (IReadOnlyList<string>)[N(s.OfferedRate), $"{N(s.Delivered)} / {N(s.Expected)} ({s.DeliveredRatio * 100:F2}%)",
                Ms(s.SendToReceive.P50), Ms(s.SendToReceive.P99), Ms(s.SendToReceive.P999), Ms(s.SendToReceive.Max),
                Ratio(s.SendToReceive.P50, floor?.HubRoundTrip.P50 ?? double.NaN), Ms(s.SendToAck.P99), N(s.PersistedPerSecond),
                s.SendErrors == 0 ? "0" : $"{s.SendErrors}: {s.FirstError}", $"{s.AppCpuMsPerMessage:F2} + {s.PostgresCpuMsPerMessage:F2}",
                $"{s.Cpu.AppCores:F2}, {s.Cpu.PostgresCores:F2}, {s.Cpu.BenchmarkCores:F2}, {s.Cpu.OthersCores:F2}"]));
        if (deliverySkipped.Count > 0)
            results.Line($"Not tried: {string.Join(", ", deliverySkipped.Select(r => N(r)))} msg/s (a lower rate was already far past the knee: under 100% delivered within a minute, or p99 over 2.5 s).\n");
        if (deliveryIdle is { } idle)
            results.Line($"Cores busy with the connections open and idle: app {idle.AppCores:F2}, PostgreSQL {idle.PostgresCores:F2}, others {idle.OthersCores:F2}. " +
                         "PostgreSQL's figures count every database on the server; \"others\" is everything else on the machine.\n");
        results.Line(knee.Rate is null
            ? "Knee: p99 stayed under 250 ms at every offered rate."
            : $"Knee: p99 passes 250 ms (or delivery drops) at {N(knee.Rate.Value)} msg/s" +
              (knee.Interpolated is { } k ? $"; interpolated crossing ≈ {N(k)} msg/s." : "."));
        if (floor is not null)
            results.Line($"\nPersisted messages per second at best: {N(delivery.Max(s => s.PersistedPerSecond))}, " +
                         $"{delivery.Max(s => s.PersistedPerSecond) / floor.InsertCommitsPerSecondParallel * 100:F0}% of the machine's single-row commit rate with {floor.ParallelConnections} writers ({N(floor.InsertCommitsPerSecondParallel)}/s).");
        if (delivery.FirstOrDefault(s => s.OfferedRate == 500) is { } at500)
        {
            targets.Add(Target("delivery p99 ≤ 50 ms at 500 msg/s", at500.SendToReceive.P99, 50, "ms", lowerIsBetter: true));
            targets.Add(Target("delivered at 500 msg/s = 100%", at500.DeliveredRatio * 100, 100, "%", lowerIsBetter: false));
        }
        if (delivery.FirstOrDefault(s => s.OfferedRate == 1000) is { } at1000)
            targets.Add(Target("≥ 1,000 persisted msg/s sustained (offered 1,000/s)", at1000.PersistedPerSecond, 1000, "msg/s", lowerIsBetter: false, tolerance: 0.98));
        else
            targets.Add(Target("≥ 1,000 persisted msg/s sustained (best of the rates tried)", delivery.Max(s => s.PersistedPerSecond), 1000, "msg/s",
                lowerIsBetter: false, tolerance: 0.98));
    }

    if (hubMemory is not null || circuits is not null)
    {
        results.Heading("Memory (after a full collection, before and after)");
        var rows = new List<IReadOnlyList<string>>();
        if (hubMemory is { } m)
        {
            rows.Add([$"{m.Connections} idle hub connections ({m.Subscriptions} subscriptions)", Mb(m.Before.ResidentBytes), Mb(m.After.ResidentBytes),
                Kb(m.ResidentPerConnection), Kb(m.ManagedHeapPerConnection)]);
        }
        if (circuits is not null)
        {
            rows.Add([$"{circuits.Circuits} circuits of {circuits.Page} (browser pages)", Mb(circuits.Before.ResidentBytes), Mb(circuits.After.ResidentBytes),
                Kb(circuits.ResidentPerCircuit), Kb(circuits.ManagedHeapPerCircuit)]);
            targets.Add(Target("≤ 150 KB per idle circuit (managed heap)", circuits.ManagedHeapPerCircuit / 1024, 150, "KB", lowerIsBetter: true));
            targets.Add(Target("≤ 150 KB per idle circuit (resident)", circuits.ResidentPerCircuit / 1024, 150, "KB", lowerIsBetter: true));
        }
        results.Table(["", "RSS before", "RSS after", "RSS each", "managed heap each"], rows);
    }

    if (coldStart is not null)
    {
        results.Heading($"Cold start ({coldStart.Starts} starts, process start to /healthz 200)");
        results.Table(["", "p50 ms", "p95 ms", "max ms"],
            [["start to healthy", Ms(coldStart.StartToHealthy.P50), Ms(coldStart.StartToHealthy.P95), Ms(coldStart.StartToHealthy.Max)]]);
        targets.Add(Target("cold start p50 ≤ 1.5 s", coldStart.StartToHealthy.P50, 1500, "ms", lowerIsBetter: true));
    }

    if (targets.Count > 0)
    {
        results.Heading("Targets");
        results.Table(["target", "measured", "met", "by"], targets);
    }
}

static IReadOnlyList<string> Target(string name, double measured, double target, string unit, bool lowerIsBetter, double tolerance = 1)
{
    var met = lowerIsBetter ? measured <= target : measured >= target * tolerance;
    var by = lowerIsBetter ? (measured - target) / target : (target - measured) / target;
    var shown = unit == "%" ? $"{measured:F2} %" : $"{(measured < 100 ? measured.ToString("F1") : measured.ToString("N0"))} {unit}";
    return [name, shown, met ? "yes" : "**no**", met ? "" : $"missed by {Math.Abs(by) * 100:F0}%"];
}

static async Task<Machine> MachineAsync(string adminConnection)
{
    var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    var os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME="))?.Split('=')[1].Trim('"') ?? RuntimeInformation.OSDescription;
    await using var db = new NpgsqlConnection(adminConnection);
    await db.OpenAsync();
    await using var version = new NpgsqlCommand("SHOW server_version", db);
    var postgres = "PostgreSQL " + ((string)(await version.ExecuteScalarAsync())!).Split(' ')[0];
    return new Machine(Environment.ProcessorCount, Math.Round(long.Parse(memKb) / 1024.0 / 1024.0), os, RuntimeInformation.FrameworkDescription.Replace(".NET ", ""),
        postgres, string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[0..3]));
}

internal sealed record HubMemory(int Connections, int Subscriptions, MemorySample Before, MemorySample After, double ResidentPerConnection,
    double ManagedHeapPerConnection);

internal sealed record Machine(int Cores, double MemoryGiB, string Os, string Runtime, string Postgres, string LoadAverage);
