using System.Globalization;

namespace Whop.Inbox.Benchmarks;

/// <summary>What one run does: the command line of <c>bash .ci/bench</c>, with defaults for the full run.</summary>
public sealed record BenchOptions
{
    /// <summary>1 = the issue's data set (100,000 chats, 5,000,000 messages, 10,000 DMs); 0.01 for a quick run.</summary>
    public double Scale { get; init; } = 1;

    /// <summary>The published app (the folder with Whop.Inbox.dll).</summary>
    public string AppFolder { get; init; } = "";

    /// <summary>The databases to measure, one after the other, each on the same data: <c>sqlite</c>, <c>postgres</c> (both by default).</summary>
    public IReadOnlyList<string> Providers { get; init; } = AllProviders;

    public static readonly IReadOnlyList<string> AllProviders = ["sqlite", "postgres"];

    /// <summary>
    /// App processes on the one database (PostgreSQL only; the SQLite file serves one instance), each on its own port:
    /// the http phase alternates its requests between them and the hub connections are spread over them, so a delivery
    /// crosses instances through the database's fan-out. The other phases use the first instance.
    /// </summary>
    public int Instances { get; init; } = 1;

    /// <summary>A maintenance database on the PostgreSQL server, with a role that may create databases.</summary>
    public string AdminConnectionString { get; init; } = "Host=127.0.0.1;Port=5432;Database=postgres;Username=whop_inbox;Password=whop_inbox";

    public string ResultsFolder { get; init; } = "";
    public string WorkFolder { get; init; } = ".run/bench";
    public string ChromiumPath { get; init; } = "/usr/bin/chromium";

    /// <summary>Regenerate the data even when the database is there and current.</summary>
    public bool Regenerate { get; init; }

    /// <summary>Hub connections for delivery and idle memory: half in DM pairs, all in groups of ten.</summary>
    public int Connections { get; init; } = 1000;

    public IReadOnlyList<int> Rates { get; init; } = [100, 500, 1000, 2000];
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(15);
    public int HttpIterations { get; init; } = 500;
    public int HttpWarmup { get; init; } = 100;
    public int BrowserLoads { get; init; } = 20;
    public int Circuits { get; init; } = 50;

    /// <summary>The page the circuits open (the inbox; another page for comparison, e.g. <c>/messages</c>).</summary>
    public string CircuitPage { get; init; } = "/inbox";

    /// <summary>How long the open circuits idle before the memory is read: longer to take a heap dump of them meanwhile.</summary>
    public TimeSpan CircuitIdle { get; init; } = TimeSpan.FromSeconds(5);
    public int ColdStarts { get; init; } = 10;

    /// <summary>The webhooks phase's sends, each run (without an endpoint, then with one), and how many are in flight at once.</summary>
    public int WebhookSends { get; init; } = 2000;

    public int WebhookSenders { get; init; } = 4;

    /// <summary>The files phase's uploads and downloads of each size, one at a time (the 10 MB file and the image: half as many, at least 3).</summary>
    public int FileRepetitions { get; init; } = 20;

    /// <summary>Phases to run (all by default): floor, http, search, memory-hub, delivery, browser, memory-circuits, webhooks, files, overload, cold-start.</summary>
    public IReadOnlySet<string> Phases { get; init; } = AllPhases;

    public static readonly IReadOnlySet<string> AllPhases =
        new HashSet<string> { "floor", "http", "search", "memory-hub", "delivery", "browser", "memory-circuits", "webhooks", "files", "overload", "cold-start" };

    /// <summary>
    /// The overload phase's knee in msg/s (sends at twice it, a burst at ten times it). Unset: the
    /// delivery phase's best persisted msg/s of the same run when that phase found its knee, else
    /// <see cref="DefaultKnee"/>.
    /// </summary>
    public double? Knee { get; init; }

    public const double DefaultKnee = 400;

    /// <summary>
    /// The per-credential allowance the overload phase gives its app (<c>Inbox:RateLimit</c>; the app's defaults). Below 10/s the
    /// other credential's reads (10 a second) are refused too.
    /// </summary>
    public int RateLimit { get; init; } = 50;

    public int RateLimitBurst { get; init; } = 200;

    /// <summary>The flood and made-up-key steps of the overload phase, each.</summary>
    public TimeSpan FloodDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The overload phase's sends at twice the knee.</summary>
    public TimeSpan OverloadDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The overload phase's burst at ten times the knee, and the reads measured after it.</summary>
    public TimeSpan BurstDuration { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan RecoveryDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra settings for the app's connection string (e.g. <c>Max Auto Prepare=32</c>), to compare tunings.</summary>
    public string? AppConnectionOptions { get; init; }

    /// <summary>Extra environment variables for the app process (runtime knobs such as <c>DOTNET_gcServer=0</c>), to compare tunings.</summary>
    public IReadOnlyDictionary<string, string> AppEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>A note for the results: whether the machine was shared during the run.</summary>
    public string? Note { get; init; }

    private string ScaleName => Scale.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A PostgreSQL database of this run's own (generated when missing), for a run that must not share its database with
    /// another run on the same server; its CPU figures then count only that database's server processes.
    /// </summary>
    public string? Database { get; init; }

    /// <summary>PostgreSQL's benchmark database at this scale (or the one <see cref="Database"/> names).</summary>
    public string DatabaseName => Database ?? (Scale == 1 ? "whop_inbox_bench" : $"whop_inbox_bench_{Scale.ToString(CultureInfo.InvariantCulture).Replace('.', '_')}");

    /// <summary>SQLite's benchmark file at this scale, kept between runs like the PostgreSQL database.</summary>
    public string SqlitePath => Path.Combine(WorkFolder, "data", $"inbox-{ScaleName}.db");

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            o = args[i] switch
            {
                "--providers" => o with { Providers = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList() },
                "--database" => o with { Database = Next() },
                "--instances" => o with { Instances = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--scale" => o with { Scale = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--app" => o with { AppFolder = Next() },
                "--admin-connection" => o with { AdminConnectionString = Next() },
                "--results" => o with { ResultsFolder = Next() },
                "--work" => o with { WorkFolder = Next() },
                "--chromium" => o with { ChromiumPath = Next() },
                "--regenerate" => o with { Regenerate = true },
                "--connections" => o with { Connections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rates" => o with { Rates = Next().Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList() },
                "--step-seconds" => o with { StepDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--http-iterations" => o with { HttpIterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--browser-loads" => o with { BrowserLoads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--circuits" => o with { Circuits = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--circuit-page" => o with { CircuitPage = Next() },
                "--circuit-idle-seconds" => o with { CircuitIdle = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--cold-starts" => o with { ColdStarts = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--webhook-sends" => o with { WebhookSends = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--webhook-senders" => o with { WebhookSenders = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--file-repetitions" => o with { FileRepetitions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--phases" => o with { Phases = Next().Split(',').ToHashSet() },
                "--note" => o with { Note = Next() },
                "--knee" => o with { Knee = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate-limit" => o with { RateLimit = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate-limit-burst" => o with { RateLimitBurst = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--flood-seconds" => o with { FloodDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--overload-seconds" => o with { OverloadDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--burst-seconds" => o with { BurstDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--recovery-seconds" => o with { RecoveryDuration = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--app-connection-options" => o with { AppConnectionOptions = Next() },
                "--app-env" => o with { AppEnvironment = new Dictionary<string, string>(o.AppEnvironment) { [Next().Split('=')[0]] = args[i].Split('=', 2)[1] } },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }
        if (string.IsNullOrEmpty(o.AppFolder) || !File.Exists(Path.Combine(o.AppFolder, "Whop.Inbox.dll")))
            throw new ArgumentException("--app must name the published app's folder (with Whop.Inbox.dll).");
        if (o.Providers.Count == 0 || o.Providers.Except(AllProviders).Any())
            throw new ArgumentException($"--providers takes sqlite, postgres or both (sqlite,postgres), not {string.Join(",", o.Providers)}.");
        if (o.Instances is < 1 or > 8) throw new ArgumentException("--instances takes 1 to 8.");
        if (o.Instances > 1 && o.Providers.Contains("sqlite"))
            throw new ArgumentException("--instances above 1 needs --providers postgres: the SQLite file serves one instance.");
        if (o.Connections < 20 || o.Connections % 10 != 0) throw new ArgumentException("--connections must be a multiple of 10, at least 20.");
        if (o.Knee is <= 0) throw new ArgumentException("--knee must be a rate above 0 (msg/s).");
        if (o.RateLimit <= 0 || o.RateLimitBurst <= 0)
            throw new ArgumentException("--rate-limit and --rate-limit-burst must be above 0: the overload phase measures the limiter.");
        if (o.WebhookSends < 10 || o.WebhookSenders < 1) throw new ArgumentException("--webhook-sends must be at least 10 and --webhook-senders at least 1.");
        if (o.Phases.Except(AllPhases).FirstOrDefault() is { } unknown)
            throw new ArgumentException($"Unknown phase {unknown}; the phases are {string.Join(", ", AllPhases)}.");
        return o;
    }
}
