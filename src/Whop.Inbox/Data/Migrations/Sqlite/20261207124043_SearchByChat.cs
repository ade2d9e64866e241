using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchByChat : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The message index gains each message's conversation, so one chat's search reads that chat's entries
            // (Support/Search/SearchIndexSql.cs). Reindexes every message: about 20 s per million.
            Whop.Inbox.Support.Search.SearchIndexSql.UpSqlite(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Whop.Inbox.Support.Search.SearchIndexSql.UpSqliteTextOnly(migrationBuilder);
        }
    }
}
