using Npgsql;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// The reusable benchmark database. It is kept between runs and made again only when it is missing,
/// half-made, or from another generator version or scale (the database's comment says which, and is
/// written last). Making it: the app itself creates the schema (its migrations) and the company on
/// a first start, then <see cref="DataGenerator"/> loads the data.
/// </summary>
public sealed class BenchDatabase(string adminConnectionString, string name, BenchData shape, Action<string> say)
{
    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;

    /// <summary>Null when the database was reused; otherwise what loading it took.</summary>
    public async Task<DataGenerator.LoadReport?> EnsureAsync(bool regenerate, Func<AppProcess.Settings> appSettings)
    {
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        var comment = await Scalar(admin, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = @name");
        if (!regenerate && comment as string == shape.Signature)
        {
            say($"data: reusing database {name} ({shape.Signature})");
            return null;
        }

        say($"data: creating database {name} ({shape.Signature})");
        await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await Execute(admin, $"CREATE DATABASE \"{name}\"");

        // The schema exactly as the app makes it: its migrations, the company and the key ring.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using (var app = AppProcess.Start(appSettings()))
            await app.WaitHealthyAsync(started, TimeSpan.FromMinutes(5));

        var report = await new DataGenerator(ConnectionString, shape, say).GenerateAsync();
        await Execute(admin, $"COMMENT ON DATABASE \"{name}\" IS '{shape.Signature}'");
        say($"data: loaded in {report.Seconds:F0} s (copy {report.CopySeconds:F0} s, indexes {report.IndexSeconds:F0} s, vacuum {report.VacuumSeconds:F0} s)");
        return report;
    }

    private static async Task Execute(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<object?> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync();
    }
}
