using System.Globalization;
using Whop.Inbox.Benchmarks.Phases;
using Whop.Inbox.Benchmarks.Running;
using static Whop.Inbox.Benchmarks.Reporting.Results;
using F = Whop.Inbox.Benchmarks.Phases.OverloadPhase.Figures;

namespace Whop.Inbox.Benchmarks.Reporting;

/// <summary>
/// The overload phase's table: each step's figures, and beside those the issue sets a target for,
/// the target and whether it was met. The same checks go into the run's "Targets" table.
/// </summary>
public static class OverloadReport
{
    /// <summary>A figure against its target: what was measured, whether it met it (null: nothing to judge), and by how much it missed.</summary>
    public sealed record Check(string Target, string Shown, bool? Met, string By)
    {
        public string MetText => Met switch { true => "yes", false => "**no**", null => "–" };

        /// <summary>For the overload table's "met" column: the verdict, and by how much it missed.</summary>
        public string Verdict => Met == false && By.Length > 0 ? $"{MetText} ({By})" : Met is null && By.Length > 0 ? $"– ({By})" : MetText;
    }

    /// <param name="Check">Only for the figures with a target.</param>
    public sealed record Row(string Step, string Figure, string Target, Func<F, string> Value, Func<F, Check>? Check = null);

    private const string Flood = "flood";
    private const string MadeUp = "made-up keys";
    private const string Sends = "sends at 2× the knee";
    private const string Burst = "burst at 10× the knee";

    public static IReadOnlyList<Row> Rows { get; } =
    [
        new(Flood, "offered", "", f => $"{N(f.Flood.OfferedRate)}/s for {f.Flood.Seconds:F0} s: one API key at 8× its allowance of {f.Allowance}/s " +
            $"(burst {f.AllowanceBurst}); behind schedule at most {f.Flood.BehindSchedulePeakMs} ms"),
        new(Flood, "flooder's answers", "", f => Answers(f.Flood.Answers)),
        new(Flood, "flooder's 2xx p50 / p99 ms", "", f => P(f.Flood.Accepted)),
        new(Flood, "flooder's 429s p50 / p99 ms", "p99 ≤ 50 ms", f => P(f.Flood.Refused),
            f => f.Flood.Answers.TooManyRequests == 0
                ? new Check("flood at 8× the allowance: the flooder's 429s p99 ≤ 50 ms", "no 429s", false, "nothing was refused")
                : AtMost("flood at 8× the allowance: the flooder's 429s p99 ≤ 50 ms", f.Flood.Refused.P99, 50, "ms")),
        new(Flood, "other credential's reads p50 / p95 / p99 ms", "p99 ≤ 250 ms", f => P3(f.Flood.OtherCredential.Latency),
            f => AtMost("flood: another credential's inbox reads p99 ≤ 250 ms", f.Flood.OtherCredential.Latency.P99, 250, "ms")),
        new(Flood, "other credential's failed reads", "0", f => Failures(f.Flood.OtherCredential),
            f => None("flood: another credential's reads never failed", f.Flood.OtherCredential.Failed, "failed")),
        new(Flood, "cores: app, database server, benchmark, others", "", f => Cores(f.Flood.Cpu, f.DatabaseServerCounted)),

        new(MadeUp, "offered", "", f => $"{N(f.MadeUpKeys.OfferedRate)}/s for {f.MadeUpKeys.Seconds:F0} s: {N(f.MadeUpKeys.ShapedLikeKeys)} bearer keys " +
            $"shaped like real ones (whk_…), {N(f.MadeUpKeys.NotShaped)} not; behind schedule at most {f.MadeUpKeys.BehindSchedulePeakMs} ms"),
        new(MadeUp, "answers", "", f => Answers(f.MadeUpKeys.Answers)),
        new(MadeUp, "401s p50 / p99 ms", "", f => P(f.MadeUpKeys.Unauthorized)),
        new(MadeUp, "429s p50 / p99 ms", "", f => P(f.MadeUpKeys.Refused)),
        new(MadeUp, "other credential's reads p50 / p95 / p99 ms", "p99 ≤ 250 ms", f => P3(f.MadeUpKeys.OtherCredential.Latency),
            f => AtMost("made-up keys at 800/s: another credential's reads p99 ≤ 250 ms", f.MadeUpKeys.OtherCredential.Latency.P99, 250, "ms")),
        new(MadeUp, "other credential's failed reads", "", f => Failures(f.MadeUpKeys.OtherCredential)),
        new(MadeUp, "cores: app, database server, benchmark, others", "", f => Cores(f.MadeUpKeys.Cpu, f.DatabaseServerCounted)),

        new(Sends, "the knee", "", f => $"{N(f.Knee)} msg/s ({f.KneeSource})"),
        new(Sends, "offered", "", f => $"{N(f.Overload.OfferedRate)}/s for {f.Overload.Seconds:F0} s: {N(f.Overload.Answers.Sent)} sends in " +
            $"{f.Overload.Chats} DMs from {f.Overload.Credentials} customers' access tokens; behind schedule at most {f.Overload.BehindSchedulePeakMs} ms"),
        new(Sends, "answers", "", f => Answers(f.Overload.Answers)),
        new(Sends, "accepted per second", "≥ the knee", f => $"{N(f.Overload.AcceptedPerSecond)} msg/s, {f.Overload.AcceptedOverKnee:F2}× the knee",
            f => AtLeast("sends at 2× the knee: accepted msg/s ≥ the knee", f.Overload.AcceptedPerSecond, f.Knee, "msg/s")),
        new(Sends, "accepted p50 / p99 ms", "p99 ≤ 250 ms", f => P(f.Overload.Accepted),
            f => AtMost("sends at 2× the knee: accepted p99 ≤ 250 ms", f.Overload.Accepted.P99, 250, "ms")),
        new(Sends, "refused (503 and 429)", "", f => $"{Share(f.Overload.RefusedShare)}: {N(f.Overload.Answers.Unavailable)} 503, " +
            $"{N(f.Overload.Answers.TooManyRequests)} 429" +
            (f.Overload.RetryAfterMin is { } min ? $"; Retry-After {min}" + (f.Overload.RetryAfterMax != min ? $"–{f.Overload.RetryAfterMax}" : "") + " s" : "")),
        new(Sends, "refusals p50 / p99 ms", "p99 ≤ 50 ms", f => P(f.Overload.Refused),
            f => f.Overload.Answers.TooManyRequests + f.Overload.Answers.Unavailable == 0
                ? new Check("sends at 2× the knee: refusals p99 ≤ 50 ms", "none refused", null, "nothing refused")
                : AtMost("sends at 2× the knee: refusals p99 ≤ 50 ms", f.Overload.Refused.P99, 50, "ms")),
        new(Sends, "client timeouts (30 s), no answer", "", f => $"{N(f.Overload.Answers.TimedOut)}, {N(f.Overload.Answers.Failed)}"),
        new(Sends, "other credential's reads p50 / p95 / p99 ms", "", f => P3(f.Overload.OtherCredential.Latency)),
        new(Sends, "other credential's failed reads", "", f => Failures(f.Overload.OtherCredential)),
        new(Sends, "retried with the same client_message_id", "", f => f.Overload.Retry.Retried == 0
            ? "none to retry" + (f.Overload.Retry.NotRetried > 0 ? $" ({N(f.Overload.Retry.NotRetried)} not retryable: {f.Overload.Answers.FirstProblem})" : "")
            : $"{N(f.Overload.Retry.Retried)} sends, {N(f.Overload.Retry.Attempts)} attempts (at most {f.Overload.Retry.MostAttempts} for one) at up to " +
              $"{N(f.Overload.Retry.Rate)}/s over {f.Overload.Retry.Seconds:F0} s: {N(f.Overload.Retry.AcceptedOnRetry)} accepted, " +
              $"{N(f.Overload.Retry.RefusedOnRetry)} refusals on the way, {N(f.Overload.Retry.GaveUp)} never accepted" +
              (f.Overload.Retry.NotRetried > 0 ? $", {N(f.Overload.Retry.NotRetried)} not retryable" : "")),
        new(Sends, "every client_message_id in the database exactly once", "lost 0, duplicated 0",
            f => $"before the retries {N(f.Overload.Check.FoundBeforeRetries)} ({N(f.Overload.Check.RefusedButStored)} of them refused); after: " +
                 $"{N(f.Overload.Check.FoundOnce)} of {N(f.Overload.Check.Issued)} once; lost {N(f.Overload.Check.Lost)} " +
                 $"({N(f.Overload.Check.AcceptedButMissing)} of them answered 2xx), duplicated {N(f.Overload.Check.Duplicated)}, " +
                 $"other content {N(f.Overload.Check.WrongContent)}",
            f => new Check("sends at 2× the knee: nothing lost (each retried send exactly once)",
                $"lost {f.Overload.Check.Lost}, duplicated {f.Overload.Check.Duplicated}",
                f.Overload.Check is { Lost: 0, Duplicated: 0, WrongContent: 0 },
                f.Overload.Check is { Lost: 0, Duplicated: 0, WrongContent: 0 }
                    ? ""
                    : $"{N(f.Overload.Check.Lost)} lost, {N(f.Overload.Check.Duplicated)} duplicated, {N(f.Overload.Check.WrongContent)} with other content")),
        new(Sends, "cores: app, database server, benchmark, others", "", f => Cores(f.Overload.Cpu, f.DatabaseServerCounted)),

        new(Burst, "offered", "", f => $"{N(f.Burst.OfferedRate)}/s for {f.Burst.Seconds:F0} s ({N(f.Burst.Answers.Sent)} sends); " +
            $"behind schedule at most {f.Burst.BehindSchedulePeakMs} ms"),
        new(Burst, "answers", "", f => Answers(f.Burst.Answers)),
        new(Burst, "accepted p50 / p99 ms", "", f => P(f.Burst.Accepted)),
        new(Burst, "the app afterwards", "never crashes", f => f.Burst.Health,
            f => new Check("burst at 10× the knee: the app still answers", f.Burst.Alive ? "alive" : f.Burst.Health, f.Burst.Alive,
                f.Burst.Alive ? "" : "it did not answer")),
        new(Burst, "other credential's reads p50: before; during p50 / p99; after p50 / p99 ms", "",
            f => $"{Ms(f.Burst.BaselineP50)}; {P(f.Burst.During.Latency)}; {P(f.Burst.After.Latency)}"),
        new(Burst, "other credential's failed reads: during, after", "", f => $"{Failures(f.Burst.During)}; {Failures(f.Burst.After)}"),
        new(Burst, "reads back within 2× their p50 before", "≤ 5 s after the burst",
            f => f.Burst.RecoverySeconds is { } r ? $"{r:F1} s"
                : $"not within {f.Burst.RecoveryWindowSeconds:F1} s (p50 {Ms(f.Burst.FinalSecondP50)} ms in its last second, against {Ms(2 * f.Burst.BaselineP50)} ms)",
            f => f.Burst.RecoverySeconds is { } r
                ? AtMost("burst at 10× the knee: reads back to normal ≤ 5 s after", r, 5, "s")
                : new Check("burst at 10× the knee: reads back to normal ≤ 5 s after", $"not within {f.Burst.RecoveryWindowSeconds:F1} s", false,
                    "never back within the reads measured")),
        new(Burst, "accepted sends missing from the database, duplicated", "", f => $"{N(f.Burst.AcceptedButMissing)}, {N(f.Burst.Duplicated)}"),
        new(Burst, "cores: app, database server, benchmark, others", "", f => Cores(f.Burst.Cpu, f.DatabaseServerCounted)),
    ];

    public static IEnumerable<Check> Checks(F figures) => Rows.Where(r => r.Check is not null).Select(r => r.Check!(figures));

    private static Check AtMost(string name, double measured, double target, string unit)
    {
        if (double.IsNaN(measured)) return new Check(name, "–", null, "nothing measured");
        var met = measured <= target;
        return new Check(name, Value(measured, unit), met, met ? "" : $"missed: {measured / target:F1}× the target");
    }

    private static Check AtLeast(string name, double measured, double target, string unit)
    {
        if (double.IsNaN(measured)) return new Check(name, "–", null, "nothing measured");
        var met = measured >= target;
        return new Check(name, Value(measured, unit), met, met ? "" : $"missed by {(target - measured) / target * 100:F0}%");
    }

    private static Check None(string name, int count, string what) =>
        new(name, $"{count:N0} {what}", count == 0, count == 0 ? "" : $"{count:N0} {what}");

    private static string Value(double measured, string unit) => unit switch
    {
        "ms" => $"{Ms(measured)} ms",
        "s" => $"{measured.ToString("F1", CultureInfo.InvariantCulture)} s",
        _ => $"{N(measured)} {unit}",
    };

    private static string P(Percentiles p) => p.Count == 0 ? "none" : $"{Ms(p.P50)} / {Ms(p.P99)}";

    private static string P3(Percentiles p) => p.Count == 0 ? "none" : $"{Ms(p.P50)} / {Ms(p.P95)} / {Ms(p.P99)}";

    private static string Share(double fraction) => double.IsNaN(fraction) ? "–" : $"{fraction * 100:F1}%";

    private static string Failures(OverloadPhase.ReaderFigures r) =>
        $"{r.Failed:N0} of {r.Reads:N0}" + (r.FirstFailure is { } first ? $" (first: {first})" : "");

    private static string Answers(OpenLoop.StatusCounts c)
    {
        var parts = new List<string> { $"2xx {N(c.Success)}" };
        if (c.Unauthorized > 0) parts.Add($"401 {N(c.Unauthorized)}");
        parts.Add($"429 {N(c.TooManyRequests)}");
        parts.Add($"503 {N(c.Unavailable)}");
        if (c.OtherStatus > 0) parts.Add($"other {N(c.OtherStatus)}");
        parts.Add($"timeouts {N(c.TimedOut)}");
        if (c.Failed > 0) parts.Add($"no answer {N(c.Failed)}");
        if (c.Unfinished > 0) parts.Add($"unfinished {N(c.Unfinished)}");
        static string Quote(string text) => text.Replace('|', '/').ReplaceLineEndings(" ");
        var notes = new List<string>();
        if (c.FirstUnavailable is { } unavailable)
            notes.Add($"the first 503: {Quote(unavailable.StartsWith("503: ", StringComparison.Ordinal) ? unavailable[5..] : unavailable)}");
        if (c.FirstProblem is { } problem) notes.Add($"first problem: {Quote(problem)}");
        return string.Join(", ", parts) + (notes.Count > 0 ? $" ({string.Join("; ", notes)})" : "");
    }

    private static string Cores(CpuMeter.Usage u, bool databaseServer) =>
        $"{u.AppCores:F2}, {(databaseServer ? u.PostgresCores.ToString("F2", CultureInfo.InvariantCulture) : "– (in the app)")}, {u.BenchmarkCores:F2}, " +
        $"{u.OthersCores:F2}";
}
