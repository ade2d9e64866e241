using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupportChatsPerStatusKeptOnWrite : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "all_chats",
                table: "support_status_tallies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Every count from the messages (this migration's own copy of the recount; see FrozenSql).
            migrationBuilder.Sql(FrozenSql.UnreadRecount20261130);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "all_chats",
                table: "support_status_tallies");
        }
    }
}
