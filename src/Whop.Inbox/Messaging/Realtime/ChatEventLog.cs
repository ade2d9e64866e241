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

    /// <summary>Where a person's standing changed (removed from a team, say): every instance asks their subscriptions again.</summary>
    public const string AccessChangedChannel = "inbox_access_changed";

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

    /// <summary>
    /// Announces, when <paramref name="db"/>'s transaction commits, that what <paramref name="userId"/>
    /// may see has changed beyond one conversation's events: every instance rechecks that person's
    /// subscriptions at once (<see cref="ChatNotifier.Recheck"/>) and ends those no longer allowed.
    /// </summary>
    public static async Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({AccessChangedChannel}, {userId})", ct);

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

    /// <summary>
    /// Deletes events older than <paramref name="cutoff"/>, a batch at a time, except each channel's
    /// latest: a subscriber that catches up from before the oldest kept event then sees a jump in
    /// positions and knows to reload. Returns how many went.
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize = 10_000, CancellationToken ct = default)
    {
        var deleted = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var batch = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM channel_events WHERE (channel_id, position) IN (
                    SELECT e.channel_id, e.position FROM channel_events e JOIN channels c ON c.id = e.channel_id
                     WHERE e.created_at < {cutoff} AND e.position < c.event_position
                     LIMIT {batchSize})
                """, ct);
            deleted += batch;
            if (batch < batchSize) return deleted;
        }
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
        // The row lock (taken here, or earlier by the change itself) orders this against every other
        // event of the channel, so "before" is exactly what the previous event announced.
        await using var command = new NpgsqlCommand("""
            WITH before AS (SELECT id, announced_status FROM channels WHERE id = @id FOR UPDATE)
            UPDATE channels c SET event_position = c.event_position + 1, announced_status = c.status
              FROM before WHERE c.id = before.id
            RETURNING c.event_position, c.kind, c.company_id, c.customer_id, c.status, c.custom_name, c.member_count,
                      c.last_activity_at, c.last_message_at, before.announced_status
            """, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        command.Parameters.AddWithValue("id", channelId);
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct)) throw new InvalidOperationException($"No channel {channelId} to write an event for.");
        var snapshot = new ChannelSnapshot(
            Enum.Parse<ChannelKind>(row.GetString(1), ignoreCase: true),
            row.IsDBNull(2) ? null : row.GetString(2),
            row.IsDBNull(3) ? null : row.GetString(3),
            StatusAt(row, 4),
            row.IsDBNull(5) ? null : row.GetString(5),
            row.GetInt32(6),
            row.GetFieldValue<DateTimeOffset>(7),
            row.IsDBNull(8) ? null : row.GetFieldValue<DateTimeOffset>(8),
            StatusAt(row, 9));
        return (row.GetInt64(0), snapshot);
    }

    private static SupportStatus? StatusAt(NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : Enum.Parse<SupportStatus>(row.GetString(ordinal), ignoreCase: true);

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
