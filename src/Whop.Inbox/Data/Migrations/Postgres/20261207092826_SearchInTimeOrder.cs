using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchInTimeOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_messages_created_at",
                table: "messages",
                column: "created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_created_at",
                table: "messages");
        }
    }
}
