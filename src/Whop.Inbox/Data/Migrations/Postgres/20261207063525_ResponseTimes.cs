using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ResponseTimes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            Whop.Inbox.Support.Reports.ResponseTimesBackfill.Up(migrationBuilder, postgres: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Whop.Inbox.Support.Reports.ResponseTimesBackfill.Down(migrationBuilder, postgres: true);

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
        }
    }
}
