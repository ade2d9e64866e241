using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>An event of a change with its JSON; <see cref="Stored"/> when it is in the log (not the last event of a deleted DM).</summary>
public sealed record StagedEvent(ChatEvent Event, string Json, bool Stored);

/// <summary>
/// Writes events: into the channel's log, in the transaction that makes the change, published to
/// every subscriber when (and only if) that transaction commits (see <see cref="DatabaseDialect"/>).
/// Reads them back for subscribers that catch up.
/// </summary>
public sealed class ChatEventLog(IDbContextFactory<InboxDbContext> contexts, DatabaseDialect dialect, TimeProvider clock)
{
    /// <summary>
    /// Stages a change's events on <paramref name="db"/> under the conversation's lock, to be written with
    /// the change itself: each takes the next position (no gaps, in commit order), carries where the
    /// conversation now stands (and, on the first, the status the previous event announced), and the
    /// stored ones join the log in the same save. Publish them with <see cref="PublishAtCommit"/>.
    /// </summary>
    public IReadOnlyList<StagedEvent> Stage(InboxDbContext db, Channel channel, IReadOnlyList<(string Type, object Data, bool Stored, EventReach Reach)> events)
    {
        if (events.Count == 0) return [];
        var announced = db.Entry(channel).Property<SupportStatus?>(Channel.AnnouncedStatusColumn);
        var before = announced.CurrentValue;
        announced.CurrentValue = channel.Status;
        var position = channel.TakeEventPositions(events.Count);
        var at = clock.UtcNowMicros();
        var after = ChannelSnapshot.Of(channel);
        var staged = new List<StagedEvent>(events.Count);
        foreach (var (type, data, stored, reach) in events)
        {
            var evt = new ChatEvent(type, channel.Id, position++, at, after with { StatusBefore = before }, data, reach);
            var json = ChatJson.Serialize(evt);
            if (stored) db.ChannelEvents.Add(new ChannelEventRecord(evt, json));
            staged.Add(new StagedEvent(evt, json, stored));
            before = channel.Status;
        }
        return staged;
    }

    /// <summary>Has staged events published when (and only if) the transaction that wrote them commits.</summary>
    public IReadOnlyList<FormattableString> PublishAtCommit(InboxDbContext db, IReadOnlyList<StagedEvent> events) =>
        dialect.PublishAtCommit(db, events);

    /// <summary>An ephemeral event (typing): no position, no log, delivered to every instance at once.</summary>
    public async Task PublishAsync(ChatEvent evt, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await dialect.PublishNowAsync(db, evt, ChatJson.Serialize(evt), ct);
    }
    /// <summary>
    /// Announces, when <paramref name="db"/>'s transaction commits, that what <paramref name="userId"/>
    /// may see has changed beyond one conversation's events: every instance rechecks that person's
    /// subscriptions at once (<see cref="ChatNotifier.Recheck"/>) and ends those no longer allowed.
    /// </summary>
    public static Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct) =>
        db.Dialect.AnnounceAccessChangedAsync(db, userId, ct);

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
                     WHERE e.created_at < {dialect.Time(cutoff)} AND e.position < c.event_position
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
}
