using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkingAsATeam : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "last_auto_assigned_at",
                table: "team_members",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "mentions",
                table: "messages",
                type: "TEXT",
                nullable: false,
                defaultValueSql: "'[]'");

            migrationBuilder.AddColumn<string>(
                name: "visibility",
                table: "messages",
                type: "TEXT",
                nullable: false,
                defaultValue: "everyone");

            migrationBuilder.AddColumn<bool>(
                name: "auto_assign",
                table: "companies",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "assignee_id",
                table: "channels",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "last_mentioned_at",
                table: "channel_members",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "unread_mentions",
                table: "channel_members",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "presence",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    seen_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_presence", x => new { x.user_id, x.instance_id });
                    table.ForeignKey(
                        name: "fk_presence_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "support_assignee_tallies",
                columns: table => new
                {
                    company_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    assignee_id = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status = table.Column<string>(type: "TEXT", nullable: false),
                    chats = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_support_assignee_tallies", x => new { x.company_id, x.assignee_id, x.status });
                    table.ForeignKey(
                        name: "fk_support_assignee_tallies_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_support_assignee_tallies_users_assignee_id",
                        column: x => x.assignee_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_channels_assignee_id",
                table: "channels",
                column: "assignee_id");

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_assignee_activity",
                table: "channels",
                columns: new[] { "company_id", "assignee_id", "last_activity_at", "id" },
                filter: "kind = 'support'");

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_assignee_status_activity",
                table: "channels",
                columns: new[] { "company_id", "assignee_id", "status", "last_activity_at", "id" },
                filter: "kind = 'support'");

            migrationBuilder.CreateIndex(
                name: "ix_channel_members_mentions",
                table: "channel_members",
                columns: new[] { "user_id", "last_mentioned_at" },
                filter: "last_mentioned_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_presence_seen_at",
                table: "presence",
                column: "seen_at");

            migrationBuilder.CreateIndex(
                name: "ix_support_assignee_tallies_assignee_id",
                table: "support_assignee_tallies",
                column: "assignee_id");

            migrationBuilder.AddForeignKey(
                name: "fk_channels_users_assignee_id",
                table: "channels",
                column: "assignee_id",
                principalTable: "users",
                principalColumn: "id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_channels_users_assignee_id",
                table: "channels");

            migrationBuilder.DropTable(
                name: "presence");

            migrationBuilder.DropTable(
                name: "support_assignee_tallies");

            migrationBuilder.DropIndex(
                name: "ix_channels_assignee_id",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_assignee_activity",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_assignee_status_activity",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channel_members_mentions",
                table: "channel_members");

            migrationBuilder.DropColumn(
                name: "last_auto_assigned_at",
                table: "team_members");

            migrationBuilder.DropColumn(
                name: "mentions",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "visibility",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "auto_assign",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "assignee_id",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "last_mentioned_at",
                table: "channel_members");

            migrationBuilder.DropColumn(
                name: "unread_mentions",
                table: "channel_members");
        }
    }
}
