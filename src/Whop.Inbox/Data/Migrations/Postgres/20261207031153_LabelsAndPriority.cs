using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LabelsAndPriority : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "chat_labels");

            migrationBuilder.DropTable(
                name: "labels");

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
        }
    }
}
