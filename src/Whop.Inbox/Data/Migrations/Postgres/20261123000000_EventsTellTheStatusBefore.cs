using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>
/// Each support chat remembers the status its last event announced (<c>announced_status</c>), so the
/// next event can say what the status was before it: live inbox tabs move a chat from one count to
/// another without counting again. Chats that exist already start from their current status.
/// </summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261123000000_EventsTellTheStatusBefore")]
public sealed class EventsTellTheStatusBefore : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(
            name: "announced_status",
            table: "channels",
            type: "text",
            nullable: true);

        migrationBuilder.Sql("UPDATE channels SET announced_status = status WHERE kind = 'support';");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "announced_status", table: "channels");
    }
}
