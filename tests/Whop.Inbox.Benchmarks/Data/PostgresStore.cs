using System.Data.Common;
using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// PostgreSQL: the reusable database <c>whop_inbox_bench</c> (<c>_0_01</c> etc. at other scales) on the
/// server of <c>.ci/lib/postgres.sh</c>. It is made again only when it is missing, half-made, or from
/// another generator version or scale (the database's comment says which, and is written last).
/// Making it: the app creates the schema (its migrations) and the company on a first start; the
/// five big tables' indexes and foreign keys are dropped (read from the catalog), the rows go in
/// through binary COPY, the indexes and keys are built again and the tables vacuumed and analysed.
/// </summary>
public sealed class PostgresStore(string adminConnectionString, string name, BenchData shape) : BenchStore
{
    public override string Key => "postgres";
    public override string Label => "PostgreSQL";
    public override bool HasServerProcesses => true;

    public string ConnectionString =>
        new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;

    public override string Location
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(adminConnectionString);
            return $"{b.Host}:{b.Port}/{name}";
        }
    }

    public override IReadOnlyDictionary<string, string> AppEnvironment(string? connectionOptions) => new Dictionary<string, string>
    {
        ["Inbox__Database__Provider"] = "postgres",
        ["ConnectionStrings__Inbox"] = string.IsNullOrEmpty(connectionOptions) ? ConnectionString : ConnectionString + ";" + connectionOptions,
    };

    /// <summary>The benchmark's own connections are named, so the server's figures can leave them out.</summary>
    private const string BenchApplicationName = "whop-inbox-bench";

    public override async Task<DbConnection> OpenAsync()
    {
        var db = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { ApplicationName = BenchApplicationName }.ConnectionString);
        await db.OpenAsync();
        return db;
    }

    public override async Task<string> VersionAsync()
    {
        await using var db = new NpgsqlConnection(adminConnectionString);
        await db.OpenAsync();
        return "PostgreSQL " + ((string)(await ScalarAsync(db, "SHOW server_version"))!).Split(' ')[0];
    }

    public override string FloorCreateSql =>
        "DROP TABLE IF EXISTS bench_floor; CREATE TABLE bench_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL, body text NOT NULL)";

    public override string FloorInsertSql => "INSERT INTO bench_floor (at, body) VALUES (now(), @body)";

    // Many writers at once: PostgreSQL commits them in groups, the most the disk allows.
    public override int FloorWriters => 16;
    public override string FloorWritersLabel => "INSERT + COMMIT, 16 connections at once";

    public override string ServerLoadSql => $"""
        SELECT count(*) FILTER (WHERE application_name <> '{BenchApplicationName}'),
               count(*) FILTER (WHERE application_name <> '{BenchApplicationName}' AND state <> 'idle'),
               pg_notification_queue_usage()
        FROM pg_stat_activity WHERE datname = current_database()
        """;

    public override void Release() => NpgsqlConnection.ClearAllPools();

    public override async Task<LoadReport?> EnsureAsync(bool regenerate, Func<AppProcess.Settings> appSettings, Action<string> say)
    {
        await using var admin = new NpgsqlConnection(adminConnectionString);
        await admin.OpenAsync();
        var comment = await ScalarAsync(admin, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = @name", ("name", name));
        if (!regenerate && comment as string == shape.Signature)
        {
            say($"data: reusing database {name} ({shape.Signature})");
            return null;
        }

        say($"data: creating database {name} ({shape.Signature})");
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");

        // The schema exactly as the app makes it: its migrations, the company and the key ring.
        var started = Stopwatch.GetTimestamp();
        await using (var app = AppProcess.Start(appSettings()))
            await app.WaitHealthyAsync(started, TimeSpan.FromMinutes(5));

        var report = await LoadAsync(say);
        await RecountUnreadAsync(appSettings, say);
        // The recount rewrote these rows: statistics for the planner again.
        await using (var counted = new NpgsqlConnection(ConnectionString))
        {
            await counted.OpenAsync();
            foreach (var table in new[] { "channels", "channel_members", "support_status_tallies", "support_read_tallies" })
                await ExecuteAsync(counted, $"VACUUM (ANALYZE) {table}", timeoutSeconds: 0);
        }
        await ExecuteAsync(admin, $"COMMENT ON DATABASE \"{name}\" IS '{shape.Signature}'");
        say($"data: loaded in {report.Seconds:F0} s (copy {report.RowsSeconds:F0} s, indexes {report.IndexSeconds:F0} s, vacuum {report.AnalyzeSeconds:F0} s)");
        return report;
    }

    private async Task<LoadReport> LoadAsync(Action<string> say)
    {
        var total = Stopwatch.StartNew();
        await using var admin = new NpgsqlConnection(ConnectionString);
        await admin.OpenAsync();
        var companyId = (string)(await ScalarAsync(admin, "SELECT id FROM companies ORDER BY created_at, id LIMIT 1"))!;

        say("dropping indexes and foreign keys for the load");
        var rebuild = await DropIndexesAsync(admin);

        var copy = Stopwatch.StartNew();
        DataGenerator.Counts counts;
        await using (var sink = await CopySink.OpenAsync(Open))
        {
            counts = new DataGenerator(shape, say).Generate(companyId, sink);
            await sink.CompleteAsync();
        }
        var copySeconds = copy.Elapsed.TotalSeconds;
        say($"copied {counts.Users:N0} users, {counts.Channels:N0} channels, {counts.Members:N0} members, {counts.Messages:N0} messages in {copySeconds:F0} s");

        var index = Stopwatch.StartNew();
        await ExecuteAsync(admin, "SET maintenance_work_mem = '1GB'");
        foreach (var statement in rebuild)
        {
            say($"  {(statement.Length > 110 ? statement[..110] + "…" : statement)}");
            await ExecuteAsync(admin, statement, timeoutSeconds: 0);
        }
        var indexSeconds = index.Elapsed.TotalSeconds;

        var vacuum = Stopwatch.StartNew();
        say("vacuum analyse");
        foreach (var table in DataGenerator.Tables) await ExecuteAsync(admin, $"VACUUM (ANALYZE) {table}", timeoutSeconds: 0);
        var vacuumSeconds = vacuum.Elapsed.TotalSeconds;
        var bytes = (long)(await ScalarAsync(admin, "SELECT pg_database_size(current_database())"))!;

        return new LoadReport("binary COPY", total.Elapsed.TotalSeconds, copySeconds, indexSeconds, vacuumSeconds, counts.Users, counts.Channels,
            counts.Members, counts.Messages, bytes);
    }

    // ---------------------------------------------------------------------------------------------
    // Indexes and constraints: read from the catalog (whatever the migrations made), dropped, replayed.

    private static async Task<List<string>> DropIndexesAsync(NpgsqlConnection db)
    {
        var tables = string.Join(",", DataGenerator.Tables.Select(t => $"'{t}'"));
        var foreignKeys = await Rows(db, $"""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype = 'f' AND (conrelid::regclass::text IN ({tables}) OR confrelid::regclass::text IN ({tables}))
            """);
        var keys = await Rows(db, $"""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE contype IN ('p', 'u') AND conrelid::regclass::text IN ({tables})
            """);
        var indexes = await Rows(db, $"""
            SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename IN ({tables})
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """);

        foreach (var (table, name, _) in foreignKeys) await ExecuteAsync(db, $"ALTER TABLE {table} DROP CONSTRAINT {Quote(name)}");
        foreach (var (table, name, _) in keys) await ExecuteAsync(db, $"ALTER TABLE {table} DROP CONSTRAINT {Quote(name)}");
        foreach (var (_, name, _) in indexes) await ExecuteAsync(db, $"DROP INDEX {Quote(name)}");

        // Primary keys first (foreign keys need them), then the other indexes, then foreign keys.
        return
        [
            .. keys.Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {Quote(k.Name)} {k.Definition}"),
            .. indexes.Select(i => i.Definition),
            .. foreignKeys.Select(f => $"ALTER TABLE {f.Table} ADD CONSTRAINT {Quote(f.Name)} {f.Definition}"),
        ];
    }

    private static async Task<List<(string Table, string Name, string Definition)>> Rows(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return rows;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private async Task<NpgsqlConnection> Open()
    {
        var db = new NpgsqlConnection(ConnectionString);
        await db.OpenAsync();
        // A lost load is simply generated again: no need to wait for each commit to reach the disk.
        await ExecuteAsync(db, "SET synchronous_commit = off");
        return db;
    }

    /// <summary>The rows streamed through five binary COPYs side by side, each on its own connection.</summary>
    private sealed class CopySink : IRowSink, IAsyncDisposable
    {
        private readonly List<NpgsqlConnection> _connections = [];
        private NpgsqlBinaryImporter _users = null!, _team = null!, _channels = null!, _members = null!, _messages = null!;

        public static async Task<CopySink> OpenAsync(Func<Task<NpgsqlConnection>> open)
        {
            var sink = new CopySink();
            async Task<NpgsqlBinaryImporter> Copy(string sql)
            {
                var db = await open();
                sink._connections.Add(db);
                return await db.BeginBinaryImportAsync(sql);
            }
            sink._users = await Copy("""
                COPY users (id, name, external_id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                    password_hash, security_stamp, concurrency_stamp, phone_number, phone_number_confirmed, two_factor_enabled, lockout_end,
                    lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)
                """);
            sink._team = await Copy("COPY team_members (id, company_id, user_id, role, created_at) FROM STDIN (FORMAT BINARY)");
            sink._channels = await Copy("""
                COPY channels (id, kind, company_id, customer_id, custom_name, created_by_id, created_at, last_activity_at, last_message_at, status,
                    resolved_at, resolved_by_id, member_count, event_position) FROM STDIN (FORMAT BINARY)
                """);
            sink._members = await Copy("""
                COPY channel_members (id, channel_id, user_id, status, notification_preference, last_viewed_at, created_at) FROM STDIN (FORMAT BINARY)
                """);
            sink._messages = await Copy("""
                COPY messages (id, channel_id, author_id, content, type, replying_to_message_id, is_pinned, is_edited, created_at, updated_at,
                    deleted_at, deleted_by_id, client_message_id) FROM STDIN (FORMAT BINARY)
                """);
            return sink;
        }

        public async Task CompleteAsync()
        {
            foreach (var copy in new[] { _users, _team, _channels, _members, _messages }) await copy.CompleteAsync();
        }

        public void User(in UserRow u)
        {
            var row = _users;
            row.StartRow();
            row.Write(u.Id, NpgsqlDbType.Varchar);
            row.Write(u.Name, NpgsqlDbType.Varchar);
            row.WriteNull();
            row.Write(u.CreatedAt, NpgsqlDbType.TimestampTz);
            row.Write(u.UserName, NpgsqlDbType.Varchar);
            row.Write(u.UserName.ToUpperInvariant(), NpgsqlDbType.Varchar);
            row.Write(u.Email, NpgsqlDbType.Varchar);
            row.Write(u.Email.ToUpperInvariant(), NpgsqlDbType.Varchar);
            row.Write(true, NpgsqlDbType.Boolean);
            Text(row, u.PasswordHash, NpgsqlDbType.Text);
            row.Write(u.SecurityStamp, NpgsqlDbType.Text);
            row.Write(u.ConcurrencyStamp, NpgsqlDbType.Text);
            row.WriteNull();
            row.Write(false, NpgsqlDbType.Boolean);
            row.Write(false, NpgsqlDbType.Boolean);
            row.WriteNull();
            row.Write(true, NpgsqlDbType.Boolean);
            row.Write(0, NpgsqlDbType.Integer);
        }

        public void TeamMember(in TeamMemberRow t)
        {
            var row = _team;
            row.StartRow();
            row.Write(t.Id, NpgsqlDbType.Varchar);
            row.Write(t.CompanyId, NpgsqlDbType.Varchar);
            row.Write(t.UserId, NpgsqlDbType.Varchar);
            row.Write(t.Role, NpgsqlDbType.Text);
            row.Write(t.CreatedAt, NpgsqlDbType.TimestampTz);
        }

        public void Channel(in ChannelRow c)
        {
            var row = _channels;
            row.StartRow();
            row.Write(c.Id, NpgsqlDbType.Varchar);
            row.Write(c.Kind, NpgsqlDbType.Text);
            row.Write(c.CompanyId, NpgsqlDbType.Varchar);
            Text(row, c.CustomerId, NpgsqlDbType.Varchar);
            Text(row, c.CustomName, NpgsqlDbType.Varchar);
            Text(row, c.CreatedById, NpgsqlDbType.Varchar);
            row.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
            row.Write(c.LastActivityAt, NpgsqlDbType.TimestampTz);
            Time(row, c.LastMessageAt);
            Text(row, c.Status, NpgsqlDbType.Text);
            Time(row, c.ResolvedAt);
            Text(row, c.ResolvedById, NpgsqlDbType.Varchar);
            row.Write(c.MemberCount, NpgsqlDbType.Integer);
            row.Write(0L, NpgsqlDbType.Bigint);
        }

        public void Member(in MemberRow m)
        {
            var row = _members;
            row.StartRow();
            row.Write(m.Id, NpgsqlDbType.Varchar);
            row.Write(m.ChannelId, NpgsqlDbType.Varchar);
            row.Write(m.UserId, NpgsqlDbType.Varchar);
            row.Write("accepted", NpgsqlDbType.Text);
            row.Write("all", NpgsqlDbType.Text);
            Time(row, m.LastViewedAt);
            row.Write(m.CreatedAt, NpgsqlDbType.TimestampTz);
        }

        public void Message(in MessageRow m)
        {
            var row = _messages;
            row.StartRow();
            row.Write(m.Id, NpgsqlDbType.Varchar);
            row.Write(m.ChannelId, NpgsqlDbType.Varchar);
            row.Write(m.AuthorId, NpgsqlDbType.Varchar);
            row.Write(m.Content, NpgsqlDbType.Varchar);
            row.Write(m.Type, NpgsqlDbType.Text);
            row.WriteNull();
            row.Write(false, NpgsqlDbType.Boolean);
            row.Write(false, NpgsqlDbType.Boolean);
            row.Write(m.CreatedAt, NpgsqlDbType.TimestampTz);
            row.Write(m.UpdatedAt, NpgsqlDbType.TimestampTz);
            Time(row, m.DeletedAt);
            Text(row, m.DeletedById, NpgsqlDbType.Varchar);
            row.WriteNull();
        }

        private static void Text(NpgsqlBinaryImporter row, string? value, NpgsqlDbType type)
        {
            if (value is null) row.WriteNull();
            else row.Write(value, type);
        }

        private static void Time(NpgsqlBinaryImporter row, DateTime? value)
        {
            if (value is { } at) row.Write(at, NpgsqlDbType.TimestampTz);
            else row.WriteNull();
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var copy in new[] { _users, _team, _channels, _members, _messages }) if (copy is not null) await copy.DisposeAsync();
            foreach (var db in _connections) await db.DisposeAsync();
        }
    }
}
