using Microsoft.EntityFrameworkCore.Migrations;

namespace Whop.Inbox.Support.Reports;

/// <summary>
/// What the migration that adds response times runs after its columns exist: each support chat's first customer
/// message, first response and resolution worked out from its messages and audit trail, as <see cref="ResponseTimes"/>
/// would have kept them. Durations are wall-clock time: every company starts with the default hours (all day, every
/// day). SQL as it stood when written (2026-12-07): a migration must do tomorrow what it did that day.
/// </summary>
public static class ResponseTimesBackfill
{
    /// <param name="postgres">PostgreSQL (timestamps) or SQLite (microseconds since 1970).</param>
    public static void Up(MigrationBuilder migration, bool postgres) => migration.Sql(Sql(postgres));

    /// <summary>Nothing to undo: dropping the columns drops what this wrote.</summary>
    public static void Down(MigrationBuilder migration, bool postgres) { }

    /// <summary>The statements; also run once after the demo data is seeded, so its report has figures.</summary>
    public static string Sql(bool postgres)
    {
        string Seconds(string from, string to) => postgres ? $"EXTRACT(EPOCH FROM ({to} - {from}))" : $"({to} - {from}) / 1000000.0";
        return $"""
            UPDATE channels SET first_customer_message_at = (SELECT MIN(m.created_at) FROM messages m
                WHERE m.channel_id = channels.id AND m.author_id = channels.customer_id AND m.type <> 'system' AND m.visibility = 'everyone')
            WHERE kind = 'support' AND first_customer_message_at IS NULL;
            UPDATE channels SET first_response_at = (SELECT MIN(m.created_at) FROM messages m
                WHERE m.channel_id = channels.id AND m.author_id <> channels.customer_id AND m.type = 'regular' AND m.visibility = 'everyone'
                  AND m.created_at > channels.first_customer_message_at)
            WHERE kind = 'support' AND first_customer_message_at IS NOT NULL AND first_response_at IS NULL;
            UPDATE channels SET first_responder_id = (SELECT m.author_id FROM messages m
                WHERE m.channel_id = channels.id AND m.created_at = channels.first_response_at AND m.author_id <> channels.customer_id
                  AND m.type = 'regular' AND m.visibility = 'everyone' ORDER BY m.id LIMIT 1),
                first_response_seconds = {Seconds("first_customer_message_at", "first_response_at")}
            WHERE kind = 'support' AND first_response_at IS NOT NULL AND first_response_seconds IS NULL;
            UPDATE channels SET resolution_seconds = {Seconds("created_at", "resolved_at")}
            WHERE kind = 'support' AND status = 'resolved' AND resolved_at IS NOT NULL AND resolution_seconds IS NULL;
            UPDATE channels SET reopen_count = (SELECT COUNT(*) FROM audit_entries a
                WHERE a.channel_id = channels.id AND a.action = 'support_chat.reopened')
            WHERE kind = 'support';
            """;
    }
}
