using System.Diagnostics;
using System.Text.Json;
using Whop.Inbox.Benchmarks.Hub;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// Delivery under load, open loop: message k of a step is due at start + k/rate whatever happened to
/// the earlier ones, and its latency is counted from that due time (so a stalled sender cannot hide
/// a slow server). Each message goes to one of the population's DMs in turn (pairs and groups), sent
/// by one of its members through the hub's <c>SendMessage</c> (committed when it returns); every
/// other member's connection must receive its <c>message.created</c> exactly once. With several app
/// instances, <paramref name="statements"/> sums theirs and the CPU meter counts them all.
/// </summary>
public sealed class DeliveryPhase(BenchApi api, HubPopulation population, CpuMeter cpu, Action<string> say, Func<Task<long>>? statements = null)
{
    /// <summary>
    /// <paramref name="CrossingRatio"/>: the share of the expected deliveries whose receiver is on another instance than
    /// the sender (0 with one instance); <paramref name="Server"/>: what the database server held meanwhile (PostgreSQL).
    /// </summary>
    public sealed record StepFigures(int OfferedRate, double SecondsScheduled, int Sent, int SendErrors, string? FirstError, int BusyRefusals, long Expected,
        long Delivered, long Duplicates, double DeliveredRatio, Percentiles SendToReceive, Percentiles SendToAck, double PersistedPerSecond,
        long PersistedInDatabase, int BehindSchedulePeakMs, CpuMeter.Usage Cpu, double AppCpuMsPerMessage, double PostgresCpuMsPerMessage,
        int ConnectionsClosed, double StatementsPerSend, double CrossingRatio, ServerLoad? Server);

    private readonly Func<Task<long>> _statements = statements ?? (() => AppProcess.StatementsAsync(api.Http));

    private sealed class Step(int number, int count)
    {
        public readonly int Number = number;
        public readonly long[] Due = new long[count];
        public readonly int[] Sender = new int[count];
        public readonly int[] Expected = new int[count];
        public readonly int[] Crossing = new int[count];
        public readonly int[] Delivered = new int[count];
        public long Duplicates;
    }

    // Per connection: what it received in the current step (touched only by its receive loop, read after).
    private sealed class Inbox
    {
        public readonly List<double> Latencies = [];
        public readonly HashSet<(int Step, int Seq)> Seen = [];
    }

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The database's own processes in the CPU figures (on SQLite the database works inside the app process).</summary>
    private string Server(double value, string unit = "") => api.Store.HasServerProcesses ? $", {api.Store.Label} {value:F2}{unit}" : "";

    /// <summary>Rates not tried because a lower one was already far past the knee.</summary>
    public List<int> Skipped { get; } = [];

    /// <summary>CPU with the connections open and idle, measured before the steps.</summary>
    public CpuMeter.Usage? Idle { get; private set; }
    private readonly List<Step> _steps = [];
    private Inbox[] _inboxes = [];

    public async Task<List<StepFigures>> RunAsync(IReadOnlyList<int> rates, TimeSpan stepDuration)
    {
        _inboxes = population.Connections.Select(_ => new Inbox()).ToArray();
        foreach (var connection in population.Connections) connection.OnEvent = Received;

        // What the app spends with the connections open and nothing sent: the baseline of the CPU figures.
        var idleFrom = cpu.Take();
        await Task.Delay(TimeSpan.FromSeconds(5));
        Idle = CpuMeter.Between(idleFrom, cpu.Take(), 5);
        say($"delivery: idle cores: app {Idle.AppCores:F2}{Server(Idle.PostgresCores)}, others {Idle.OthersCores:F2}");

        // A short warm-up at the lowest rate, not reported.
        say("delivery: warm-up");
        await RunStepAsync(Math.Max(10, rates.Min() / 2), TimeSpan.FromSeconds(Math.Min(10, stepDuration.TotalSeconds)));

        var figures = new List<StepFigures>();
        foreach (var rate in rates)
        {
            var step = await MeasureAsync(rate, stepDuration);
            figures.Add(step);
            // Far past the knee already: a higher rate would only take longer to say the same.
            // Lost connections stay lost: later steps would measure a smaller population.
            if (step.DeliveredRatio < 1 || step.SendToReceive.P99 > 2_500 || step.ConnectionsClosed > 0)
            {
                Skipped.AddRange(rates.Where(r => r > rate));
                if (Skipped.Count > 0) say($"delivery: not trying {string.Join(", ", Skipped)} msg/s: {rate} msg/s is far past the knee");
                break;
            }
        }

        // Where the knee is: between the last rate under it and the first over it, halve the gap twice.
        for (var refine = 0; refine < 2; refine++)
        {
            if (figures.Max(f => f.ConnectionsClosed) is > 0 and var closed)
            {
                say($"delivery: not looking for the knee: {closed} of the {population.Connections.Length} connections were lost");
                break;
            }
            var ordered = figures.OrderBy(f => f.OfferedRate).ToList();
            var over = ordered.FindIndex(f => OverKnee(f));
            if (over <= 0) break;
            var (low, high) = (ordered[over - 1].OfferedRate, ordered[over].OfferedRate);
            var middle = (low + high) / 2;
            if (high - low < Math.Max(20, low / 5)) break;
            say($"delivery: the knee is between {low} and {high} msg/s; trying {middle}");
            figures.Add(await MeasureAsync(middle, stepDuration));
        }
        figures.Sort((a, b) => a.OfferedRate.CompareTo(b.OfferedRate));
        foreach (var connection in population.Connections) connection.OnEvent = null;
        return figures;
    }

    internal static bool OverKnee(StepFigures step, double thresholdMs = 250) => step.SendToReceive.P99 > thresholdMs || step.DeliveredRatio < 1;

    private async Task<StepFigures> MeasureAsync(int rate, TimeSpan duration)
    {
        say($"delivery: {rate} messages/s for {duration.TotalSeconds:F0} s");
        var step = await RunStepAsync(rate, duration);
        say($"  delivered {step.Delivered:N0}/{step.Expected:N0}, p50 {Results.Ms(step.SendToReceive.P50)} ms, " +
            $"p99 {Results.Ms(step.SendToReceive.P99)} ms, p99.9 {Results.Ms(step.SendToReceive.P999)} ms, persisted {step.PersistedPerSecond:N0}/s, " +
            $"{step.StatementsPerSend:F1} statements per send, " +
            (step.CrossingRatio > 0 ? $"{step.CrossingRatio * 100:F0}% of deliveries across instances, " : "") +
            (step.Server is { } server ? $"{api.Store.Label} connections {server.Connections} (busy {server.BusyConnections}), " +
                                         $"NOTIFY queue {server.NotifyQueueUsage * 100:F4}%, " : "") +
            $"CPU per message: app {step.AppCpuMsPerMessage:F2} ms{Server(step.PostgresCpuMsPerMessage, " ms")}; " +
            $"cores busy: app {step.Cpu.AppCores:F2}{Server(step.Cpu.PostgresCores)}, benchmark {step.Cpu.BenchmarkCores:F2}, others {step.Cpu.OthersCores:F2}" +
            (step.SendErrors > 0 ? $", {step.SendErrors} send errors ({step.FirstError})" : "") +
            (step.BusyRefusals > 0 ? $", {step.BusyRefusals} busy refusals retried" : "") +
            (step.ConnectionsClosed > 0 ? $", {step.ConnectionsClosed} hub connections lost" : ""));
        await Task.Delay(TimeSpan.FromSeconds(3));
        return step;
    }

    private async Task<StepFigures> RunStepAsync(int rate, TimeSpan duration)
    {
        var count = (int)(rate * duration.TotalSeconds);
        var step = new Step(_steps.Count, count);
        _steps.Add(step);
        foreach (var inbox in _inboxes) lock (inbox) inbox.Latencies.Clear();

        var dms = population.Dms;
        var acks = new double[count];
        var errors = 0;
        var busy = 0;
        string? firstError = null;
        var lastAck = 0L;
        var sends = new Task[count];
        var behindPeak = 0L;

        var statementsBefore = await _statements();
        await using var sampler = await ServerLoadSampler.StartAsync(api.Store);
        var cpuBefore = cpu.Take();
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        for (var k = 0; k < count; k++)
        {
            var due = start + (long)(k * (double)Stopwatch.Frequency / rate);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > Stopwatch.Frequency / 500) await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            var now = Stopwatch.GetTimestamp();
            behindPeak = Math.Max(behindPeak, now - due);

            var dm = dms[k % dms.Count];
            var sender = dm.Members[k / dms.Count % dm.Members.Length];
            // Latency counts from the due time when the sender is late (open loop), from the send when it is early.
            step.Due[k] = Math.Min(due, now);
            step.Sender[k] = sender;
            step.Expected[k] = dm.Members.Length - 1;
            step.Crossing[k] = dm.Members.Count(m => population.InstanceOf(m) != population.InstanceOf(sender));
            var seq = k;
            sends[k] = SendAsync(population.Connections[sender], dm.Id, seq);
        }

        // As a client does: a send the app refused because it was busy is sent again after the hinted
        // second, with the same retry key; its latency counts from its first due time.
        async Task SendAsync(HubConnection connection, string dmId, int seq)
        {
            while (true)
            {
                try
                {
                    await connection.InvokeAsync("SendMessage", new SendMessageRequest(dmId, $"Delivery check {step.Number}.{seq}", $"{_run}-{step.Number}-{seq}"));
                    var now = Stopwatch.GetTimestamp();
                    acks[seq] = (now - step.Due[seq]) * 1000.0 / Stopwatch.Frequency;
                    InterlockedMax(ref lastAck, now);
                    return;
                }
                catch (Exception e) when (e.GetBaseException().Message.Contains("busy:", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref busy);
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
                catch (Exception e)
                {
                    acks[seq] = double.NaN;
                    if (Interlocked.Increment(ref errors) == 1) firstError = e.GetBaseException().Message;
                    return;
                }
            }
        }

        var scheduledSeconds = (double)(Stopwatch.GetTimestamp() - start) / Stopwatch.Frequency;

        // Deliveries settle: done when all arrived, when nothing more arrived for five seconds, or a
        // minute after the last send was due (what is still missing then counts as not delivered).
        var expected = step.Expected.Sum(e => (long)e);
        long delivered = 0, before = -1;
        var quietSince = Stopwatch.GetTimestamp();
        var settleBy = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < settleBy)
        {
            delivered = step.Delivered.Sum(d => (long)d);
            if (delivered >= expected) break;
            if (delivered != before) (before, quietSince) = (delivered, Stopwatch.GetTimestamp());
            else if (Stopwatch.GetElapsedTime(quietSince) > TimeSpan.FromSeconds(5)) break;
            await Task.Delay(100);
        }
        delivered = step.Delivered.Sum(d => (long)d);
        // Before the next step, the server finishes this one's sends (they would otherwise load it).
        await Task.WhenAny(Task.WhenAll(sends), Task.Delay(TimeSpan.FromSeconds(180)));

        var usage = CpuMeter.Between(cpuBefore, cpu.Take(), Stopwatch.GetElapsedTime(start).TotalSeconds);
        var server = sampler is null ? null : await sampler.StopAsync();
        // Everything the app sent to its database over the step (the sends, their events and deliveries) per message sent.
        var statements = await _statements() - statementsBefore;
        var latencies = new List<double>();
        foreach (var inbox in _inboxes) lock (inbox) latencies.AddRange(inbox.Latencies);
        var ok = acks.Count(a => !double.IsNaN(a));
        var persistedSeconds = lastAck == 0 ? double.NaN : (double)(lastAck - start) / Stopwatch.Frequency;
        var persisted = await api.ScalarAsync<long>("SELECT count(*) FROM messages WHERE client_message_id LIKE @prefix",
            ("prefix", $"{_run}-{step.Number}-%"));
        return new StepFigures(rate, scheduledSeconds, count, errors, firstError, busy, expected, delivered, Interlocked.Read(ref step.Duplicates),
            expected == 0 ? double.NaN : (double)delivered / expected, Percentiles.Of(latencies), Percentiles.Of(acks.Where(a => !double.IsNaN(a))),
            ok / persistedSeconds, persisted, (int)(behindPeak * 1000 / Stopwatch.Frequency), usage,
            usage.AppCores * usage.Seconds * 1000 / Math.Max(1, ok), usage.PostgresCores * usage.Seconds * 1000 / Math.Max(1, ok),
            population.Connections.Count(c => c.Closed), (double)statements / Math.Max(1, ok),
            expected == 0 ? 0 : (double)step.Crossing.Sum(c => (long)c) / expected, server);
    }

    private sealed record SendMessageRequest(string ChannelId, string Content, string ClientMessageId);

    /// <summary>On a connection's receive loop: one <c>message.created</c> reached a member.</summary>
    private void Received(HubConnection connection, JsonElement evt, long receivedAt)
    {
        if (evt.GetProperty("type").GetString() != "message.created") return;
        if (!evt.GetProperty("data").TryGetProperty("client_message_id", out var idElement) || idElement.GetString() is not { } id) return;
        var parts = id.Split('-');
        if (parts.Length != 3 || parts[0] != _run) return;
        var step = _steps[int.Parse(parts[1])];
        var seq = int.Parse(parts[2]);
        if (step.Sender[seq] == connection.Index) return; // the sender's own copy
        var inbox = _inboxes[connection.Index];
        lock (inbox)
        {
            if (!inbox.Seen.Add((step.Number, seq)))
            {
                Interlocked.Increment(ref step.Duplicates);
                return;
            }
            inbox.Latencies.Add((receivedAt - step.Due[seq]) * 1000.0 / Stopwatch.Frequency);
        }
        Interlocked.Increment(ref step.Delivered[seq]);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>The first offered rate whose p99 passed 250 ms, with the rate interpolated where p99 crossed it.</summary>
    public static (int? FirstRateOver, double? Interpolated) Knee(IReadOnlyList<StepFigures> steps, double thresholdMs = 250)
    {
        for (var i = 0; i < steps.Count; i++)
        {
            if (!OverKnee(steps[i], thresholdMs)) continue;
            if (i == 0) return (steps[i].OfferedRate, null);
            var (a, b) = (steps[i - 1], steps[i]);
            var p99b = double.IsNaN(b.SendToReceive.P99) ? double.MaxValue : b.SendToReceive.P99;
            var fraction = Math.Clamp((thresholdMs - a.SendToReceive.P99) / (p99b - a.SendToReceive.P99), 0, 1);
            return (b.OfferedRate, a.OfferedRate + fraction * (b.OfferedRate - a.OfferedRate));
        }
        return (null, null);
    }
}
