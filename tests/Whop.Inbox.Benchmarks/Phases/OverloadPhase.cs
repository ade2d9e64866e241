using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;
using static Whop.Inbox.Benchmarks.Running.OpenLoop;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// No client can slow the others: the app with its per-credential allowance on (as in production),
/// loaded past what it can do, over REST, open loop. Four steps, each while a second credential (the
/// moderator's access token) reads its inbox every 100 ms:
/// <list type="number">
/// <item>flood: one API key offered eight times its allowance of inbox reads;</item>
/// <item>made-up keys: 800 requests a second with bearer keys that exist nowhere, most shaped like real ones;</item>
/// <item>overload: sends at twice the knee for 30 s, spread over the hub population's DMs and their
/// members' access tokens (so the per-credential allowance is not what refuses them); then every send
/// not accepted is retried with its <c>client_message_id</c> until it is, and the database must hold
/// each one exactly once;</item>
/// <item>burst: sends at ten times the knee for 3 s; how long until the reads are back to normal, and
/// whether the app still answers.</item>
/// </list>
/// </summary>
public sealed class OverloadPhase(AppProcess app, BenchApi api, OverloadPhase.Preparation prepared, OverloadPhase.Settings settings,
    Action<string> say)
{
    /// <param name="Knee">msg/s: sends are offered at twice it, the burst at ten times it.</param>
    /// <param name="Allowance">The app's <c>Inbox:RateLimit:RequestsPerSecond</c> (per credential), <paramref name="AllowanceBurst"/> its <c>Burst</c>.</param>
    public sealed record Settings(double Knee, string KneeSource, int Allowance, int AllowanceBurst, TimeSpan FloodDuration, TimeSpan OverloadDuration,
        TimeSpan BurstDuration, TimeSpan RecoveryDuration);

    /// <summary>
    /// Credentials made on the benchmark's main app start (its limiter off, so minting a thousand tokens
    /// is not itself refused); they stay valid on the next start (the key ring is in the database).
    /// </summary>
    /// <param name="MemberTokens">Access tokens of the hub population, by index (<see cref="BenchDm.Members"/>).</param>
    public sealed record Preparation(string ModeratorToken, string FloodKeyId, string FloodKey, IReadOnlyList<BenchDm> Dms, string[] MemberTokens);

    /// <summary>The other credential's reads: failed = anything but 2xx; latency over every read that ended (a timeout at the time it waited).</summary>
    public sealed record ReaderFigures(int Reads, int Failed, string? FirstFailure, Percentiles Latency);

    public sealed record FloodFigures(double OfferedRate, double Seconds, int BehindSchedulePeakMs, StatusCounts Answers, Percentiles Accepted,
        Percentiles Refused, ReaderFigures OtherCredential, CpuMeter.Usage Cpu);

    public sealed record MadeUpKeyFigures(double OfferedRate, double Seconds, int BehindSchedulePeakMs, int ShapedLikeKeys, int NotShaped,
        StatusCounts Answers, Percentiles Unauthorized, Percentiles Refused, ReaderFigures OtherCredential, CpuMeter.Usage Cpu);

    /// <param name="NotRetried">Answered with a status a retry cannot change (a 4xx other than 429): counted, not retried.</param>
    /// <param name="GaveUp">Still not accepted after <see cref="MaxAttempts"/> attempts or <see cref="RetryDeadline"/>.</param>
    public sealed record RetryFigures(int Retried, int NotRetried, int Attempts, int AcceptedOnRetry, int RefusedOnRetry, int GaveUp, int MostAttempts,
        double Seconds, double Rate, string? FirstProblem);

    /// <summary>Every <c>client_message_id</c> sent, looked up in the database after the retries: found once with its content, or lost, or there twice.</summary>
    /// <param name="FoundBeforeRetries">In the database before the retries (so the check sees what the refusals left out).</param>
    /// <param name="RefusedButStored">Refused (429, 503) yet in the database before the retries.</param>
    public sealed record ExactlyOnce(int Issued, int FoundOnce, int Lost, int Duplicated, int WrongContent, int AcceptedButMissing, int FoundBeforeRetries,
        int RefusedButStored);

    public sealed record SendFigures(double OfferedRate, double Seconds, int BehindSchedulePeakMs, int Credentials, int Chats, StatusCounts Answers,
        double AcceptedPerSecond, double AcceptedOverKnee, Percentiles Accepted, double RefusedShare, Percentiles Refused, int? RetryAfterMin,
        int? RetryAfterMax, ReaderFigures OtherCredential, RetryFigures Retry, ExactlyOnce Check, CpuMeter.Usage Cpu);

    /// <param name="RecoverySeconds">
    /// From the burst's end to the first read from which on every sliding second of reads has its p50
    /// within 2× <paramref name="BaselineP50"/>; null when that did not happen within <paramref name="RecoveryWindowSeconds"/>.
    /// </param>
    public sealed record BurstFigures(double OfferedRate, double Seconds, int BehindSchedulePeakMs, StatusCounts Answers, Percentiles Accepted,
        Percentiles Refused, double BaselineP50, ReaderFigures Baseline, ReaderFigures During, ReaderFigures After, double? RecoverySeconds,
        double RecoveryWindowSeconds, double FinalSecondP50, bool Alive, string Health, int AcceptedButMissing, int Duplicated, CpuMeter.Usage Cpu);

    /// <param name="DatabaseServerCounted">Whether the CPU figures count a database server's processes (PostgreSQL; SQLite works inside the app).</param>
    public sealed record Figures(double Knee, string KneeSource, int Allowance, int AllowanceBurst, double ReadsPerSecond, string ReadPath,
        bool DatabaseServerCounted, FloodFigures Flood, MadeUpKeyFigures MadeUpKeys, SendFigures Overload, BurstFigures Burst);

    /// <summary>The other credential reads every 100 ms.</summary>
    public const double ReadsPerSecond = 10;

    public const double MadeUpKeysPerSecond = 800;

    /// <summary>What the other credential and the flooder read: the inbox's first page (the HTTP phase's first endpoint).</summary>
    public const string ReadPath = "/api/v1/support_channels?status=open&first=20";

    private const int MaxAttempts = 20;

    /// <summary>How long the retries may take in all: ten times the step, at least two minutes.</summary>
    private TimeSpan RetryDeadline => TimeSpan.FromSeconds(Math.Max(120, 10 * settings.OverloadDuration.TotalSeconds));
    private const string KeyAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly Uri _inbox = new(api.BaseAddress, ReadPath);
    private readonly Uri _messages = new(api.BaseAddress, "/api/v1/messages");
    private readonly string _moderator = "Bearer " + prepared.ModeratorToken;
    private readonly string[] _members = prepared.MemberTokens.Select(t => "Bearer " + t).ToArray();

    public static async Task<Preparation> PrepareAsync(BenchApi api, BenchData shape, string moderatorToken, Action<string> say)
    {
        var names = Enumerable.Range(0, shape.HubUsers).Select(BenchData.CustomerUserName).ToList();
        var ids = await api.UserIdsAsync(names);
        var userIds = names.Select(n => ids[n]).ToArray();
        var dms = await HubPopulation.LoadDmsAsync(api, userIds);
        say($"overload: {userIds.Length} access tokens (the senders) and an API key (the flooder)");
        var tokens = await api.AccessTokensAsync(userIds);
        using var response = await api.Http.PostAsJsonAsync("/api/v1/api_keys", new Dictionary<string, string> { ["name"] = "benchmark flood" });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return new Preparation(moderatorToken, json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("secret").GetString()!, dms,
            tokens);
    }

    public async Task<Figures> RunAsync()
    {
        // The load has a pool of its own, large enough that requests wait on the server, not on the
        // pool; the other credential's reads have theirs, so the load's queue is never in their times.
        using var load = Client(api.BaseAddress, 2048);
        using var reads = Client(api.BaseAddress, 64);
        var cpu = new CpuMeter(app.Pid, api.Store.HasServerProcesses);
        try
        {
            await WarmUpAsync(load, reads);
            var flood = await FloodAsync(load, reads, cpu);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var madeUp = await MadeUpKeysAsync(load, reads, cpu);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var sends = await SendsAsync(load, reads, cpu);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var burst = await BurstAsync(load, reads, cpu);
            return new Figures(settings.Knee, settings.KneeSource, settings.Allowance, settings.AllowanceBurst, ReadsPerSecond, ReadPath,
                api.Store.HasServerProcesses, flood, madeUp,
                sends, burst);
        }
        finally
        {
            if (!app.HasExited)
            {
                // The flooder's key is this run's only; the reused database should not collect them.
                try
                {
                    (await api.Http.DeleteAsync($"/api/v1/api_keys/{prepared.FloodKeyId}")).Dispose();
                }
                catch (HttpRequestException)
                {
                }
            }
        }
    }

    private async Task WarmUpAsync(HttpClient load, HttpClient reads)
    {
        say("overload: warm-up (reads and sends at a low rate, not reported)");
        foreach (var (who, authorization) in new[] { ("the moderator's token", _moderator), ("the flooder's API key", "Bearer " + prepared.FloodKey) })
        {
            var answer = await SendAsync(reads, Read(authorization));
            if (!IsSuccess(answer.Status))
                throw new InvalidOperationException($"GET {ReadPath} with {who} -> {answer.Status}: {answer.Detail}");
        }
        var batch = Prepare("w", 100);
        var readRun = OpenLoop.RunAsync(reads, 20, TimeSpan.FromSeconds(2), _ => Read(_moderator));
        var sends = await OpenLoop.RunAsync(load, 50, TimeSpan.FromSeconds(2), k => Send(batch, k));
        await Task.WhenAll(sends.Completion, (await readRun).Completion);
        if (sends.CountOf(IsSuccess) == 0) throw new InvalidOperationException($"No warm-up send was accepted: {sends.FirstProblem}");
    }

    private async Task<FloodFigures> FloodAsync(HttpClient load, HttpClient reads, CpuMeter cpu)
    {
        var rate = 8.0 * settings.Allowance;
        var duration = settings.FloodDuration;
        say($"overload: flood: one API key at {rate:N0} reads/s (8× its {settings.Allowance}/s, burst {settings.AllowanceBurst}) for {duration.TotalSeconds:F0} s, " +
            "the moderator reading every 100 ms");
        var flooder = "Bearer " + prepared.FloodKey;
        var (shots, reader, usage) = await WithReaderAsync(reads, cpu, duration, () => OpenLoop.RunAsync(load, rate, duration, _ => Read(flooder)));
        var figures = new FloodFigures(rate, shots.ScheduledSeconds, shots.BehindPeakMs, shots.Counts(), shots.LatencyOf(IsSuccess),
            shots.LatencyOf(s => s == 429), ReaderOf(reader), usage);
        say($"  flooder: {figures.Answers}; 429s p50 {Results.Ms(figures.Refused.P50)} p99 {Results.Ms(figures.Refused.P99)} ms; " +
            $"{Describe(figures.OtherCredential)}; {Cores(usage)}");
        return figures;
    }

    private async Task<MadeUpKeyFigures> MadeUpKeysAsync(HttpClient load, HttpClient reads, CpuMeter cpu)
    {
        var duration = settings.FloodDuration;
        var count = (int)Math.Round(MadeUpKeysPerSecond * duration.TotalSeconds);
        // Made before the step: three in four shaped like a key (whk_, 12, _, 32), the rest not shaped like anything of ours.
        var headers = new string[count];
        var shaped = 0;
        for (var k = 0; k < count; k++)
        {
            if (k % 4 != 3)
            {
                headers[k] = $"Bearer whk_{RandomNumberGenerator.GetString(KeyAlphabet, 12)}_{RandomNumberGenerator.GetString(KeyAlphabet, 32)}";
                shaped++;
            }
            else
            {
                headers[k] = (k / 4 % 3) switch
                {
                    // As long as an access token, in its alphabet.
                    0 => "Bearer " + RandomNumberGenerator.GetString(KeyAlphabet + "-_", 180),
                    // A key's prefix, the wrong length.
                    1 => "Bearer whk_" + RandomNumberGenerator.GetString(KeyAlphabet, 20),
                    // Something else a client might send.
                    _ => "Bearer eyJhbGciOiJIUzI1NiJ9." + RandomNumberGenerator.GetString(KeyAlphabet, 40) + "." + RandomNumberGenerator.GetString(KeyAlphabet, 20),
                };
            }
        }
        say($"overload: made-up keys: {MadeUpKeysPerSecond:N0}/s for {duration.TotalSeconds:F0} s ({shaped:N0} shaped like keys, {count - shaped:N0} not), " +
            "the moderator reading every 100 ms");
        var (shots, reader, usage) = await WithReaderAsync(reads, cpu, duration,
            () => OpenLoop.RunAsync(load, MadeUpKeysPerSecond, duration, k => Read(headers[k])));
        var figures = new MadeUpKeyFigures(MadeUpKeysPerSecond, shots.ScheduledSeconds, shots.BehindPeakMs, shaped, count - shaped, shots.Counts(),
            shots.LatencyOf(s => s == 401), shots.LatencyOf(s => s == 429), ReaderOf(reader), usage);
        say($"  made-up keys: {figures.Answers}; 401s p50 {Results.Ms(figures.Unauthorized.P50)} p99 {Results.Ms(figures.Unauthorized.P99)} ms; " +
            $"{Describe(figures.OtherCredential)}; {Cores(usage)}");
        return figures;
    }

    private async Task<SendFigures> SendsAsync(HttpClient load, HttpClient reads, CpuMeter cpu)
    {
        var rate = 2 * settings.Knee;
        var duration = settings.OverloadDuration;
        var batch = Prepare("o", (int)Math.Round(rate * duration.TotalSeconds));
        say($"overload: sends at {rate:N0}/s (2× the knee of {settings.Knee:N0} msg/s) for {duration.TotalSeconds:F0} s: {batch.Count:N0} sends in " +
            $"{prepared.Dms.Count} DMs from {_members.Length} customers' tokens, the moderator reading every 100 ms");
        var (shots, reader, usage) = await WithReaderAsync(reads, cpu, duration, () => OpenLoop.RunAsync(load, rate, duration, k => Send(batch, k)));
        var answers = shots.Counts();
        var refused = answers.TooManyRequests + answers.Unavailable;
        var retryAfters = Enumerable.Range(0, shots.Count).Where(k => shots.Status[k] is 429 or 503 && shots.RetryAfter[k] >= 0)
            .Select(k => shots.RetryAfter[k]).ToList();
        var acceptedPerSecond = shots.SuccessesPerSecond();
        say($"  sends: {answers}; accepted {acceptedPerSecond:N0}/s ({acceptedPerSecond / settings.Knee:F2}× the knee), " +
            $"p50 {Results.Ms(shots.LatencyOf(IsSuccess).P50)} p99 {Results.Ms(shots.LatencyOf(IsSuccess).P99)} ms; refusals p99 " +
            $"{Results.Ms(shots.LatencyOf(s => s is 429 or 503).P99)} ms; behind schedule at most {shots.BehindPeakMs} ms; {Describe(ReaderOf(reader))}; {Cores(usage)}" +
            (shots.FirstProblem is { } problem ? $"; first problem: {problem}" : ""));

        var before = await FindAsync(batch);
        var retry = await RetryAsync(load, shots, batch);
        say($"  retried {retry.Retried:N0} with their client_message_id ({retry.Attempts:N0} attempts at up to {retry.Rate:N0}/s, {retry.Seconds:F0} s): " +
            $"{retry.AcceptedOnRetry:N0} accepted, {retry.GaveUp:N0} gave up, {retry.NotRetried:N0} not retryable");
        var found = await FindAsync(batch);
        var check = new ExactlyOnce(batch.Count, found.Counts.Count(n => n == 1), found.Counts.Count(n => n == 0), found.Counts.Count(n => n > 1),
            found.WrongContent, Enumerable.Range(0, batch.Count).Count(k => IsSuccess(shots.Status[k]) && found.Counts[k] == 0),
            before.Counts.Count(n => n > 0), Enumerable.Range(0, batch.Count).Count(k => shots.Status[k] is 429 or 503 && before.Counts[k] > 0));
        say($"  in the database: before the retries {check.FoundBeforeRetries:N0} ({check.RefusedButStored:N0} of them refused); after, " +
            $"{check.FoundOnce:N0} of {check.Issued:N0} exactly once, {check.Lost} lost, {check.Duplicated} duplicated, {check.WrongContent} with other content");
        return new SendFigures(rate, shots.ScheduledSeconds, shots.BehindPeakMs, _members.Length, prepared.Dms.Count, answers, acceptedPerSecond,
            acceptedPerSecond / settings.Knee, shots.LatencyOf(IsSuccess), (double)refused / shots.Count, shots.LatencyOf(s => s is 429 or 503),
            retryAfters.Count == 0 ? null : retryAfters.Min(), retryAfters.Count == 0 ? null : retryAfters.Max(), ReaderOf(reader), retry, check, usage);
    }

    private async Task<BurstFigures> BurstAsync(HttpClient load, HttpClient reads, CpuMeter cpu)
    {
        // The reads' normal, on the calm app just before.
        var calm = await OpenLoop.RunAsync(reads, ReadsPerSecond, TimeSpan.FromSeconds(3), _ => Read(_moderator));
        await calm.Completion;
        var baseline = ReaderOf(calm);

        var rate = 10 * settings.Knee;
        var duration = settings.BurstDuration;
        var batch = Prepare("b", (int)Math.Round(rate * duration.TotalSeconds));
        say($"overload: burst: sends at {rate:N0}/s (10× the knee) for {duration.TotalSeconds:F0} s, then the moderator's reads for " +
            $"{settings.RecoveryDuration.TotalSeconds:F0} s (their p50 before: {Results.Ms(baseline.Latency.P50)} ms)");
        var before = cpu.Take();
        var started = Stopwatch.GetTimestamp();
        var readRun = OpenLoop.RunAsync(reads, ReadsPerSecond, duration + settings.RecoveryDuration, _ => Read(_moderator));
        var shots = await OpenLoop.RunAsync(load, rate, duration, k => Send(batch, k));
        var burstEnd = shots.End;
        var reader = await readRun;
        await Task.WhenAll(reader.Completion, shots.Completion);
        var usage = CpuMeter.Between(before, cpu.Take(), Stopwatch.GetElapsedTime(started).TotalSeconds);
        var health = await HealthAsync();
        var alive = health == "/healthz 200";

        var recovery = Recovery(reader, burstEnd, baseline.Latency.P50);
        var found = await FindAsync(batch);
        var figures = new BurstFigures(rate, shots.ScheduledSeconds, shots.BehindPeakMs, shots.Counts(), shots.LatencyOf(IsSuccess),
            shots.LatencyOf(s => s is 429 or 503), baseline.Latency.P50, baseline, ReaderOf(reader, k => reader.Due[k] < burstEnd),
            ReaderOf(reader, k => reader.Due[k] >= burstEnd), recovery, (double)(reader.End - burstEnd) / Stopwatch.Frequency,
            ReaderOf(reader, k => reader.Due[k] >= reader.End - Stopwatch.Frequency).Latency.P50, alive, health,
            Enumerable.Range(0, batch.Count).Count(k => IsSuccess(shots.Status[k]) && found.Counts[k] == 0), found.Counts.Count(n => n > 1), usage);
        say($"  burst: {figures.Answers}; behind schedule at most {figures.BehindSchedulePeakMs} ms; reads during: {Describe(figures.During)}; after: " +
            $"{Describe(figures.After)}; back within 2× the p50 before: " +
            (recovery is { } r ? $"{r:F1} s after the burst" : $"not within {figures.RecoveryWindowSeconds:F1} s") + $"; {health}; {Cores(usage)}");
        return figures;
    }

    /// <summary>Runs a step's load while the moderator reads every 100 ms, and waits for every answer of both.</summary>
    private async Task<(Shots Load, Shots Reader, CpuMeter.Usage Cpu)> WithReaderAsync(HttpClient reads, CpuMeter cpu, TimeSpan duration,
        Func<Task<Shots>> load)
    {
        var before = cpu.Take();
        var started = Stopwatch.GetTimestamp();
        var readRun = OpenLoop.RunAsync(reads, ReadsPerSecond, duration, _ => Read(_moderator));
        var shots = await load();
        var reader = await readRun;
        await Task.WhenAll(shots.Completion, reader.Completion);
        return (shots, reader, CpuMeter.Between(before, cpu.Take(), Stopwatch.GetElapsedTime(started).TotalSeconds));
    }

    private HttpRequestMessage Read(string authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _inbox);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return request;
    }

    private sealed record SendBody(string ChannelId, string Content, string ClientMessageId);

    /// <summary>A step's sends, made before it: bodies (reused by the retries) and each one's sender.</summary>
    private sealed record Batch(string Step, string Prefix, byte[][] Bodies, string[] Authorizations)
    {
        public int Count => Bodies.Length;
    }

    private string Content(string step, int k) => $"Overload check {_run} {step} {k}";

    /// <summary>Send k goes to DM k mod n, from its members in turn, with the client_message_id run-step-k.</summary>
    private Batch Prepare(string step, int count)
    {
        var dms = prepared.Dms;
        var prefix = $"{_run}-{step}-";
        var bodies = new byte[count][];
        var authorizations = new string[count];
        for (var k = 0; k < count; k++)
        {
            var dm = dms[k % dms.Count];
            var sender = dm.Members[k / dms.Count % dm.Members.Length];
            bodies[k] = JsonSerializer.SerializeToUtf8Bytes(new SendBody(dm.Id, Content(step, k), prefix + k), Json);
            authorizations[k] = _members[sender];
        }
        return new Batch(step, prefix, bodies, authorizations);
    }

    private HttpRequestMessage Send(Batch batch, int k)
    {
        var content = new ByteArrayContent(batch.Bodies[k]);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, _messages) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", batch.Authorizations[k]);
        return request;
    }

    private static bool Retryable(short status) => status is 429 or TimedOut or Failed || status >= 500;

    /// <summary>
    /// Every send not accepted, again with its client_message_id until accepted: in order of when each
    /// may go (its Retry-After, or a second), at most <c>knee / 2</c> a second and 64 at once.
    /// </summary>
    private async Task<RetryFigures> RetryAsync(HttpClient http, Shots shots, Batch batch)
    {
        var rate = Math.Max(20, settings.Knee / 2);
        var pending = Enumerable.Range(0, shots.Count).Where(k => Retryable(shots.Status[k])).ToList();
        var notRetried = shots.Count - pending.Count - shots.CountOf(IsSuccess);
        if (pending.Count == 0) return new RetryFigures(0, notRetried, 0, 0, 0, 0, 0, 0, rate, null);

        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(RetryDeadline.TotalSeconds * Stopwatch.Frequency);
        var notBefore = new long[shots.Count];
        var attempts = new int[shots.Count];
        foreach (var k in pending) notBefore[k] = started + Math.Max(1, shots.RetryAfter[k]) * Stopwatch.Frequency;
        var interval = (long)(Stopwatch.Frequency / rate);
        using var gate = new SemaphoreSlim(64);
        int accepted = 0, refused = 0, total = 0;
        string? firstProblem = null;
        var queue = pending;
        var slot = started;
        var round = 0;
        while (queue.Count > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            var again = new ConcurrentQueue<int>();
            var inFlight = new List<Task>(queue.Count);
            foreach (var k in queue.OrderBy(k => notBefore[k]))
            {
                if (Stopwatch.GetTimestamp() >= deadline || notBefore[k] >= deadline)
                {
                    // Out of time: still not accepted.
                    again.Enqueue(k);
                    continue;
                }
                slot = Math.Max(slot + interval, notBefore[k]);
                var wait = slot - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 500) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
                await gate.WaitAsync();
                attempts[k]++;
                total++;
                inFlight.Add(AttemptAsync(k, again));
            }
            await Task.WhenAll(inFlight);
            queue = again.Where(k => attempts[k] < MaxAttempts).ToList();
            round++;
            if (queue.Count > 0)
                say($"  retry round {round}: {queue.Count:N0} still not accepted after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s" +
                    (firstProblem is { } problem ? $" ({problem})" : ""));
        }
        return new RetryFigures(pending.Count, notRetried, total, accepted, refused, pending.Count - accepted, attempts.Max(),
            Stopwatch.GetElapsedTime(started).TotalSeconds, rate, firstProblem);

        async Task AttemptAsync(int k, ConcurrentQueue<int> again)
        {
            Answer answer;
            try
            {
                answer = await SendAsync(http, Send(batch, k));
            }
            finally
            {
                gate.Release();
            }
            if (IsSuccess(answer.Status))
            {
                Interlocked.Increment(ref accepted);
                return;
            }
            if (answer.Status is 429 or 503) Interlocked.Increment(ref refused);
            if (answer.Detail is not null) Interlocked.CompareExchange(ref firstProblem, answer.Detail, null);
            // A status a retry cannot change: given up.
            if (!Retryable(answer.Status)) return;
            notBefore[k] = Stopwatch.GetTimestamp() + Math.Max(1, answer.RetryAfterSeconds) * Stopwatch.Frequency;
            again.Enqueue(k);
        }
    }

    /// <summary>How many times each of the batch's client_message_ids is in the database, and how many rows have other content than was sent.</summary>
    private async Task<(int[] Counts, int WrongContent)> FindAsync(Batch batch)
    {
        var counts = new int[batch.Count];
        var wrong = 0;
        await using var db = await api.Store.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandTimeout = 300;
        command.CommandText = "SELECT client_message_id, content FROM messages " +
                              $"WHERE channel_id IN ({BenchStore.InList(command, prepared.Dms.Select(d => d.Id).ToList())}) AND client_message_id LIKE @prefix";
        BenchStore.AddParameter(command, "prefix", batch.Prefix + "%");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            if (!id.StartsWith(batch.Prefix, StringComparison.Ordinal) || !int.TryParse(id.AsSpan(batch.Prefix.Length), out var k) || k >= batch.Count) continue;
            counts[k]++;
            if (reader.GetString(1) != Content(batch.Step, k)) wrong++;
        }
        return (counts, wrong);
    }

    /// <summary>
    /// From <paramref name="from"/> to the first read after which every sliding second of reads (by
    /// when they were sent; a failed read counts as endless) has its p50 within 2× <paramref name="baselineP50"/>.
    /// </summary>
    internal static double? Recovery(Shots reads, long from, double baselineP50)
    {
        var after = Enumerable.Range(0, reads.Count).Where(k => reads.Due[k] >= from)
            .Select(k => (At: (double)(reads.Due[k] - from) / Stopwatch.Frequency, Ms: IsSuccess(reads.Status[k]) ? reads.Ms[k] : double.PositiveInfinity))
            .OrderBy(r => r.At).ToList();
        if (after.Count == 0 || double.IsNaN(baselineP50)) return null;
        var last = after[^1].At;
        double? recovered = null;
        for (var i = 0; i < after.Count; i++)
        {
            var start = after[i].At;
            // Only whole seconds of reads.
            if (start > last - 0.9) break;
            var p50 = Percentiles.Of(after.Where(r => r.At >= start && r.At < start + 1).Select(r => r.Ms)).P50;
            if (p50 <= 2 * baselineP50) recovered ??= start;
            else recovered = null;
        }
        return recovered;
    }

    private async Task<string> HealthAsync()
    {
        if (app.HasExited) return $"the app exited (status {app.ExitCode})";
        using var http = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync("/healthz");
            return $"/healthz {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"/healthz did not answer: {e.GetBaseException().Message}";
        }
    }

    private static ReaderFigures ReaderOf(Shots reads, Func<int, bool>? which = null)
    {
        var chosen = Enumerable.Range(0, reads.Count).Where(k => which?.Invoke(k) ?? true).ToList();
        var failed = chosen.Where(k => !IsSuccess(reads.Status[k])).ToList();
        var first = failed.Count == 0 ? null : reads.Status[failed[0]] switch
        {
            TimedOut => "no answer within 30 s",
            Failed => "no answer (connection)",
            0 => "unfinished",
            var s => $"HTTP {s}",
        };
        return new ReaderFigures(chosen.Count, failed.Count, first,
            Percentiles.Of(chosen.Where(k => reads.Status[k] is not (Failed or 0)).Select(k => reads.Ms[k])));
    }

    private static string Describe(ReaderFigures r) =>
        $"moderator's reads p50 {Results.Ms(r.Latency.P50)} p99 {Results.Ms(r.Latency.P99)} ms, {r.Failed} of {r.Reads} failed" +
        (r.FirstFailure is { } f ? $" (first: {f})" : "");

    private string Cores(CpuMeter.Usage u) =>
        $"cores: app {u.AppCores:F2}" + (api.Store.HasServerProcesses ? $", {api.Store.Label} {u.PostgresCores:F2}" : "") +
        $", benchmark {u.BenchmarkCores:F2}, others {u.OthersCores:F2}";
}
