using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FindingAndNoticing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_author_id",
                table: "messages");

            migrationBuilder.AddColumn<int>(
                name: "business_days",
                table: "companies",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "business_end",
                table: "companies",
                type: "time without time zone",
                nullable: true);

            migrationBuilder.AddColumn<TimeOnly>(
                name: "business_start",
                table: "companies",
                type: "time without time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "business_time_zone",
                table: "companies",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_customer_message_at",
                table: "channels",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "first_responder_id",
                table: "channels",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "first_response_at",
                table: "channels",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "first_response_seconds",
                table: "channels",
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "reopen_count",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "resolution_seconds",
                table: "channels",
                type: "double precision",
                nullable: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_messages_author_id_created_at",
                table: "messages",
                columns: new[] { "author_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_first_response",
                table: "channels",
                columns: new[] { "company_id", "first_response_at" },
                filter: "first_response_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_resolved",
                table: "channels",
                columns: new[] { "company_id", "resolved_at" },
                filter: "resolved_at IS NOT NULL");

            // What the model cannot say: existing chats' response times, then the full-text index over existing messages.
            Whop.Inbox.Support.Reports.ResponseTimesBackfill.Up(migrationBuilder, postgres: true);
            Whop.Inbox.Support.Search.SearchIndexSql.UpPostgresExpression(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Whop.Inbox.Support.Search.SearchIndexSql.DownPostgres(migrationBuilder);
            Whop.Inbox.Support.Reports.ResponseTimesBackfill.Down(migrationBuilder, postgres: true);

            migrationBuilder.DropTable(
                name: "notification_settings");

            migrationBuilder.DropIndex(
                name: "ix_messages_author_id_created_at",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_first_response",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_resolved",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "business_days",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "business_end",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "business_start",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "business_time_zone",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "first_customer_message_at",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "first_responder_id",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "first_response_at",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "first_response_seconds",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "reopen_count",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "resolution_seconds",
                table: "channels");

            migrationBuilder.CreateIndex(
                name: "ix_messages_author_id",
                table: "messages",
                column: "author_id");
        }
    }
}
