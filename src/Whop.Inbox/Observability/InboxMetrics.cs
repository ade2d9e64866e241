using System.Diagnostics.Metrics;
using Whop.Inbox.Admission;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Observability;

/// <summary>
/// The app's own instruments, all on the meter <see cref="MeterName"/>: every name and unit is here,
/// and the code that counts calls a method named after what happened. Nobody listening (telemetry off,
/// the default) makes each call a check of a flag. What ASP.NET Core and the runtime count themselves
/// (requests, hub connections, circuits, GC) is not repeated: <see cref="TelemetrySetup"/> exports their meters beside this one.
/// </summary>
public sealed class InboxMetrics
{
    public const string MeterName = "Whop.Inbox";

    private readonly Meter _meter;
    private readonly Counter<long> _messagesSent;
    private readonly Counter<long> _commits;
    private readonly Histogram<double> _commitDuration;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _rateLimited;

    public InboxMetrics(IMeterFactory meters, DatabaseAdmission admission, ChatEventQueue events)
    {
        _meter = meters.Create(MeterName);
        _messagesSent = _meter.CreateCounter<long>("inbox.messages.sent", "{message}",
            "Messages people and API keys sent (not the system's own lines), by conversation kind and visibility.");
        _commits = _meter.CreateCounter<long>("inbox.writes.commits", "{commit}",
            "Changes to a conversation committed (a send, a resolve, a reaction, a read mark…), by what was changed.");
        _commitDuration = _meter.CreateHistogram<double>("inbox.writes.commit.duration", "ms",
            "How long a committed change held its conversation's lock: from taking it to the commit's answer.");
        _batchSize = _meter.CreateHistogram<int>("inbox.writes.batch.size", "{message}",
            "Messages written per commit by group commit: 1 for a send that came alone, more for sends that arrived together.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
        _deliveryLatency = _meter.CreateHistogram<double>("inbox.events.delivery.latency", "ms",
            "From a change's time to its event reaching this instance's subscribers (the commit, the fan-out and the queue in between).");
        _rateLimited = _meter.CreateCounter<long>("inbox.rate_limit.refused", "{refusal}",
            "Requests and hub calls refused because their credential spent its allowance (429 or the hub's rate_limited).");

        // Read from what admission and the event queue keep anyway: nothing on their hot paths.
        _meter.CreateObservableCounter("inbox.admission.refused", () => new[]
        {
            new Measurement<long>(admission.RefusedAtCapacity, new KeyValuePair<string, object?>("limit", "capacity")),
            new Measurement<long>(admission.RefusedPastCallerShare, new KeyValuePair<string, object?>("limit", "caller_share")),
            new Measurement<long>(admission.RefusedPastCompanyShare, new KeyValuePair<string, object?>("limit", "company_share")),
        }, "{refusal}", "Work refused at once because the database had all it can serve well (503 or the hub's busy), by the limit that refused it.");
        _meter.CreateObservableGauge("inbox.admission.in_use", () => admission.Held, "{work}",
            "Requests, hub calls and page actions holding a place for the database now.");
        _meter.CreateObservableGauge("inbox.admission.capacity", () => admission.Capacity, "{work}",
            "How much work may hold a place at once on this instance.");
        _meter.CreateObservableGauge("inbox.events.queue.depth", () => events.Waiting, "{event}",
            "Committed events waiting for this instance's dispatcher.");
    }

    public void MessageSent(ChannelKind kind, MessageVisibility visibility) =>
        _messagesSent.Add(1, new KeyValuePair<string, object?>("kind", KindName(kind)),
            new KeyValuePair<string, object?>("visibility", visibility == MessageVisibility.Team ? "team" : "everyone"));

    public void Committed(ChannelKind? kind, TimeSpan held)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind is { } k ? KindName(k) : "new");
        _commits.Add(1, tag);
        _commitDuration.Record(held.TotalMilliseconds, tag);
    }

    /// <summary>A commit of sends wrote <paramref name="messages"/> of them (refused sends and retries that found their first attempt not counted).</summary>
    public void SendsCommitted(int messages) => _batchSize.Record(messages);

    public void Delivered(TimeSpan latency) => _deliveryLatency.Record(Math.Max(0, latency.TotalMilliseconds));

    /// <param name="surface">api or hub.</param>
    public void RateLimited(string surface) => _rateLimited.Add(1, new KeyValuePair<string, object?>("surface", surface));

    private static string KindName(ChannelKind kind) => kind == ChannelKind.Support ? "support" : "dm";
}
