using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UnreadCountsKeptOnWrite : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "message_count",
                table: "channels",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "unread_count",
                table: "channel_members",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "support_read_tallies",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    company_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    chats = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_support_read_tallies", x => new { x.user_id, x.company_id, x.status });
                    table.ForeignKey(
                        name: "fk_support_read_tallies_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_support_read_tallies_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_status_tallies",
                columns: table => new
                {
                    company_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    chats = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_support_status_tallies", x => new { x.company_id, x.status });
                    table.ForeignKey(
                        name: "fk_support_status_tallies_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_support_read_tallies_company_id",
                table: "support_read_tallies",
                column: "company_id");

            // The counts are taken from the messages by the next migration (SupportChatsPerStatusKeptOnWrite).
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "support_read_tallies");

            migrationBuilder.DropTable(
                name: "support_status_tallies");

            migrationBuilder.DropColumn(
                name: "message_count",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "unread_count",
                table: "channel_members");
        }
    }
}
