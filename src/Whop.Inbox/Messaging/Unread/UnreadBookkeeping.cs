using System.Runtime.CompilerServices;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging.Unread;

/// <summary>
/// One change's part in keeping the unread counts (see <see cref="UnreadCounts"/>): what it did to
/// messages and read marks, turned into one command that runs after the change's save, in its
/// transaction and under its lock. The per-status tallies are kept by taking out what the
/// conversation's read rows counted before the change and putting back what they count after, so a
/// message, a read mark, a status change or any mix of them in one change is handled the same way.
/// </summary>
internal sealed class UnreadBookkeeping
{
    // Increments first, then what is taken again from the messages (a read mark, a member who joined):
    // a recount is absolute, so it is right whatever else the change did before it.
    private readonly List<FormattableString> _rows = [];
    private readonly List<FormattableString> _recounts = [];
    private SupportStatus? _statusBefore;
    private string? _assigneeBefore;
    private bool _hadMessages;

    public UnreadBookkeeping(Channel? channel) => Baseline(channel);

    /// <summary>
    /// A message was written: one more unread for every member who had read up to it, but its author (and,
    /// for a note, but the customer, who never reads it).
    /// </summary>
    public void Posted(DatabaseDialect dialect, Channel channel, Message message)
    {
        if (!message.CountsAsUnread) return;
        channel.CountMessage(added: true);
        _rows.Add($"""
            UPDATE channel_members SET unread_count = unread_count + 1
            WHERE channel_id = {channel.Id} AND user_id <> {message.AuthorId} AND user_id <> {NotCountedFor(channel, message)}
              AND (last_viewed_at IS NULL OR last_viewed_at < {dialect.Time(message.CreatedAt)})
            """);
    }

    /// <summary>A message was deleted: one fewer for every member who had not read it.</summary>
    public void Deleted(DatabaseDialect dialect, Channel channel, Message message)
    {
        if (!message.CountsAsUnread) return;
        channel.CountMessage(added: false);
        _rows.Add($"""
            UPDATE channel_members SET unread_count = unread_count - 1
            WHERE channel_id = {channel.Id} AND user_id <> {message.AuthorId} AND user_id <> {NotCountedFor(channel, message)} AND unread_count > 0
              AND (last_viewed_at IS NULL OR last_viewed_at < {dialect.Time(message.CreatedAt)})
            """);
    }

    /// <summary>
    /// People a message mentions: one more unread mention each, and the time the Mentions view lists by. A
    /// teammate with no row in a support chat yet gets one, unread as a reader with no read mark is (every
    /// message: they wrote none, or they would have a row). Runs after the counts' increments.
    /// </summary>
    public void Mentioned(DatabaseDialect dialect, Channel channel, Message message, IEnumerable<string> userIds)
    {
        var time = dialect.Time(message.UpdatedAt);
        foreach (var userId in userIds.Where(id => id != message.AuthorId))
        {
            _recounts.Add($"""
                INSERT INTO channel_members (id, channel_id, user_id, status, notification_preference, created_at, unread_count, unread_mentions, last_mentioned_at)
                VALUES ({PublicId.New(PublicId.ChannelMember)}, {channel.Id}, {userId}, 'accepted', 'all', {time}, {channel.MessageCount}, 1, {time})
                ON CONFLICT (channel_id, user_id) DO UPDATE
                SET unread_mentions = channel_members.unread_mentions + 1, last_mentioned_at = excluded.last_mentioned_at
                """);
        }
    }

    /// <summary>Who a message is never unread for besides its author: a note's customer ("" matches nobody).</summary>
    private static string NotCountedFor(Channel channel, Message message) => message.IsNote ? channel.CustomerId ?? "" : "";

    /// <summary>
    /// A person read up to <paramref name="at"/>: their mark moves forward (never back), their row made
    /// the first time (a team member opening a chat), and their count is taken again from the messages.
    /// </summary>
    public void ReadTo(DatabaseDialect dialect, Channel channel, string userId, DateTimeOffset at)
    {
        var time = dialect.Time(at);
        _recounts.Add($"""
            INSERT INTO channel_members (id, channel_id, user_id, status, notification_preference, last_viewed_at, created_at, unread_count)
            VALUES ({PublicId.New(PublicId.ChannelMember)}, {channel.Id}, {userId}, 'accepted', 'all', {time}, {time}, 0)
            ON CONFLICT (channel_id, user_id) DO UPDATE
            SET last_viewed_at = CASE WHEN channel_members.last_viewed_at IS NULL
                                        OR excluded.last_viewed_at > channel_members.last_viewed_at
                                      THEN excluded.last_viewed_at ELSE channel_members.last_viewed_at END,
                unread_mentions = 0
            """);
        Recount(channel, userId);
    }

    /// <summary>A member joined (a DM's new member): their count is every message that is not theirs.</summary>
    public void Joined(Channel channel, string userId) => Recount(channel, userId);

    /// <summary>The statements that keep the counts for what was recorded (none when nothing changes them); starts afresh after.</summary>
    public IReadOnlyList<FormattableString> TakeStatements(DatabaseDialect dialect, Channel channel)
    {
        var hasMessages = channel.MessageCount > 0;
        var placementMoved = channel.Status != _statusBefore || hasMessages != _hadMessages;
        var assigneeMoved = channel.Status != _statusBefore || channel.AssigneeId != _assigneeBefore;
        var parts = new List<FormattableString>();
        _rows.AddRange(_recounts);
        if (channel.IsSupport && (_rows.Count > 0 || placementMoved || assigneeMoved))
        {
            var companyId = channel.CompanyId!;
            // The company's tally rows are shared by all its chats, and a change moves several of them (the
            // status it leaves and the one it takes, for each reader): changes would take them in opposite
            // orders and deadlock. So a change takes the company's tally lock first, last of its locks,
            // and holds it to its commit (one more round trip at most).
            if (dialect.KeyLockStatement($"tallies:{companyId}") is { } tallyLock) parts.Add(tallyLock);
            if (_hadMessages)
            {
                parts.Add($"""
                    UPDATE support_read_tallies SET chats = chats - 1
                    WHERE company_id = {companyId} AND status = {Stored(_statusBefore)}
                      AND user_id IN (SELECT user_id FROM channel_members WHERE channel_id = {channel.Id} AND unread_count = 0)
                    """);
            }
            parts.AddRange(_rows);
            if (hasMessages)
            {
                // WHERE before ON CONFLICT: SQLite would read the conflict clause as a join's ON otherwise.
                parts.Add($"""
                    INSERT INTO support_read_tallies (user_id, company_id, status, chats)
                    SELECT user_id, {companyId}, {Stored(channel.Status)}, 1 FROM channel_members
                    WHERE channel_id = {channel.Id} AND unread_count = 0
                    ON CONFLICT (user_id, company_id, status) DO UPDATE SET chats = support_read_tallies.chats + 1
                    """);
            }
            if (placementMoved)
            {
                // The chat leaves its place in the company's tallies (none when it is new) and takes its new one.
                if (_statusBefore is not null)
                {
                    parts.Add($"""
                        UPDATE support_status_tallies SET all_chats = all_chats - 1, chats = chats - {(_hadMessages ? 1 : 0)}
                        WHERE company_id = {companyId} AND status = {Stored(_statusBefore)}
                        """);
                }
                parts.Add($"""
                    INSERT INTO support_status_tallies (company_id, status, chats, all_chats) VALUES ({companyId}, {Stored(channel.Status)}, {(hasMessages ? 1 : 0)}, 1)
                    ON CONFLICT (company_id, status) DO UPDATE
                    SET all_chats = support_status_tallies.all_chats + 1, chats = support_status_tallies.chats + excluded.chats
                    """);
            }
            if (assigneeMoved)
            {
                // The assignee's tally (the views' counts) follows the chat's status and its assignee.
                if (_assigneeBefore is not null)
                {
                    parts.Add($"""
                        UPDATE support_assignee_tallies SET chats = chats - 1
                        WHERE company_id = {companyId} AND assignee_id = {_assigneeBefore} AND status = {Stored(_statusBefore)}
                        """);
                }
                if (channel.AssigneeId is not null)
                {
                    parts.Add($"""
                        INSERT INTO support_assignee_tallies (company_id, assignee_id, status, chats) VALUES ({companyId}, {channel.AssigneeId}, {Stored(channel.Status)}, 1)
                        ON CONFLICT (company_id, assignee_id, status) DO UPDATE SET chats = support_assignee_tallies.chats + 1
                        """);
                }
            }
        }
        else
        {
            parts.AddRange(_rows);
        }
        _rows.Clear();
        _recounts.Clear();
        Baseline(channel);
        return parts;
    }

    // The rule is SQL text, not a value: put in the statement as it is, the ids as parameters.
    private void Recount(Channel channel, string userId) => _recounts.Add(FormattableStringFactory.Create(
        $"UPDATE channel_members SET unread_count = {UnreadCounts.MemberUnreadSql} WHERE channel_id = {{0}} AND user_id = {{1}}",
        channel.Id, userId));

    private void Baseline(Channel? channel)
    {
        _statusBefore = channel?.Status;
        _assigneeBefore = channel?.AssigneeId;
        _hadMessages = channel?.MessageCount > 0;
    }

    private static string? Stored(SupportStatus? status) => status is { } s ? SnakeCaseNames.Convert(s.ToString()) : null;
}
