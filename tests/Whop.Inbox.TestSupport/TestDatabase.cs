using Microsoft.Data.Sqlite;
using Npgsql;
using Whop.Inbox.Data;

namespace Whop.Inbox.TestSupport;

/// <summary>
/// A fresh database for one fixture, removed afterwards: a SQLite file in a folder of its own, or a
/// PostgreSQL database. Which one <see cref="CreateAsync()"/> makes comes from <c>INBOX_TEST_DATABASE</c>
/// (<c>sqlite</c>, the default, or <c>postgres</c>; the test command runs the suite on each). The PostgreSQL
/// server comes from <c>INBOX_TEST_POSTGRES</c>, a connection string to a maintenance database with a
/// role that may create databases.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Database=postgres;Username=whop_inbox;Password=whop_inbox";

    private TestDatabase(DatabaseProvider provider, string name, string connectionString, string location)
    {
        Provider = provider;
        Name = name;
        ConnectionString = connectionString;
        Location = location;
    }

    /// <summary>The provider of this test run: <c>INBOX_TEST_DATABASE</c>, SQLite unless it says postgres.</summary>
    public static DatabaseProvider DefaultProvider { get; } =
        string.Equals(Environment.GetEnvironmentVariable("INBOX_TEST_DATABASE"), "postgres", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;

    public DatabaseProvider Provider { get; }
    public string Name { get; }

    /// <summary>ADO.NET's connection string for the provider: <c>Data Source=…</c> or a PostgreSQL one.</summary>
    public string ConnectionString { get; }

    /// <summary>The SQLite file, or the PostgreSQL admin connection string.</summary>
    private string Location { get; }

    /// <summary>The SQLite file's path (only for SQLite).</summary>
    public string SqlitePath => Provider == DatabaseProvider.Sqlite ? Location : throw new InvalidOperationException("Not a SQLite database.");

    public static Task<TestDatabase> CreateAsync() => CreateAsync(DefaultProvider);

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        var name = $"whop_inbox_test_{Guid.NewGuid():N}"[..40];
        if (provider == DatabaseProvider.Sqlite)
        {
            var path = Path.Combine(Path.GetTempPath(), "whop-inbox-tests", name, "inbox.db");
            return new TestDatabase(provider, name, new SqliteConnectionStringBuilder { DataSource = path }.ToString(), path);
        }

        var admin = AdminConnectionString;
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase(provider, name, connectionString, admin);
    }

    /// <summary>The maintenance connection to the test PostgreSQL server.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable("INBOX_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultAdmin;

    /// <summary>The settings that point the app at this database.</summary>
    public IEnumerable<KeyValuePair<string, string>> AppSettings()
    {
        yield return new("Inbox:Database:Provider", Provider.ToString().ToLowerInvariant());
        if (Provider == DatabaseProvider.Sqlite) yield return new("Inbox:Database:Path", Location);
        else yield return new("ConnectionStrings:Inbox", ConnectionString);
    }

    /// <summary>A context of the provider's own type straight on this database, outside any app (migrations, checks from outside).</summary>
    public InboxDbContext CreateContext()
    {
        if (Provider == DatabaseProvider.Sqlite) Directory.CreateDirectory(Path.GetDirectoryName(Location)!);
        return ProviderContext.Open(Provider, ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
            // A connection closing as the app stops can write its -wal or -shm file after the listing the delete
            // made ("directory not empty"): try again a few times before leaving the folder to the temp cleaner.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    Directory.Delete(Path.GetDirectoryName(Location)!, recursive: true);
                    break;
                }
                catch (DirectoryNotFoundException)
                {
                    break;
                }
                catch (IOException) when (attempt < 5)
                {
                    SqliteConnection.ClearAllPools();
                    await Task.Delay(100 * attempt);
                }
                catch (IOException)
                {
                    break;
                }
            }
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Location);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        // FORCE may not end a server-owned process such as an autovacuum worker visiting the fresh
        // database (42501 for a role that is not a superuser); it finishes within moments.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                await Task.Delay(250);
            }
        }
    }
}
