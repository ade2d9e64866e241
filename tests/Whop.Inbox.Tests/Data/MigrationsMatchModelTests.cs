using Microsoft.EntityFrameworkCore;
using Npgsql;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// PostgreSQL's first migrations were written by hand, before the design-time tools restored here.
/// This builds one database from the migrations and one straight from the model and compares their
/// columns, indexes and constraints, so the snapshot taken afterwards describes what the migrations made.
/// </summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class MigrationsMatchModelTests
{
    [Fact]
    public async Task The_migrated_schema_equals_the_schema_the_model_describes()
    {
        await using var migrated = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var fromModel = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

        await using (var db = migrated.CreateContext()) await db.Database.MigrateAsync();
        await using (var db = fromModel.CreateContext())
        {
            await db.Database.EnsureCreatedAsync();
            // The search column and its index are raw SQL in their migration: the model does not describe them.
            await db.Database.ExecuteSqlRawAsync(Whop.Inbox.Support.Search.SearchIndexSql.PostgresCreate);
        }

        var expected = await SchemaAsync(fromModel);
        var actual = await SchemaAsync(migrated);
        actual.Except(expected).ShouldBeEmpty("the migrations have this, the model does not");
        expected.Except(actual).ShouldBeEmpty("the model has this, the migrations do not");
        expected.Count.ShouldBeGreaterThan(100);
    }

    private static async Task<List<string>> SchemaAsync(TestDatabase database)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || ' null=' || is_nullable || ' identity=' || is_identity
              FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'ef_migrations_history'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'ef_migrations_history'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'ef_migrations_history'
            """;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
