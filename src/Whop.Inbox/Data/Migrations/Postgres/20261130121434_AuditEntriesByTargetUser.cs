using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditEntriesByTargetUser : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_target_user_id_action_company_id",
                table: "audit_entries",
                columns: new[] { "target_user_id", "action", "company_id" },
                filter: "target_user_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_target_user_id_action_company_id",
                table: "audit_entries");
        }
    }
}
