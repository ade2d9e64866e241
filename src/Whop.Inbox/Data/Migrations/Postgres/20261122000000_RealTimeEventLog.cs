using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>
/// Real time: each channel's event log (<c>channel_events</c>) with its position counter on the
/// channel (<c>event_position</c>), and the senders' idempotency key on messages. Channels that
/// exist already start at position 0: their history stays in <c>messages</c>, the log starts now.
/// </summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261122000000_RealTimeEventLog")]
public sealed class RealTimeEventLog : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<long>(
            name: "event_position",
            table: "channels",
            type: "bigint",
            nullable: false,
            defaultValue: 0L);

        migrationBuilder.AddColumn<string>(
            name: "client_message_id",
            table: "messages",
            type: "character varying(64)",
            maxLength: 64,
            nullable: true);

        migrationBuilder.CreateIndex(
            name: "ix_messages_channel_id_author_id_client_message_id",
            table: "messages",
            columns: ["channel_id", "author_id", "client_message_id"],
            unique: true,
            filter: "client_message_id IS NOT NULL");

        migrationBuilder.CreateTable(
            name: "channel_events",
            columns: table => new
            {
                channel_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                position = table.Column<long>(type: "bigint", nullable: false),
                type = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                payload = table.Column<string>(type: "jsonb", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_channel_events", x => new { x.channel_id, x.position });
                table.ForeignKey(
                    name: "fk_channel_events_channels_channel_id",
                    column: x => x.channel_id,
                    principalTable: "channels",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "channel_events");
        migrationBuilder.DropIndex(name: "ix_messages_channel_id_author_id_client_message_id", table: "messages");
        migrationBuilder.DropColumn(name: "client_message_id", table: "messages");
        migrationBuilder.DropColumn(name: "event_position", table: "channels");
    }
}
