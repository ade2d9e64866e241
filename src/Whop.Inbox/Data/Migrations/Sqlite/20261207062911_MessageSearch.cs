using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_messages_author_id",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_author_id_created_at",
                table: "messages",
                columns: new[] { "author_id", "created_at" });

            Whop.Inbox.Support.Search.SearchIndexSql.UpSqlite(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Whop.Inbox.Support.Search.SearchIndexSql.DownSqlite(migrationBuilder);

            migrationBuilder.DropIndex(
                name: "ix_messages_author_id_created_at",
                table: "messages");

            migrationBuilder.CreateIndex(
                name: "ix_messages_author_id",
                table: "messages",
                column: "author_id");
        }
    }
}
