using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging.Unread;

/// <summary>A conversation with what a list row shows of it for one reader.</summary>
public sealed class ConversationFacts
{
    public required Channel Channel { get; init; }

    /// <summary>Messages the reader has not read (see <see cref="UnreadCounts"/>).</summary>
    public int Unread { get; init; }

    /// <summary>The newest message that can be unread, as written; <see cref="UnreadCounts.Preview"/> makes the row's text of it.</summary>
    public string? NewestContent { get; init; }
}

/// <summary>
/// What "unread" means, in one place. A message is unread for a person when it can be unread
/// (<see cref="Message.CountsAsUnread"/>), is not deleted, is not theirs, is theirs to read (a note is
/// not the customer's), and is newer than their read mark. Each member row keeps its count (<see cref="ChannelMember.UnreadCount"/>) and each conversation
/// its <see cref="Channel.MessageCount"/>, which is the count of a reader with no row (a team member who
/// never opened the chat). The per-status tallies make a team member's inbox badges one read.
/// Every change to a conversation keeps them in its own transaction (<see cref="UnreadBookkeeping"/>);
/// nothing counts messages on read.
/// </summary>
public static class UnreadCounts
{
    /// <summary>
    /// The rule, in SQL: a member row's unread messages (a note never counts for the chat's customer). Run
    /// for one row when its mark moves, for all by <see cref="RecountSql"/>.
    /// </summary>
    /// <remarks>
    /// With a read mark, only the messages after it are read, through the conversation's (channel_id,
    /// created_at) index: a send moves its author's mark to the newest message, so its recount reads
    /// nothing, however long the conversation. Written as <c>mark IS NULL OR created_at &gt; mark</c>, the
    /// index could not bound the time, and every send read the whole conversation (7 ms for 2,254 messages).
    /// </remarks>
    internal const string MemberUnreadSql = $"""
        (CASE WHEN channel_members.last_viewed_at IS NULL THEN ({CountedMessagesSql})
              ELSE ({CountedMessagesSql} AND m.created_at > channel_members.last_viewed_at) END)
        """;

    /// <summary>The messages that can be unread for the member row, whatever its mark.</summary>
    private const string CountedMessagesSql = """
        SELECT COUNT(*) FROM messages m
        WHERE m.channel_id = channel_members.channel_id AND m.type <> 'system' AND m.deleted_at IS NULL
          AND m.author_id <> channel_members.user_id
          AND (m.visibility <> 'team'
               OR channel_members.user_id <> (SELECT c.customer_id FROM channels c WHERE c.id = channel_members.channel_id))
        """;

    /// <summary>
    /// Every count from the messages themselves: what the migration that added them ran, and what a bulk
    /// load (demo data, the benchmark's data) runs after writing rows directly. Both databases run it as is.
    /// </summary>
    public const string RecountSql = $"""
        UPDATE channels SET message_count =
            (SELECT COUNT(*) FROM messages m WHERE m.channel_id = channels.id AND m.type <> 'system' AND m.deleted_at IS NULL);
        UPDATE channel_members SET unread_count = {MemberUnreadSql};
        DELETE FROM support_status_tallies;
        INSERT INTO support_status_tallies (company_id, status, chats, all_chats)
            SELECT company_id, status, SUM(CASE WHEN message_count > 0 THEN 1 ELSE 0 END), COUNT(*) FROM channels
            WHERE kind = 'support' GROUP BY company_id, status;
        DELETE FROM support_assignee_tallies;
        INSERT INTO support_assignee_tallies (company_id, assignee_id, status, chats)
            SELECT company_id, assignee_id, status, COUNT(*) FROM channels
            WHERE kind = 'support' AND assignee_id IS NOT NULL GROUP BY company_id, assignee_id, status;
        DELETE FROM support_read_tallies;
        INSERT INTO support_read_tallies (user_id, company_id, status, chats)
            SELECT cm.user_id, c.company_id, c.status, COUNT(*) FROM channel_members cm JOIN channels c ON c.id = cm.channel_id
            WHERE c.kind = 'support' AND c.message_count > 0 AND cm.unread_count = 0 GROUP BY cm.user_id, c.company_id, c.status;
        """;

    /// <summary>
    /// Recounts everything (see <see cref="RecountSql"/>), with the app's writers stopped: it is many
    /// statements, not one snapshot. Rows written behind the app's back may lack the row that sending gives
    /// an author in a support chat (read up to their last message); without it their own messages would
    /// count as unread for them, so those rows are made first.
    /// </summary>
    public static async Task RecountAsync(InboxDbContext db, CancellationToken ct = default)
    {
        var authorsWithoutRow = await db.Messages.AsNoTracking()
            .Where(m => m.AuthorId != null && m.Type != MessageType.System
                && db.Channels.Any(c => c.Id == m.ChannelId && c.Kind == ChannelKind.Support)
                && !db.ChannelMembers.Any(r => r.ChannelId == m.ChannelId && r.UserId == m.AuthorId))
            .GroupBy(m => new { m.ChannelId, m.AuthorId })
            .Select(g => new { g.Key.ChannelId, AuthorId = g.Key.AuthorId!, Last = g.Max(m => m.CreatedAt) })
            .ToListAsync(ct);
        foreach (var author in authorsWithoutRow)
        {
            var row = new ChannelMember(author.ChannelId, author.AuthorId, author.Last);
            row.MarkViewed(author.Last);
            db.ChannelMembers.Add(row);
        }
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlRawAsync(RecountSql, ct);
    }

    /// <summary>A team member's unread support chats per status (every status present): one read of the tallies.</summary>
    public static async Task<Dictionary<SupportStatus, int>> PerStatusAsync(InboxDbContext db, string companyId, string userId,
        CancellationToken ct = default)
    {
        var counts = await db.SupportStatusTallies.AsNoTracking()
            .Where(t => t.CompanyId == companyId)
            .Select(t => new
            {
                t.Status,
                Unread = t.Chats - db.SupportReadTallies
                    .Where(r => r.UserId == userId && r.CompanyId == companyId && r.Status == t.Status)
                    .Select(r => r.Chats).FirstOrDefault(),
            })
            .ToDictionaryAsync(x => x.Status, x => x.Unread, ct);
        foreach (var status in Enum.GetValues<SupportStatus>()) counts.TryAdd(status, 0);
        return counts;
    }

    /// <summary>A company's support chats per status (every status present): the inbox tabs' counts, one read.</summary>
    public static async Task<Dictionary<SupportStatus, int>> ChatsPerStatusAsync(InboxDbContext db, string companyId, CancellationToken ct = default)
    {
        var counts = await db.SupportStatusTallies.AsNoTracking()
            .Where(t => t.CompanyId == companyId)
            .ToDictionaryAsync(t => t.Status, t => t.AllChats, ct);
        foreach (var status in Enum.GetValues<SupportStatus>()) counts.TryAdd(status, 0);
        return counts;
    }

    /// <summary>
    /// Each conversation with the reader's unread count and its newest message: the member row's count,
    /// or every message when the reader has no row. An API key (no reader) has nothing unread.
    /// </summary>
    public static IQueryable<ConversationFacts> WithFactsFor(this IQueryable<Channel> channels, InboxDbContext db, string? reader) =>
        channels.Select(c => new ConversationFacts
        {
            Channel = c,
            Unread = reader == null
                ? 0
                : db.ChannelMembers.Where(m => m.ChannelId == c.Id && m.UserId == reader).Select(m => (int?)m.UnreadCount).FirstOrDefault()
                  ?? c.MessageCount,
            // A note is the team's: the customer's preview is of the newest message they can read.
            NewestContent = db.Messages
                .Where(m => m.ChannelId == c.Id && m.DeletedAt == null && m.Type != MessageType.System
                    && (m.Visibility == MessageVisibility.Everyone || reader == null || c.CustomerId != reader))
                .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                .Select(m => m.Content).FirstOrDefault(),
        });

    /// <summary>
    /// A reader's count after a new message, for a list kept live from events: nothing unread once
    /// they wrote (writing marks read), one more for anyone else's message that can be unread.
    /// </summary>
    public static int AfterNewMessage(int unread, MessageEvent sent, string? reader) =>
        sent.IsFrom(reader) ? 0
        : sent.Message.MessageType == MessageType.System ? unread
        : unread + 1;

    /// <summary>A list row's preview of a message: plain text on one line, shortened.</summary>
    public static string? Preview(string? content) => content is null ? null : MessageMarkdown.ToPreview(content);
}
