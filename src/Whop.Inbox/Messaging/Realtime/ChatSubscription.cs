using System.Threading.Channels;
using Queue = System.Threading.Channels.Channel;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// One subscriber's stream of events: a conversation (with positions and catch-up), or a live feed
/// (the company inbox, a person's conversations). Events reach the handler one at a time, in order,
/// each at most once; a slow handler holds up only its own subscription. Dispose to stop.
/// </summary>
public sealed class ChatSubscription : IDisposable
{
    // Past this many undelivered events the subscriber is too slow to keep up live: later ones are
    // dropped and it recovers from the log (conversations) or is told to reload (feeds).
    private const int QueueCapacity = 10_000;
    private const int CatchUpBatch = 500;

    private readonly ChatNotifier _owner;
    private readonly Audience _audience;
    private readonly Func<ChatEvent, Task> _handler;
    private readonly Channel<object> _queue =
        Queue.CreateBounded<object>(new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();

    // Per channel, the last position handed to the handler (or skipped): the pump's alone.
    private readonly Dictionary<string, long> _positions = [];
    private long _position;
    private volatile bool _overflowed;
    private int _disposed;

    private static readonly object CatchUpRequest = new();
    private static readonly object ResyncRequest = new();
    private static readonly object RecheckRequest = new();

    internal ChatSubscription(ChatNotifier owner, Audience audience, Func<ChatEvent, Task> handler, long? startPosition)
    {
        _owner = owner;
        _audience = audience;
        _handler = handler;
        ChannelId = audience.ChannelId;
        if (ChannelId is not null && startPosition is { } start)
        {
            _positions[ChannelId] = start;
            _position = start;
            StartPosition = start;
        }
    }

    /// <summary>Conversation subscriptions: the position events start after.</summary>
    public long StartPosition { get; }

    /// <summary>The conversation, for a conversation subscription; null for the live feeds.</summary>
    public string? ChannelId { get; }

    /// <summary>
    /// Conversation subscriptions: the position of the last event handled. Subscribing again with it
    /// as <c>afterPosition</c> resumes exactly after it (a reconnected circuit or client loses nothing).
    /// </summary>
    public long Position => Interlocked.Read(ref _position);

    public bool IsActive => Volatile.Read(ref _disposed) == 0;

    internal Audience Audience => _audience;

    // The pages' live updates are the app's own work: a catch-up read is never refused as its subscriber's.
    internal void Start() => _ = Admission.DatabaseAdmission.RunAsAppWork(PumpAsync);

    internal void Offer(ChatEvent evt)
    {
        if (!_queue.Writer.TryWrite(evt) && IsActive) _overflowed = true;
    }

    internal void CatchUp()
    {
        if (!_queue.Writer.TryWrite(CatchUpRequest) && IsActive) _overflowed = true;
    }

    /// <summary>After events may have been missed: conversations catch up from the log, feeds are told to reload.</summary>
    internal void Recover()
    {
        if (!_queue.Writer.TryWrite(ChannelId is null ? ResyncRequest : CatchUpRequest) && IsActive) _overflowed = true;
    }

    /// <summary>The viewer's standing changed: ask the rights table again, in order with the events.</summary>
    internal void Recheck()
    {
        if (!_queue.Writer.TryWrite(RecheckRequest) && IsActive) _overflowed = true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _owner.Remove(this);
        _queue.Writer.TryComplete();
        _stop.Cancel();
    }

    private async Task PumpAsync()
    {
        var ct = _stop.Token;
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(ct))
            {
                // Ended (disposed, or its last event delivered): what is still queued goes nowhere.
                if (!IsActive) break;
                try
                {
                    if (item == CatchUpRequest) await CatchUpAsync(upTo: null, ct);
                    else if (item == ResyncRequest) await DeliverAsync(ChatEvent.Notice(ChatEventTypes.Resync, "", _owner.Now));
                    else if (item == RecheckRequest) await RecheckAsync(ct);
                    else await HandleAsync((ChatEvent)item, fromLog: false, ct);

                    if (_overflowed && _queue.Reader.Count == 0)
                    {
                        _overflowed = false;
                        if (ChannelId is null) await DeliverAsync(ChatEvent.Notice(ChatEventTypes.Resync, "", _owner.Now));
                        else await CatchUpAsync(upTo: null, ct);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _owner.LogSubscriptionFailed(e, _audience.Describe());
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the conversation's log after the last position handled (up to a position, or to the end).</summary>
    private async Task CatchUpAsync(long? upTo, CancellationToken ct)
    {
        if (ChannelId is null) return;
        while (IsActive)
        {
            var batch = await _owner.Log.ReadAsync(ChannelId, _positions[ChannelId], upTo, CatchUpBatch, ct);
            if (batch is [{ Position: { } first }, ..] && first > _positions[ChannelId] + 1)
            {
                // The events in between were pruned (older than the retention period): reload, then go on from here.
                await DeliverAsync(ChatEvent.Notice(ChatEventTypes.Resync, ChannelId, _owner.Now));
                _positions[ChannelId] = first - 1;
            }
            foreach (var evt in batch)
            {
                if (!IsActive) return;
                await HandleAsync(evt, fromLog: true, ct);
            }
            if (batch.Count < CatchUpBatch) return;
        }
    }

    private async Task HandleAsync(ChatEvent evt, bool fromLog, CancellationToken ct)
    {
        if (!IsActive) return;
        if (evt.Position is { } position && _positions.TryGetValue(evt.ChannelId, out var last))
        {
            // Seen already: the catch-up and the live stream overlap, and that is where repeats die.
            if (position <= last) return;
            // A gap: events this subscriber has not seen are in the log (the live ones come later and are dropped above).
            if (!fromLog && _audience.ChannelId is not null && position > last + 1)
            {
                await CatchUpAsync(upTo: position - 1, ct);
                if (!IsActive) return;
            }
        }

        var verdict = await _audience.JudgeAsync(evt, ct);
        if (verdict == Verdict.Revoked)
        {
            await DeliverAsync(ChatEvent.Notice(ChatEventTypes.AccessRevoked, _audience.ChannelId ?? evt.ChannelId, _owner.Now));
            Dispose();
            return;
        }
        if (verdict != Verdict.Skip) await DeliverAsync(_audience.Shape(evt));
        if (evt.Position is { } handled)
        {
            _positions[evt.ChannelId] = handled;
            if (evt.ChannelId == ChannelId) Interlocked.Exchange(ref _position, handled);
        }

        if (verdict == Verdict.DeliverThenEnd)
        {
            Dispose();
        }
        else if (verdict == Verdict.DeliverThenRecheck && !await _audience.StillAllowedAsync(ct))
        {
            await DeliverAsync(ChatEvent.Notice(ChatEventTypes.AccessRevoked, _audience.ChannelId ?? evt.ChannelId, _owner.Now));
            Dispose();
        }
    }

    private async Task RecheckAsync(CancellationToken ct)
    {
        if (!IsActive || await _audience.StillAllowedAsync(ct)) return;
        await DeliverAsync(ChatEvent.Notice(ChatEventTypes.AccessRevoked, _audience.ChannelId ?? "", _owner.Now));
        Dispose();
    }

    private async Task DeliverAsync(ChatEvent evt)
    {
        try
        {
            await _handler(evt);
        }
        catch (Exception e)
        {
            // The subscriber's problem (a closed page, say), not the stream's: later events still go out.
            _owner.LogHandlerFailed(e, evt.Type, _audience.Describe());
        }
    }
}
