using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Writes events: into the channel's log, in the transaction that makes the change, with a
/// <c>NOTIFY</c> that PostgreSQL delivers to every app instance when (and only if) it commits.
/// Reads them back for subscribers that catch up.
/// </summary>
public sealed class ChatEventLog(IDbContextFactory<InboxDbContext> contexts, TimeProvider clock)
{
    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel every instance listens on.</summary>
    public const string NotifyChannel = "inbox_events";

    // PostgreSQL refuses notification payloads of 8,000 bytes or more; larger events travel by reference.
    internal const int MaxInlineBytes = 7_500;

    /// <summary>
    /// Appends an event to the channel's log inside <paramref name="db"/>'s open transaction. The
    /// position comes from an atomic increment of <c>channels.event_position</c>, whose row lock is
    /// held until commit: positions have no gaps and follow commit order, and the notification (sent
    /// at commit, in commit order) never announces an event that was rolled back.
    /// </summary>
    public async Task<ChatEvent> AppendAsync(InboxDbContext db, string channelId, string type, object data, CancellationToken ct)
    {
        var (position, snapshot) = await AdvanceAsync(db, channelId, ct);
        var evt = new ChatEvent(type, channelId, position, clock.UtcNowMicros(), snapshot, data);
        var json = ChatJson.Serialize(evt);
        var note = Encoding.UTF8.GetByteCount(json) <= MaxInlineBytes ? json : Reference(channelId, position);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO channel_events (channel_id, position, type, payload, created_at)
            VALUES ({channelId}, {position}, {type}, {json}::jsonb, {evt.At});
            SELECT pg_notify({NotifyChannel}, {note});
            """, ct);
        return evt;
    }

    /// <summary>
    /// The last event of a channel that is being deleted in this transaction: it takes the next
    /// position but is not stored (the log goes with the channel), so it always travels inline.
    /// </summary>
    public async Task<ChatEvent> AppendFinalAsync(InboxDbContext db, string channelId, string type, object data, CancellationToken ct)
    {
        var (position, snapshot) = await AdvanceAsync(db, channelId, ct);
        var evt = new ChatEvent(type, channelId, position, clock.UtcNowMicros(), snapshot, data);
        await NotifyAsync(db, evt, ct);
        return evt;
    }

    /// <summary>An ephemeral event (typing): no position, no log, delivered to every instance at once.</summary>
    public async Task PublishAsync(ChatEvent evt, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await NotifyAsync(db, evt, ct);
    }

    /// <summary>A message just written in this transaction, announced with the shape the REST API gives it. Returns its view.</summary>
    public async Task<MessageView> AppendMessageAsync(InboxDbContext db, Message message, string type, CancellationToken ct)
    {
        // A message just created has no reactions yet: no need to ask.
        var view = (await MessageService.ViewsAsync(db, [message], ct, withReactions: type != ChatEventTypes.MessageCreated))[message.Id];
        await AppendAsync(db, message.ChannelId, type, new MessageEvent(MessagesApi.MessageResponse.From(view), message.ClientMessageId), ct);
        return view;
    }

    /// <summary>The channel's events after <paramref name="afterPosition"/> (up to <paramref name="upTo"/>), oldest first.</summary>
    public async Task<IReadOnlyList<ChatEvent>> ReadAsync(string channelId, long afterPosition, long? upTo, int limit, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = db.ChannelEvents.AsNoTracking().Where(e => e.ChannelId == channelId && e.Position > afterPosition);
        if (upTo is { } last) rows = rows.Where(e => e.Position <= last);
        var payloads = await rows.OrderBy(e => e.Position).Take(limit).Select(e => e.Payload).ToListAsync(ct);
        return payloads.Select(ChatJson.Deserialize).ToList();
    }

    /// <summary>One event a notification pointed to; null when it is gone (its DM was deleted since).</summary>
    public async Task<ChatEvent?> FindAsync(string channelId, long position, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var payload = await db.ChannelEvents.AsNoTracking().Where(e => e.ChannelId == channelId && e.Position == position)
            .Select(e => e.Payload).SingleOrDefaultAsync(ct);
        return payload is null ? null : ChatJson.Deserialize(payload);
    }

    private static async Task<(long Position, ChannelSnapshot Snapshot)> AdvanceAsync(InboxDbContext db, string channelId, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Events are written in the transaction that makes the change.");
        await using var command = new NpgsqlCommand("""
            UPDATE channels SET event_position = event_position + 1 WHERE id = @id
            RETURNING event_position, kind, company_id, customer_id, status, custom_name, member_count, last_activity_at, last_message_at
            """, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        command.Parameters.AddWithValue("id", channelId);
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct)) throw new InvalidOperationException($"No channel {channelId} to write an event for.");
        var snapshot = new ChannelSnapshot(
            Enum.Parse<ChannelKind>(row.GetString(1), ignoreCase: true),
            row.IsDBNull(2) ? null : row.GetString(2),
            row.IsDBNull(3) ? null : row.GetString(3),
            row.IsDBNull(4) ? null : Enum.Parse<SupportStatus>(row.GetString(4), ignoreCase: true),
            row.IsDBNull(5) ? null : row.GetString(5),
            row.GetInt32(6),
            row.GetFieldValue<DateTimeOffset>(7),
            row.IsDBNull(8) ? null : row.GetFieldValue<DateTimeOffset>(8));
        return (row.GetInt64(0), snapshot);
    }

    private static async Task NotifyAsync(InboxDbContext db, ChatEvent evt, CancellationToken ct)
    {
        var json = ChatJson.Serialize(evt);
        if (Encoding.UTF8.GetByteCount(json) > MaxInlineBytes)
            throw new InvalidOperationException($"A {evt.Type} event that is not stored must fit in one notification.");
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({NotifyChannel}, {json})", ct);
    }

    /// <summary>What a notification carries for an event too large to travel inline: where to read it.</summary>
    internal static string Reference(string channelId, long position) =>
        $$"""{"ref":true,"channel_id":"{{channelId}}","position":{{position}}}""";
}
