using Npgsql;

namespace Whop.Inbox.TestSupport;

/// <summary>
/// A fresh PostgreSQL database for one fixture, dropped afterwards. The server comes from
/// <c>INBOX_TEST_POSTGRES</c> (set by the test command), a connection string to a maintenance
/// database with a role that may create databases.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string DefaultAdmin = "Host=127.0.0.1;Port=5432;Database=postgres;Username=whop_inbox;Password=whop_inbox";

    private TestDatabase(string name, string adminConnectionString, string connectionString)
    {
        Name = name;
        AdminConnectionString = adminConnectionString;
        ConnectionString = connectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    private string AdminConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("INBOX_TEST_POSTGRES") is { Length: > 0 } configured ? configured : DefaultAdmin;
        var name = $"whop_inbox_test_{Guid.NewGuid():N}"[..40];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        return new TestDatabase(name, admin, connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
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
