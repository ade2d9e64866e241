using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "label_id_list",
                table: "channels",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "priority",
                table: "channels",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "snoozed_until",
                table: "channels",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "snoozed_until_customer_replies",
                table: "channels",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "labels",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    normalized_name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    color = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_labels", x => x.id);
                    table.ForeignKey(
                        name: "fk_labels_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "saved_replies",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    owner_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    name = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    sort_key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    content = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                    created_by_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_saved_replies", x => x.id);
                    table.ForeignKey(
                        name: "fk_saved_replies_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_saved_replies_users_created_by_id",
                        column: x => x.created_by_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "fk_saved_replies_users_owner_id",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "chat_labels",
                columns: table => new
                {
                    channel_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    label_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_chat_labels", x => new { x.channel_id, x.label_id });
                    table.ForeignKey(
                        name: "fk_chat_labels_channels_channel_id",
                        column: x => x.channel_id,
                        principalTable: "channels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_chat_labels_labels_label_id",
                        column: x => x.label_id,
                        principalTable: "labels",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_channels_snoozed_until",
                table: "channels",
                column: "snoozed_until",
                filter: "snoozed_until IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_priority_activity",
                table: "channels",
                columns: new[] { "company_id", "priority", "last_activity_at", "id" },
                filter: "kind = 'support'");

            migrationBuilder.CreateIndex(
                name: "ix_channels_support_status_priority_activity",
                table: "channels",
                columns: new[] { "company_id", "status", "priority", "last_activity_at", "id" },
                filter: "kind = 'support'");

            migrationBuilder.CreateIndex(
                name: "ix_chat_labels_label_id_channel_id",
                table: "chat_labels",
                columns: new[] { "label_id", "channel_id" });

            migrationBuilder.CreateIndex(
                name: "ix_labels_company_id_normalized_name",
                table: "labels",
                columns: new[] { "company_id", "normalized_name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_saved_replies_company_id_owner_id_sort_key_id",
                table: "saved_replies",
                columns: new[] { "company_id", "owner_id", "sort_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_saved_replies_created_by_id",
                table: "saved_replies",
                column: "created_by_id");

            migrationBuilder.CreateIndex(
                name: "ix_saved_replies_owner_id",
                table: "saved_replies",
                column: "owner_id",
                filter: "owner_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chat_labels");

            migrationBuilder.DropTable(
                name: "saved_replies");

            migrationBuilder.DropTable(
                name: "labels");

            migrationBuilder.DropIndex(
                name: "ix_channels_snoozed_until",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_priority_activity",
                table: "channels");

            migrationBuilder.DropIndex(
                name: "ix_channels_support_status_priority_activity",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "label_id_list",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "priority",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "snoozed_until",
                table: "channels");

            migrationBuilder.DropColumn(
                name: "snoozed_until_customer_replies",
                table: "channels");
        }
    }
}
