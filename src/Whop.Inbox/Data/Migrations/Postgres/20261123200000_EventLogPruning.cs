using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>The event log is pruned by age (see <c>ChatEventLogPruner</c>): an index to find the old rows.</summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261123200000_EventLogPruning")]
public sealed class EventLogPruning : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex(
            name: "ix_channel_events_created_at",
            table: "channel_events",
            column: "created_at");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "ix_channel_events_created_at", table: "channel_events");
    }
}
