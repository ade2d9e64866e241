using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Team;

namespace Whop.Inbox.Data;

/// <summary>
/// Brings the database up to date before the server takes requests: applies migrations, makes
/// sure a company exists (with demo data when configured and the database is empty) and that the
/// shared Data Protection key ring has a key. Instances starting together take turns through the
/// dialect's start-up lock, so the second sees the first's work instead of repeating it.
/// </summary>
internal sealed partial class DatabaseStartup(
    IDbContextFactory<InboxDbContext> contexts,
    DatabaseDialect dialect,
    IServiceProvider services,
    IOptions<InboxOptions> options,
    IOptions<DatabaseOptions> databaseOptions,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        LogDatabase(dialect.Provider, Describe(db));
        try
        {
            await using (await dialect.StartupLockAsync(db, ct))
                await BringUpToDateAsync(db, ct);
        }
        catch (SqliteException e)
        {
            // A folder that cannot be written, a read-only file, a full disk: say which file.
            throw new InvalidOperationException($"Cannot use the SQLite database {Describe(db)}: {e.Message}", e);
        }
    }

    private async Task BringUpToDateAsync(InboxDbContext db, CancellationToken ct)
    {
        if (!await MigratedAsync(db, ct)) await MigrateAsync(db, ct);

        if (!await db.Companies.AnyAsync(ct))
        {
            if (options.Value.SeedDemoData)
            {
                await services.GetRequiredService<DemoData>().SeedAsync(ct);
                LogSeeded();
            }
            else
            {
                db.Companies.Add(new Company(options.Value.CompanyName, DateTimeOffset.UtcNow));
                await db.SaveChangesAsync(ct);
            }
        }

        if (databaseOptions.Value.RecountUnread)
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            await UnreadCounts.RecountAsync(db, ct);
            LogRecounted();
        }

        // Creates the first Data Protection key while we hold the lock, so concurrent first
        // starts agree on one key instead of each minting its own.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("startup").Protect([1]);
    }

    /// <summary>
    /// Whether every migration the app knows is applied: what almost every start finds. Read plainly from the
    /// history table, as EF Core's own check first builds a model of that table at run time (about a tenth of a start).
    /// </summary>
    private static async Task<bool> MigratedAsync(InboxDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // Asked of the catalog first: reading a table that is not there would be logged as the database's error.
            command.CommandText = db.Database.IsSqlite()
                ? $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{DataSetup.MigrationsHistoryTable}'"
                : $"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '{DataSetup.MigrationsHistoryTable}'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
            command.CommandText = $"""SELECT "MigrationId" FROM "{DataSetup.MigrationsHistoryTable}" """;
            var applied = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await command.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) applied.Add(reader.GetString(0));
            return db.Database.GetMigrations().All(applied.Contains);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task MigrateAsync(InboxDbContext db, CancellationToken ct)
    {
        // The history table first: Npgsql finds out whether it exists by reading it and logs the failed
        // read as an error, which a newcomer reads as "it failed" on a first start.
        await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0) return;
        LogApplyingMigrations(pending.Count, string.Join(", ", pending));
        // A migration may rewrite every row of a big table (a backfill): no 30 s limit on it.
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        await db.Database.MigrateAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Where the data is, without a password.</summary>
    internal static string Describe(InboxDbContext db)
    {
        var connectionString = db.Database.GetConnectionString() ?? "";
        if (db.Database.IsSqlite()) return new SqliteConnectionStringBuilder(connectionString).DataSource;
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"{postgres.Host}:{postgres.Port}/{postgres.Database}";
    }

    [LoggerMessage(LogLevel.Information, "Database: {Provider} at {Where}")]
    private partial void LogDatabase(DatabaseProvider provider, string where);

    [LoggerMessage(LogLevel.Information, "Applying {Count} database migration(s): {Migrations}")]
    private partial void LogApplyingMigrations(int count, string migrations);

    [LoggerMessage(LogLevel.Information, "Seeded the demo company into an empty database")]
    private partial void LogSeeded();

    [LoggerMessage(LogLevel.Information, "Recounted every unread count from the messages (Inbox:Database:RecountUnread)")]
    private partial void LogRecounted();
}
