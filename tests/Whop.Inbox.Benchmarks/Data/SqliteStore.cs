using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// SQLite: the reusable file <c>.run/bench/data/inbox-&lt;scale&gt;.db</c>, which the app opens as it opens
/// its own (<c>Inbox:Database:Path</c>, WAL, <c>synchronous=NORMAL</c>). It is made again only when it is
/// missing, half-made, or from another generator version or scale: <c>&lt;file&gt;.generated</c> holds the
/// signature and is written last. Making it: the app creates the schema (its migrations), the company
/// and the key ring on a first start against an empty file; the five big tables' indexes are dropped
/// (read from <c>sqlite_master</c>; the primary keys are part of the tables and stay), the rows go in
/// through prepared INSERTs in one transaction, then the indexes are built again and <c>ANALYZE</c> runs.
/// </summary>
public sealed class SqliteStore(string path, BenchData shape) : BenchStore
{
    private readonly string _path = Path.GetFullPath(path);

    public override string Key => "sqlite";
    public override string Label => "SQLite";
    public override bool HasServerProcesses => false;
    public override string Location => _path;

    private string SignatureFile => _path + ".generated";

    /// <summary>
    /// The generator's version, and this file's layout: message rows numbered in the order of their time, as a live
    /// database numbers them in the order they were sent (the generator writes chat after chat; SQLite's search index
    /// reads newest first by that number).
    /// </summary>
    private string Signature => shape.Signature + " rows-in-time-order";

    /// <summary>The benchmark's own connections: they wait for the app's writes as the app's do for each other.</summary>
    private string ConnectionString => new SqliteConnectionStringBuilder
    {
        DataSource = _path,
        Mode = SqliteOpenMode.ReadWrite,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override IReadOnlyDictionary<string, string> AppEnvironment(string? connectionOptions) => new Dictionary<string, string>
    {
        ["Inbox__Database__Provider"] = "sqlite",
        ["Inbox__Database__Path"] = _path,
    };

    public override async Task<DbConnection> OpenAsync()
    {
        var db = new SqliteConnection(ConnectionString);
        await db.OpenAsync();
        // As the app's connections: a commit is durable against a crash of the process (WAL), and writers wait their turn.
        await ExecuteAsync(db, "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;");
        return db;
    }

    public override async Task<string> VersionAsync()
    {
        await using var db = new SqliteConnection("Data Source=:memory:");
        await db.OpenAsync();
        return "SQLite " + await ScalarAsync(db, "SELECT sqlite_version()");
    }

    public override string FloorCreateSql =>
        "DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL)";

    // The time as the app stores times on SQLite: Unix microseconds.
    public override string FloorInsertSql =>
        "INSERT INTO bench_floor (at, body) VALUES (CAST((julianday('now') - 2440587.5) * 86400000000.0 AS INTEGER), @body)";

    // SQLite has one writer: more connections would only queue for the write lock.
    public override int FloorWriters => 1;
    public override string FloorWritersLabel => "INSERT + COMMIT, one writer for 5 s (SQLite has one)";

    public override void Release() => SqliteConnection.ClearAllPools();

    public override async Task<LoadReport?> EnsureAsync(bool regenerate, Func<AppProcess.Settings> appSettings, Action<string> say)
    {
        if (!regenerate && File.Exists(_path) && File.Exists(SignatureFile) && (await File.ReadAllTextAsync(SignatureFile)).Trim() == Signature)
        {
            say($"data: reusing {_path} ({Signature})");
            return null;
        }

        say($"data: creating {_path} ({Signature})");
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        foreach (var file in new[] { SignatureFile, _path, _path + "-wal", _path + "-shm", _path + "-journal" }) File.Delete(file);

        // The schema exactly as the app makes it: its migrations, the company and the key ring.
        var started = Stopwatch.GetTimestamp();
        await using (var app = AppProcess.Start(appSettings()))
            await app.WaitHealthyAsync(started, TimeSpan.FromMinutes(5));

        var report = await LoadAsync(say);
        await RecountUnreadAsync(appSettings, say);
        await File.WriteAllTextAsync(SignatureFile, Signature + "\n");
        say($"data: loaded in {report.Seconds:F0} s (inserts {report.RowsSeconds:F0} s, indexes {report.IndexSeconds:F0} s, analyze {report.AnalyzeSeconds:F0} s), " +
            $"{report.DatabaseBytes / 1024.0 / 1024:N0} MB");
        return report;
    }

    private async Task<LoadReport> LoadAsync(Action<string> say)
    {
        var total = Stopwatch.StartNew();
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        await db.OpenAsync();
        // Nobody else has the file, and a lost load is simply generated again: no journal, no syncs, a big cache.
        await ExecuteAsync(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;");
        var companyId = (string)(await ScalarAsync(db, "SELECT id FROM companies ORDER BY created_at, id LIMIT 1"))!;

        say("dropping indexes and triggers for the load");
        var rebuild = new List<string>();
        await using (var command = db.CreateCommand())
        {
            // Indexes before triggers: the search index's triggers go back after the rows, and the index is rebuilt once.
            command.CommandText = $"""
                SELECT type, name, sql FROM sqlite_master
                WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ({string.Join(", ", DataGenerator.Tables.Select(t => $"'{t}'"))})
                ORDER BY type
                """;
            await using var reader = await command.ExecuteReaderAsync();
            var drops = new List<string>();
            while (await reader.ReadAsync())
            {
                drops.Add($"DROP {reader.GetString(0).ToUpperInvariant()} \"{reader.GetString(1)}\"");
                rebuild.Add(reader.GetString(2));
            }
            await reader.DisposeAsync();
            foreach (var drop in drops) await ExecuteAsync(db, drop);
        }
        // The app's search indexes (Support/Search/SearchIndexSql.cs), built once from the rows their triggers did not see.
        rebuild.Add("INSERT INTO message_search(message_search) VALUES ('rebuild')");
        rebuild.Add("INSERT INTO user_search(user_search) VALUES ('rebuild')");

        var insert = Stopwatch.StartNew();
        DataGenerator.Counts counts;
        await using (var transaction = db.BeginTransaction())
        {
            using var sink = new InsertSink(db, transaction);
            counts = new DataGenerator(shape, say).Generate(companyId, sink);
            await transaction.CommitAsync();
        }
        var insertSeconds = insert.Elapsed.TotalSeconds;
        say($"inserted {counts.Users:N0} users, {counts.Channels:N0} channels, {counts.Members:N0} members, {counts.Messages:N0} messages in {insertSeconds:F0} s");

        var index = Stopwatch.StartNew();
        foreach (var statement in rebuild)
        {
            var line = statement.ReplaceLineEndings(" ");
            say($"  {(line.Length > 110 ? line[..110] + "…" : line)}");
            await ExecuteAsync(db, statement, timeoutSeconds: 0);
        }
        var indexSeconds = index.Elapsed.TotalSeconds;

        var analyze = Stopwatch.StartNew();
        say("analyze");
        await ExecuteAsync(db, "ANALYZE", timeoutSeconds: 0);
        var analyzeSeconds = analyze.Elapsed.TotalSeconds;
        // Back to the mode the app runs in (it would set it on start too).
        await ExecuteAsync(db, "PRAGMA journal_mode = WAL");
        await db.CloseAsync();

        return new LoadReport("prepared INSERTs in one transaction", total.Elapsed.TotalSeconds, insertSeconds, indexSeconds, analyzeSeconds,
            counts.Users, counts.Channels, counts.Members, counts.Messages, new FileInfo(_path).Length);
    }

    /// <summary>One prepared INSERT per table, its parameters bound anew for each row; times as Unix microseconds, booleans as 0/1.</summary>
    private sealed class InsertSink : IRowSink, IDisposable
    {
        private readonly Insert _users, _team, _channels, _members, _messages;
        private long _messageCount;

        public InsertSink(SqliteConnection db, SqliteTransaction transaction)
        {
            _users = new Insert(db, transaction, "users", "id", "name", "external_id", "created_at", "user_name", "normalized_user_name", "email",
                "normalized_email", "email_confirmed", "password_hash", "security_stamp", "concurrency_stamp", "phone_number",
                "phone_number_confirmed", "two_factor_enabled", "lockout_end", "lockout_enabled", "access_failed_count");
            _team = new Insert(db, transaction, "team_members", "id", "company_id", "user_id", "role", "created_at");
            _channels = new Insert(db, transaction, "channels", "id", "kind", "company_id", "customer_id", "custom_name", "created_by_id", "created_at",
                "last_activity_at", "last_message_at", "status", "resolved_at", "resolved_by_id", "member_count", "event_position", "message_count");
            _members = new Insert(db, transaction, "channel_members", "id", "channel_id", "user_id", "status", "notification_preference",
                "last_viewed_at", "created_at");
            _messages = new Insert(db, transaction, "messages", "rowid", "id", "channel_id", "author_id", "content", "type", "replying_to_message_id",
                "is_pinned", "is_edited", "created_at", "updated_at", "deleted_at", "deleted_by_id", "client_message_id");
        }

        public void User(in UserRow u) => _users.Run(u.Id, u.Name, null, Micros(u.CreatedAt), u.UserName, u.UserName.ToUpperInvariant(), u.Email,
            u.Email.ToUpperInvariant(), 1L, u.PasswordHash, u.SecurityStamp, u.ConcurrencyStamp, null, 0L, 0L, null, 1L, 0L);

        public void TeamMember(in TeamMemberRow t) => _team.Run(t.Id, t.CompanyId, t.UserId, t.Role, Micros(t.CreatedAt));

        public void Channel(in ChannelRow c) => _channels.Run(c.Id, c.Kind, c.CompanyId, c.CustomerId, c.CustomName, c.CreatedById, Micros(c.CreatedAt),
            Micros(c.LastActivityAt), Micros(c.LastMessageAt), c.Status, Micros(c.ResolvedAt), c.ResolvedById, (long)c.MemberCount, 0L,
            // Counted by the app's recount on its first start after the load (Inbox__Database__RecountUnread).
            0L);

        public void Member(in MemberRow m) => _members.Run(m.Id, m.ChannelId, m.UserId, "accepted", "all", Micros(m.LastViewedAt), Micros(m.CreatedAt));

        // The row number follows the time (16 numbers to a microsecond, so two messages of the same microsecond never meet).
        public void Message(in MessageRow m) => _messages.Run(Micros(m.CreatedAt) * 16 + (_messageCount++ & 15), m.Id, m.ChannelId, m.AuthorId, m.Content, m.Type, null, 0L, 0L, Micros(m.CreatedAt),
            Micros(m.UpdatedAt), Micros(m.DeletedAt), m.DeletedById, null);

        private static long Micros(DateTime at) => (at.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMicrosecond;

        private static object? Micros(DateTime? at) => at is { } value ? Micros(value) : null;

        public void Dispose()
        {
            foreach (var insert in new[] { _users, _team, _channels, _members, _messages }) insert.Dispose();
        }

        private sealed class Insert : IDisposable
        {
            private readonly SqliteCommand _command;
            private readonly SqliteParameter[] _parameters;

            public Insert(SqliteConnection db, SqliteTransaction transaction, string table, params string[] columns)
            {
                _command = db.CreateCommand();
                _command.Transaction = transaction;
                _command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
                _parameters = columns.Select((_, i) => _command.Parameters.Add(new SqliteParameter($"@p{i}", DBNull.Value))).ToArray();
                _command.Prepare();
            }

            public void Run(params object?[] values)
            {
                for (var i = 0; i < values.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
                _command.ExecuteNonQuery();
            }

            public void Dispose() => _command.Dispose();
        }
    }
}
