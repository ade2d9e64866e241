using System.Data.Common;
using System.Diagnostics;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// One database provider the app can stand on, as the benchmark needs it: the reusable benchmark
/// database (made when missing or from another generator version), the app's settings for it,
/// plain connections for the phases' look-ups, and the SQL that differs between the two (the
/// floor's table). Everything else the phases ask is written once, in SQL both understand.
/// </summary>
public abstract class BenchStore
{
    /// <summary>
    /// The app keeps unread counts on write; rows loaded behind its back are counted once, by a start
    /// with <c>Inbox:Database:RecountUnread</c> (what docs/unread-counts.md tells anyone importing rows to do).
    /// </summary>
    protected static async Task RecountUnreadAsync(Func<AppProcess.Settings> appSettings, Action<string> say)
    {
        say("counting unread messages: one start with Inbox:Database:RecountUnread");
        var settings = appSettings();
        var environment = new Dictionary<string, string>(settings.Environment ?? new Dictionary<string, string>())
        {
            ["Inbox__Database__RecountUnread"] = "true",
        };
        var started = Stopwatch.GetTimestamp();
        await using var app = AppProcess.Start(settings with { Environment = environment });
        var took = await app.WaitHealthyAsync(started, TimeSpan.FromMinutes(30));
        say($"counted in {took.TotalSeconds:F0} s");
    }

    /// <summary><c>sqlite</c> or <c>postgres</c>: the option's value and the key in latest.json.</summary>
    public abstract string Key { get; }

    /// <summary>The name in the results (SQLite, PostgreSQL).</summary>
    public abstract string Label { get; }

    /// <summary>Where the data is, for the log and the results.</summary>
    public abstract string Location { get; }

    /// <summary>The app's database settings (environment variables) for this provider.</summary>
    public abstract IReadOnlyDictionary<string, string> AppEnvironment(string? connectionOptions);

    /// <summary>A connection for the benchmark's own look-ups and the floor (opened, the caller disposes it).</summary>
    public abstract Task<DbConnection> OpenAsync();

    /// <summary>The database's name and version, e.g. "PostgreSQL 15.18" or "SQLite 3.50.4".</summary>
    public abstract Task<string> VersionAsync();

    /// <summary>Null when the data was reused; otherwise what loading it took.</summary>
    public abstract Task<LoadReport?> EnsureAsync(bool regenerate, Func<AppProcess.Settings> appSettings, Action<string> say);

    /// <summary>Whether the database runs in processes of its own, whose CPU the delivery phase counts (PostgreSQL), or inside the app (SQLite).</summary>
    public abstract bool HasServerProcesses { get; }

    /// <summary>The floor's table: a bigint key, a time and a short text, as close to a message row's write as the database allows.</summary>
    public abstract string FloorCreateSql { get; }

    /// <summary>One row into the floor's table, with the parameter <c>@body</c>.</summary>
    public abstract string FloorInsertSql { get; }

    /// <summary>Writers committing at once in the floor's throughput figure: as many as the database can use.</summary>
    public abstract int FloorWriters { get; }

    /// <summary>Says how the writers figure was taken (one line of the floor table).</summary>
    public abstract string FloorWritersLabel { get; }

    /// <summary>Ends the benchmark's use of the database (pooled connections closed, the file released).</summary>
    /// <summary>
    /// One row: the app's connections to this database, of them those not idle, and the share of <c>NOTIFY</c>'s queue in use
    /// (see <see cref="Running.ServerLoad"/>); null where the database has no server.
    /// </summary>
    public virtual string? ServerLoadSql => null;

    public virtual void Release()
    {
    }

    public static async Task<int> ExecuteAsync(DbConnection db, string sql, int timeoutSeconds = 300)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(DbConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        var value2 = await command.ExecuteScalarAsync();
        return value2 is DBNull ? null : value2;
    }

    public static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary><c>@p0, @p1, …</c> for an IN list, with the values added to the command (both databases take this form).</summary>
    public static string InList(DbCommand command, IReadOnlyList<string> values, string prefix = "p")
    {
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            AddParameter(command, names[i], values[i]);
        }
        return string.Join(", ", names);
    }
}

/// <summary>What generating the data took. Rows: COPY (PostgreSQL) or prepared INSERTs in one transaction (SQLite).</summary>
public sealed record LoadReport(string Method, double Seconds, double RowsSeconds, double IndexSeconds, double AnalyzeSeconds, long Users,
    long Channels, long Members, long Messages, long? DatabaseBytes);
