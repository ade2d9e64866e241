using System.Text.Json;
using Whop.Inbox.Observability;
using Queue = System.Threading.Channels.Channel;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>A person's standing changed (removed from a team, say): their subscriptions are asked again.</summary>
public sealed record AccessChanged(string UserId);

/// <summary>What committed and waits to be dispatched, in commit order. Producers need nothing else.</summary>
public sealed class ChatEventQueue
{
    private readonly System.Threading.Channels.Channel<object> _received = Queue.CreateUnbounded<object>(new() { SingleReader = true });
    private int _waiting;

    /// <summary>An event committed in this process.</summary>
    public void Enqueue(ChatEvent evt) => Write(evt);

    /// <summary>A notification's payload: an event as JSON, or a reference to one in the log.</summary>
    public void Enqueue(string payload) => Write(payload);

    public void Enqueue(AccessChanged change) => Write(change);

    /// <summary>Any of the above, as SQLite's commit hands them over.</summary>
    internal void Enqueue(object item) => Write(item);

    /// <summary>Items not yet taken by the dispatcher (a single reader's channel cannot count them itself).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    internal System.Threading.Channels.ChannelReader<object> Reader => _received.Reader;

    internal void Taken() => Interlocked.Decrement(ref _waiting);

    private void Write(object item)
    {
        Interlocked.Increment(ref _waiting);
        if (!_received.Writer.TryWrite(item)) Interlocked.Decrement(ref _waiting);
    }
}

/// <summary>
/// The one path by which committed events reach this instance's <see cref="ChatNotifier"/>, in commit
/// order. PostgreSQL's listener feeds its <see cref="ChatEventQueue"/> the notifications every instance sends; on SQLite the
/// transaction that wrote the events feeds it right after its commit. Events that travel by reference
/// (too large for a notification) are read from the log here, so a slow read never holds up the feed.
/// </summary>
internal sealed partial class ChatEventDispatcher(
    ChatEventQueue queue, ChatEventLog log, ChatNotifier notifier, InboxMetrics metrics, TimeProvider clock,
    ILogger<ChatEventDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            await foreach (var item in queue.Reader.ReadAllAsync(stop))
            {
                queue.Taken();
                try
                {
                    if (item is AccessChanged change)
                    {
                        notifier.Recheck(change.UserId);
                        continue;
                    }
                    var evt = item as ChatEvent ?? await ReadAsync((string)item, stop);
                    if (evt is null) continue;
                    using (InboxTracing.StartDispatch(evt.Type, evt.ChannelId)) notifier.Dispatch(evt);
                    metrics.Delivered(clock.GetUtcNow() - evt.At);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    var text = item.ToString() ?? "";
                    LogUndeliverable(e, text.Length > 200 ? text[..200] : text);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task<ChatEvent?> ReadAsync(string payload, CancellationToken ct)
    {
        if (!payload.StartsWith("""{"ref":true""", StringComparison.Ordinal)) return ChatJson.Deserialize(payload);
        using var reference = JsonDocument.Parse(payload);
        var channelId = reference.RootElement.GetProperty("channel_id").GetString()!;
        var position = reference.RootElement.GetProperty("position").GetInt64();
        return await log.FindAsync(channelId, position, ct);
    }

    [LoggerMessage(LogLevel.Error, "Could not deliver a real-time event: {Event}")]
    private partial void LogUndeliverable(Exception exception, string @event);
}
