using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Snooze : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "ix_channels_snoozed_until",
                table: "channels",
                column: "snoozed_until",
                filter: "snoozed_until IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_channels_snoozed_until",
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
