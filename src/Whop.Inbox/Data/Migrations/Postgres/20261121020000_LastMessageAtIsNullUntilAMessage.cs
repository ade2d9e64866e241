using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>
/// Whop's <c>last_message_at</c> is null until a message is sent, but lists still need a non-null
/// sort key. The old column becomes that key (<c>last_activity_at</c>, same indexes) and a nullable
/// <c>last_message_at</c> is filled from the messages already there.
/// </summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261121020000_LastMessageAtIsNullUntilAMessage")]
public sealed class LastMessageAtIsNullUntilAMessage : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "last_message_at", table: "channels", newName: "last_activity_at");
        migrationBuilder.AddColumn<DateTimeOffset>(
            name: "last_message_at",
            table: "channels",
            type: "timestamp with time zone",
            nullable: true);
        migrationBuilder.Sql("""
            UPDATE channels c SET last_message_at = m.last_at
            FROM (SELECT channel_id, max(created_at) AS last_at FROM messages WHERE type <> 'system' GROUP BY channel_id) m
            WHERE m.channel_id = c.id
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "last_message_at", table: "channels");
        migrationBuilder.RenameColumn(name: "last_activity_at", table: "channels", newName: "last_message_at");
    }
}
