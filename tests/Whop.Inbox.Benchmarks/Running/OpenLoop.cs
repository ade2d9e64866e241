using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Whop.Inbox.Benchmarks.Reporting;

namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// Open-loop HTTP load: request k of a run is due at start + k/rate whatever happened to the earlier
/// ones (never awaited before the next is sent), and its latency counts from that due time, so a
/// server that stalls cannot slow the arrivals down and hide its own queue. The load generator
/// shares the machine with the app, so it stays lean: the caller prepares bodies and header values
/// before the run, and each request costs one request object and one task.
/// </summary>
public static class OpenLoop
{
    /// <summary>Status of a request the client gave up on after <see cref="ClientTimeout"/>.</summary>
    public const short TimedOut = -1;

    /// <summary>Status of a request that got no HTTP answer (connection refused or reset).</summary>
    public const short Failed = -2;

    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A client with its own connection pool: enough connections that requests wait on the server,
    /// not on the pool (a request waiting for a connection is still timed from its due time).
    /// </summary>
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
        ConnectTimeout = ClientTimeout,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = ClientTimeout,
    };

    /// <summary>What one request got: its status (or <see cref="TimedOut"/>, <see cref="Failed"/>), Retry-After in seconds (-1: none), and for an unexpected status or a failure, what it said.</summary>
    public readonly record struct Answer(short Status, int RetryAfterSeconds, string? Detail);

    /// <summary>Sends one request and reads its answer to the end; disposes the request.</summary>
    /// <param name="describeUnavailable">Also say what a 503 said (its body), not only an unexpected status.</param>
    public static async Task<Answer> SendAsync(HttpClient http, HttpRequestMessage request, bool describeUnavailable = false)
    {
        try
        {
            using (request)
            using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false))
            {
                var status = (short)response.StatusCode;
                var retryAfter = response.Headers.RetryAfter is { } after
                    ? (int)Math.Ceiling((after.Delta ?? (after.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.Zero)).TotalSeconds)
                    : -1;
                string? detail = null;
                if (!IsSuccess(status) && (status is not (401 or 429 or 503) || (status == 503 && describeUnavailable)))
                {
                    detail = $"{status}: {Describe(await response.Content.ReadAsStringAsync().ConfigureAwait(false))}";
                }
                return new Answer(status, retryAfter, detail);
            }
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            return new Answer(TimedOut, -1, $"no answer within {ClientTimeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException e)
        {
            return new Answer(Failed, -1, e.GetBaseException().Message);
        }
    }

    public static bool IsSuccess(short status) => status is >= 200 and < 300;

    /// <summary>A problem-details body's <c>detail</c>, else the start of the body.</summary>
    private static string Describe(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("detail", out var detail) &&
                detail.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }
        return body.Length > 200 ? body[..200] + "…" : body;
    }

    /// <summary>
    /// Sends <paramref name="rate"/> requests a second for <paramref name="duration"/>, request k made
    /// by <paramref name="request"/>(k). Returns once the last one is sent; <see cref="Shots.Completion"/>
    /// ends when every answer is in (each within the client's timeout).
    /// </summary>
    public static async Task<Shots> RunAsync(HttpClient http, double rate, TimeSpan duration, Func<int, HttpRequestMessage> request)
    {
        var count = Math.Max(1, (int)Math.Round(rate * duration.TotalSeconds));
        var shots = new Shots(count, rate);
        var tasks = new Task[count];
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        shots.Start = start;
        for (var k = 0; k < count; k++)
        {
            var due = start + (long)(k * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 500) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            var now = Stopwatch.GetTimestamp();
            shots.BehindPeak = Math.Max(shots.BehindPeak, now - due);
            // From the due time when the sender is late (open loop), from the send when it is early.
            shots.Due[k] = Math.Min(due, now);
            tasks[k] = ShootAsync(http, shots, k, request(k));
        }
        shots.End = Stopwatch.GetTimestamp();
        shots.Completion = Task.WhenAll(tasks);
        return shots;
    }

    private static async Task ShootAsync(HttpClient http, Shots shots, int k, HttpRequestMessage request)
    {
        var answer = await SendAsync(http, request, describeUnavailable: shots.FirstUnavailable is null).ConfigureAwait(false);
        var now = Stopwatch.GetTimestamp();
        shots.Ms[k] = (now - shots.Due[k]) * 1000.0 / Stopwatch.Frequency;
        shots.RetryAfter[k] = answer.RetryAfterSeconds;
        shots.Status[k] = answer.Status;
        if (IsSuccess(answer.Status)) InterlockedMax(ref shots.LastSuccess, now);
        else if (answer.Status == 503) Interlocked.CompareExchange(ref shots.FirstUnavailable, answer.Detail, null);
        else if (answer.Detail is not null) Interlocked.CompareExchange(ref shots.FirstProblem, answer.Detail, null);
    }

    internal static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>One open-loop run's requests: when each was due, what it got and how long it took (in ms, from its due time).</summary>
    public sealed class Shots(int count, double rate)
    {
        public int Count => count;
        public double Rate => rate;
        public long Start;
        public long End;
        public readonly long[] Due = new long[count];
        public readonly short[] Status = new short[count];
        public readonly double[] Ms = new double[count];
        public readonly int[] RetryAfter = new int[count];
        public long BehindPeak;
        public long LastSuccess;
        public string? FirstProblem;

        /// <summary>What the first 503 said (a refusal to shed load, or the database not answering).</summary>
        public string? FirstUnavailable;

        public Task Completion { get; internal set; } = Task.CompletedTask;

        /// <summary>From the first due time to the last request sent.</summary>
        public double ScheduledSeconds => (double)(End - Start) / Stopwatch.Frequency;

        public int BehindPeakMs => (int)(BehindPeak * 1000 / Stopwatch.Frequency);

        public int CountOf(Func<short, bool> status)
        {
            var n = 0;
            foreach (var s in Status) if (status(s)) n++;
            return n;
        }

        public Percentiles LatencyOf(Func<short, bool> status) =>
            Percentiles.Of(Enumerable.Range(0, count).Where(k => status(Status[k])).Select(k => Ms[k]));

        /// <summary>Answers by kind.</summary>
        public StatusCounts Counts() => new(count, CountOf(IsSuccess), CountOf(s => s == 401), CountOf(s => s == 429), CountOf(s => s == 503),
            CountOf(s => s > 0 && !IsSuccess(s) && s is not (401 or 429 or 503)), CountOf(s => s == TimedOut), CountOf(s => s == Failed),
            CountOf(s => s == 0), FirstProblem, FirstUnavailable);

        /// <summary>Accepted (2xx) per second, from the first due time to the last acceptance.</summary>
        public double SuccessesPerSecond()
        {
            var ok = CountOf(IsSuccess);
            return ok == 0 || LastSuccess <= Start ? 0 : ok / ((double)(LastSuccess - Start) / Stopwatch.Frequency);
        }
    }

    /// <summary>A run's answers by kind: 2xx, 401, 429, 503, any other status, client timeouts, no answer at all, not finished.</summary>
    public sealed record StatusCounts(int Sent, int Success, int Unauthorized, int TooManyRequests, int Unavailable, int OtherStatus, int TimedOut,
        int Failed, int Unfinished, string? FirstProblem, string? FirstUnavailable = null)
    {
        public override string ToString() =>
            $"2xx {Success:N0}, 401 {Unauthorized:N0}, 429 {TooManyRequests:N0}, 503 {Unavailable:N0}, other {OtherStatus:N0}, " +
            $"timeouts {TimedOut:N0}, no answer {Failed:N0}" + (Unfinished > 0 ? $", unfinished {Unfinished:N0}" : "");
    }
}
