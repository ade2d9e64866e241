using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NotificationSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "notification_settings",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    customer_messages = table.Column<bool>(type: "boolean", nullable: false),
                    mentions = table.Column<bool>(type: "boolean", nullable: false),
                    assignments = table.Column<bool>(type: "boolean", nullable: false),
                    direct_messages = table.Column<bool>(type: "boolean", nullable: false),
                    desktop = table.Column<bool>(type: "boolean", nullable: false),
                    sound = table.Column<bool>(type: "boolean", nullable: false),
                    quiet_start_minute = table.Column<int>(type: "integer", nullable: true),
                    quiet_end_minute = table.Column<int>(type: "integer", nullable: true),
                    quiet_time_zone = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_notification_settings", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_notification_settings_users_user_id",
                        column: x => x.user_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_settings");
        }
    }
}
