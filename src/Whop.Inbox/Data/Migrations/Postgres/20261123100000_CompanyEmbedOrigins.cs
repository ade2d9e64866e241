using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>
/// Embedding: each company lists the web origins allowed to frame its chat and DMs-list elements.
/// Companies that exist already start with none (nothing may frame them until an admin says so).
/// </summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261123100000_CompanyEmbedOrigins")]
public sealed class CompanyEmbedOrigins : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string[]>(
            name: "embed_origins",
            table: "companies",
            type: "text[]",
            nullable: false,
            defaultValue: new string[0]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "embed_origins", table: "companies");
    }
}
