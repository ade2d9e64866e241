namespace Whop.Inbox.Data.Migrations;

/// <summary>
/// SQL that migrations run, as it stood when each was written. A migration is history: it must do
/// tomorrow what it did the day it was written, so it never runs the app's live definitions.
/// </summary>
internal static class FrozenSql
{
    /// <summary><c>UnreadCounts.RecountSql</c> as of 2026-11-30 (the support chats per status joined the tallies).</summary>
    public const string UnreadRecount20261130 = """
        UPDATE channels SET message_count =
            (SELECT COUNT(*) FROM messages m WHERE m.channel_id = channels.id AND m.type <> 'system' AND m.deleted_at IS NULL);
        UPDATE channel_members SET unread_count = (SELECT COUNT(*) FROM messages m
         WHERE m.channel_id = channel_members.channel_id AND m.type <> 'system' AND m.deleted_at IS NULL
           AND m.author_id <> channel_members.user_id
           AND (channel_members.last_viewed_at IS NULL OR m.created_at > channel_members.last_viewed_at));
        DELETE FROM support_status_tallies;
        INSERT INTO support_status_tallies (company_id, status, chats, all_chats)
            SELECT company_id, status, SUM(CASE WHEN message_count > 0 THEN 1 ELSE 0 END), COUNT(*) FROM channels
            WHERE kind = 'support' GROUP BY company_id, status;
        DELETE FROM support_read_tallies;
        INSERT INTO support_read_tallies (user_id, company_id, status, chats)
            SELECT cm.user_id, c.company_id, c.status, COUNT(*) FROM channel_members cm JOIN channels c ON c.id = cm.channel_id
            WHERE c.kind = 'support' AND c.message_count > 0 AND cm.unread_count = 0 GROUP BY cm.user_id, c.company_id, c.status;
        """;
}
