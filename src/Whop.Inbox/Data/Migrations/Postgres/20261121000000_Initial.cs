using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Whop.Inbox.Data.Migrations.Postgres;

/// <summary>
/// The first schema: Identity's user tables, companies and their teams, channels (support chats
/// and DMs), members, messages, reactions, API keys, the audit trail and the Data Protection key
/// ring. Written by hand against MigrationBuilder; MigrationsMatchModelTests keeps it in step
/// with the EF model.
/// </summary>
[DbContext(typeof(PostgresInboxDbContext))]
[Migration("20261121000000_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "audit_entries",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                actor_user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                actor_api_key_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                channel_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                target_user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                detail = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_audit_entries", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "companies",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_companies", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "data_protection_keys",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                friendly_name = table.Column<string>(type: "text", nullable: true),
                xml = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_data_protection_keys", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "users",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                external_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                normalized_user_name = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                normalized_email = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                email_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                password_hash = table.Column<string>(type: "text", nullable: true),
                security_stamp = table.Column<string>(type: "text", nullable: true),
                concurrency_stamp = table.Column<string>(type: "text", nullable: true),
                phone_number = table.Column<string>(type: "text", nullable: true),
                phone_number_confirmed = table.Column<bool>(type: "boolean", nullable: false),
                two_factor_enabled = table.Column<bool>(type: "boolean", nullable: false),
                lockout_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                lockout_enabled = table.Column<bool>(type: "boolean", nullable: false),
                access_failed_count = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_users", x => x.id);
            });

        migrationBuilder.CreateTable(
            name: "api_keys",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                lookup = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                secret_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                created_by_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                revoked_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_api_keys", x => x.id);
                table.ForeignKey(
                    name: "fk_api_keys_companies_company_id",
                    column: x => x.company_id,
                    principalTable: "companies",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_api_keys_users_created_by_id",
                    column: x => x.created_by_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateTable(
            name: "channels",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                kind = table.Column<string>(type: "text", nullable: false),
                company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                customer_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                custom_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                created_by_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                last_message_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                status = table.Column<string>(type: "text", nullable: true),
                resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                resolved_by_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                member_count = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_channels", x => x.id);
                table.CheckConstraint("ck_channels_dm_member_cap", "member_count BETWEEN 0 AND 50");
                table.CheckConstraint("ck_channels_support_shape", "kind <> 'support' OR (company_id IS NOT NULL AND customer_id IS NOT NULL AND status IS NOT NULL)");
                table.ForeignKey(
                    name: "fk_channels_companies_company_id",
                    column: x => x.company_id,
                    principalTable: "companies",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_channels_users_created_by_id",
                    column: x => x.created_by_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.SetNull);
                table.ForeignKey(
                    name: "fk_channels_users_customer_id",
                    column: x => x.customer_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_channels_users_resolved_by_id",
                    column: x => x.resolved_by_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.SetNull);
            });

        migrationBuilder.CreateTable(
            name: "team_members",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                company_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                role = table.Column<string>(type: "text", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_team_members", x => x.id);
                table.ForeignKey(
                    name: "fk_team_members_companies_company_id",
                    column: x => x.company_id,
                    principalTable: "companies",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_team_members_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "user_claims",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                claim_type = table.Column<string>(type: "text", nullable: true),
                claim_value = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_claims", x => x.id);
                table.ForeignKey(
                    name: "fk_user_claims_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "user_logins",
            columns: table => new
            {
                login_provider = table.Column<string>(type: "text", nullable: false),
                provider_key = table.Column<string>(type: "text", nullable: false),
                provider_display_name = table.Column<string>(type: "text", nullable: true),
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_logins", x => new { x.login_provider, x.provider_key });
                table.ForeignKey(
                    name: "fk_user_logins_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "user_tokens",
            columns: table => new
            {
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                login_provider = table.Column<string>(type: "text", nullable: false),
                name = table.Column<string>(type: "text", nullable: false),
                value = table.Column<string>(type: "text", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_user_tokens", x => new { x.user_id, x.login_provider, x.name });
                table.ForeignKey(
                    name: "fk_user_tokens_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "channel_members",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                channel_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                status = table.Column<string>(type: "text", nullable: false),
                notification_preference = table.Column<string>(type: "text", nullable: false),
                last_viewed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_channel_members", x => x.id);
                table.ForeignKey(
                    name: "fk_channel_members_channels_channel_id",
                    column: x => x.channel_id,
                    principalTable: "channels",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_channel_members_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "messages",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                channel_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                author_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                content = table.Column<string>(type: "character varying(10000)", maxLength: 10000, nullable: false),
                type = table.Column<string>(type: "text", nullable: false),
                replying_to_message_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                is_pinned = table.Column<bool>(type: "boolean", nullable: false),
                is_edited = table.Column<bool>(type: "boolean", nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                deleted_by_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_messages", x => x.id);
                table.ForeignKey(
                    name: "fk_messages_channels_channel_id",
                    column: x => x.channel_id,
                    principalTable: "channels",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_messages_messages_replying_to_message_id",
                    column: x => x.replying_to_message_id,
                    principalTable: "messages",
                    principalColumn: "id",
                    onDelete: ReferentialAction.SetNull);
                table.ForeignKey(
                    name: "fk_messages_users_author_id",
                    column: x => x.author_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Restrict);
            });

        migrationBuilder.CreateTable(
            name: "reactions",
            columns: table => new
            {
                id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                message_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                user_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                emoji = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_reactions", x => x.id);
                table.ForeignKey(
                    name: "fk_reactions_messages_message_id",
                    column: x => x.message_id,
                    principalTable: "messages",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
                table.ForeignKey(
                    name: "fk_reactions_users_user_id",
                    column: x => x.user_id,
                    principalTable: "users",
                    principalColumn: "id",
                    onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "ix_api_keys_company_id_created_at",
            table: "api_keys",
            columns: ["company_id", "created_at"]);

        migrationBuilder.CreateIndex(
            name: "ix_api_keys_created_by_id",
            table: "api_keys",
            column: "created_by_id");

        migrationBuilder.CreateIndex(
            name: "ix_api_keys_lookup",
            table: "api_keys",
            column: "lookup",
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_audit_entries_actor_user_id_created_at",
            table: "audit_entries",
            columns: ["actor_user_id", "created_at"],
            filter: "actor_user_id IS NOT NULL");

        migrationBuilder.CreateIndex(
            name: "ix_audit_entries_channel_id_created_at",
            table: "audit_entries",
            columns: ["channel_id", "created_at"],
            filter: "channel_id IS NOT NULL");

        migrationBuilder.CreateIndex(
            name: "ix_audit_entries_company_id_created_at_id",
            table: "audit_entries",
            columns: ["company_id", "created_at", "id"]);

        migrationBuilder.CreateIndex(
            name: "ix_channel_members_channel_id_created_at_id",
            table: "channel_members",
            columns: ["channel_id", "created_at", "id"]);

        migrationBuilder.CreateIndex(
            name: "ix_channel_members_channel_id_user_id",
            table: "channel_members",
            columns: ["channel_id", "user_id"],
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_channel_members_user_id_channel_id",
            table: "channel_members",
            columns: ["user_id", "channel_id"]);

        migrationBuilder.CreateIndex(
            name: "ix_channels_created_by_id",
            table: "channels",
            column: "created_by_id");

        migrationBuilder.CreateIndex(
            name: "ix_channels_customer_activity",
            table: "channels",
            columns: ["customer_id", "last_message_at", "id"],
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ix_channels_resolved_by_id",
            table: "channels",
            column: "resolved_by_id");

        migrationBuilder.CreateIndex(
            name: "ix_channels_support_activity",
            table: "channels",
            columns: ["company_id", "last_message_at", "id"],
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ix_channels_support_created",
            table: "channels",
            columns: ["company_id", "created_at", "id"],
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ix_channels_support_status_activity",
            table: "channels",
            columns: ["company_id", "status", "last_message_at", "id"],
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ix_channels_support_status_created",
            table: "channels",
            columns: ["company_id", "status", "created_at", "id"],
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ux_channels_support_customer",
            table: "channels",
            columns: ["company_id", "customer_id"],
            unique: true,
            filter: "kind = 'support'");

        migrationBuilder.CreateIndex(
            name: "ix_messages_author_id",
            table: "messages",
            column: "author_id");

        migrationBuilder.CreateIndex(
            name: "ix_messages_channel_id_created_at_id",
            table: "messages",
            columns: ["channel_id", "created_at", "id"]);

        migrationBuilder.CreateIndex(
            name: "ix_messages_replying_to_message_id",
            table: "messages",
            column: "replying_to_message_id",
            filter: "replying_to_message_id IS NOT NULL");

        migrationBuilder.CreateIndex(
            name: "ix_reactions_message_id_user_id_emoji",
            table: "reactions",
            columns: ["message_id", "user_id", "emoji"],
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_reactions_user_id",
            table: "reactions",
            column: "user_id");

        migrationBuilder.CreateIndex(
            name: "ix_team_members_company_id_user_id",
            table: "team_members",
            columns: ["company_id", "user_id"],
            unique: true);

        migrationBuilder.CreateIndex(
            name: "ix_team_members_user_id",
            table: "team_members",
            column: "user_id");

        migrationBuilder.CreateIndex(
            name: "ix_user_claims_user_id",
            table: "user_claims",
            column: "user_id");

        migrationBuilder.CreateIndex(
            name: "ix_user_logins_user_id",
            table: "user_logins",
            column: "user_id");

        migrationBuilder.CreateIndex(
            name: "email_index",
            table: "users",
            column: "normalized_email");

        migrationBuilder.CreateIndex(
            name: "ix_users_external_id",
            table: "users",
            column: "external_id",
            unique: true,
            filter: "external_id IS NOT NULL");

        migrationBuilder.CreateIndex(
            name: "user_name_index",
            table: "users",
            column: "normalized_user_name",
            unique: true);

    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[]
             {
                 "reactions", "messages", "channel_members", "user_tokens", "user_logins", "user_claims", "team_members",
                 "channels", "api_keys", "users", "data_protection_keys", "companies", "audit_entries",
             })
        {
        migrationBuilder.DropTable(table);
        }
    }
}
