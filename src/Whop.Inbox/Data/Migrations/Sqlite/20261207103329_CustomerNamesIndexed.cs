using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CustomerNamesIndexed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Search matches customers by name, username and email from an index of its own (Support/Search/SearchIndexSql.cs).
            Whop.Inbox.Support.Search.SearchIndexSql.UpSqlitePeople(migrationBuilder);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Whop.Inbox.Support.Search.SearchIndexSql.DownSqlitePeople(migrationBuilder);
        }
    }
}
