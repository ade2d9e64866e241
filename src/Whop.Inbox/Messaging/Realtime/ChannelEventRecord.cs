namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// One row of a channel's event log (<c>channel_events</c>): what reconnecting subscribers catch up
/// from, and what a notification too large for PostgreSQL's 8,000-byte limit points to. Written only
/// by <see cref="ChatEventLog"/>, in the transaction that makes the change.
/// </summary>
public sealed class ChannelEventRecord
{
    private ChannelEventRecord() { }

    internal ChannelEventRecord(ChatEvent evt, string payload)
    {
        ChannelId = evt.ChannelId;
        Position = evt.Position ?? throw new ArgumentException("Only events with a position are stored.", nameof(evt));
        Type = evt.Type;
        Payload = payload;
        CreatedAt = evt.At;
    }

    public string ChannelId { get; private set; } = "";
    public long Position { get; private set; }
    public string Type { get; private set; } = "";

    /// <summary>The whole event as JSON (<see cref="ChatJson"/>), stored as <c>jsonb</c>.</summary>
    public string Payload { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }
}
