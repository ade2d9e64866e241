using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Messaging;

/// <summary>
/// Marks a conversation read for the caller, up to its newest message. Who has read what is a
/// member's <c>last_viewed_at</c> and unread count; team members reading a support chat get a member
/// row the first time, which holds their read state for that chat.
/// </summary>
public sealed class ReadMarker(IDbContextFactory<InboxDbContext> contexts, ChannelAccess access, ConversationWrites writes)
{
    public async Task<Outcome<DateTimeOffset>> MarkReadAsync(Identity.Rights.Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await access.ReadableAsync(actor, channelId, ct);
        if (channel.Failure is { } failure) return failure;
        if (actor.UserId is null) return Failure.Rejected("Read state belongs to a person; an API key has none. Use an access token for the user.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var userId = actor.UserId;
        var before = await db.ChannelMembers.Where(m => m.ChannelId == channelId && m.UserId == userId)
            .Select(m => new { m.LastViewedAt, m.UnreadCount }).SingleOrDefaultAsync(ct);
        var newest = await db.Messages.Where(m => m.ChannelId == channelId).MaxAsync(m => (DateTimeOffset?)m.CreatedAt, ct);
        // Nothing new since the last look: nothing to write and nothing to announce.
        if (before is { UnreadCount: 0, LastViewedAt: { } seen } && !(newest > seen)) return seen;

        await using var write = await writes.BeginAsync(actor, channelId, ct);
        // Read up to the change's own time, taken under the conversation's lock: after everything the
        // conversation has, and before anything sent once this commits.
        write.MarkRead(userId, write.At);
        write.Announce(ChatEventTypes.ReadChanged, new ReadChanged(userId, write.At));
        await write.CommitAsync(ct);
        return write.At;
    }
}