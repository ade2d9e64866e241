using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Messaging;

/// <summary>
/// Who has read what: a member's <c>last_viewed_at</c>. Team members reading a support chat get a
/// member row the first time, which holds their read state for that chat.
/// </summary>
public static class ReadState
{
    /// <summary>
    /// Moves the read mark forward (never back), creating the row when needed; safe under concurrency. A row
    /// made before its member read anything (a DM's members, the customer of a chat the company opened) has no
    /// mark yet, and takes this one.
    /// </summary>
    public static Task MarkViewedAsync(this InboxDbContext db, string channelId, string userId, DateTimeOffset at, CancellationToken ct = default)
    {
        var id = PublicId.New(PublicId.ChannelMember);
        var time = db.Dialect.Time(at);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO channel_members (id, channel_id, user_id, status, notification_preference, last_viewed_at, created_at)
            VALUES ({id}, {channelId}, {userId}, 'accepted', 'all', {time}, {time})
            ON CONFLICT (channel_id, user_id) DO UPDATE
            SET last_viewed_at = CASE WHEN channel_members.last_viewed_at IS NULL
                                        OR excluded.last_viewed_at > channel_members.last_viewed_at
                                      THEN excluded.last_viewed_at ELSE channel_members.last_viewed_at END
            """, ct);
    }
}

/// <summary>Marks a conversation read for the caller, up to its newest message.</summary>
public sealed class ReadMarker(IDbContextFactory<InboxDbContext> contexts, ChannelAccess access, ConversationWrites writes, TimeProvider clock)
{
    public async Task<Outcome<DateTimeOffset>> MarkReadAsync(Identity.Rights.Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await access.ReadableAsync(actor, channelId, ct);
        if (channel.Failure is { } failure) return failure;
        if (actor.UserId is null) return Failure.Rejected("Read state belongs to a person; an API key has none. Use an access token for the user.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var userId = actor.UserId;
        var before = await db.ChannelMembers.Where(m => m.ChannelId == channelId && m.UserId == userId)
            .Select(m => new { m.LastViewedAt }).SingleOrDefaultAsync(ct);
        var newest = await db.Messages.Where(m => m.ChannelId == channelId).MaxAsync(m => (DateTimeOffset?)m.CreatedAt, ct);
        var at = newest is { } n && n > clock.UtcNowMicros() ? n : clock.UtcNowMicros();
        // Announced only when something was unread before, not on every look.
        if (before?.LastViewedAt is { } seen && seen >= channel.Value!.LastActivityAt && !(newest > seen))
        {
            await db.MarkViewedAsync(channelId, userId, at, ct);
            return at;
        }
        await using var write = await writes.BeginAsync(actor, channelId, ct);
        await write.Db.MarkViewedAsync(channelId, userId, at, ct);
        write.Announce(ChatEventTypes.ReadChanged, new ReadChanged(userId, at));
        await write.CommitAsync(ct);
        return at;
    }
}
