using System.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using NpgsqlTypes;

namespace Whop.Inbox.Benchmarks.Data;

/// <summary>
/// Fills a freshly migrated database (the app has created the schema and the company) with one
/// company's support inbox, team and DMs, through PostgreSQL's binary COPY. Indexes and foreign keys
/// are dropped for the load and built again after it, then the tables are vacuumed and analysed, so
/// the database looks like one that has been in use: same schema, visibility map set, statistics.
/// Deterministic: the same scale gives the same data (ids included).
/// </summary>
public sealed class DataGenerator(string connectionString, BenchData shape, Action<string> say)
{
    private static readonly string[] Tables = ["users", "team_members", "channels", "channel_members", "messages"];
    private static readonly TimeSpan History = TimeSpan.FromDays(365);

    private readonly Random _random = new(20261121);
    private readonly DateTime _now = DateTime.UtcNow;
    private string[] _content = [];

    public sealed record LoadReport(double Seconds, double CopySeconds, double IndexSeconds, double VacuumSeconds, long Users, long Channels,
        long Members, long Messages);

    public async Task<LoadReport> GenerateAsync()
    {
        var total = Stopwatch.StartNew();
        _content = ContentPool(4_096);
        await using var admin = new NpgsqlConnection(connectionString);
        await admin.OpenAsync();
        var companyId = (string)(await Scalar(admin, "SELECT id FROM companies ORDER BY created_at, id LIMIT 1"))!;

        say("dropping indexes and foreign keys for the load");
        var rebuild = await DropIndexesAsync(admin);

        var copy = Stopwatch.StartNew();
        var counts = await CopyAsync(companyId);
        var copySeconds = copy.Elapsed.TotalSeconds;
        say($"copied {counts.Users:N0} users, {counts.Channels:N0} channels, {counts.Members:N0} members, {counts.Messages:N0} messages in {copySeconds:F0} s");

        var index = Stopwatch.StartNew();
        await Execute(admin, "SET maintenance_work_mem = '1GB'");
        foreach (var statement in rebuild)
        {
            say($"  {(statement.Length > 110 ? statement[..110] + "…" : statement)}");
            await Execute(admin, statement, timeoutSeconds: 0);
        }
        var indexSeconds = index.Elapsed.TotalSeconds;

        var vacuum = Stopwatch.StartNew();
        say("vacuum analyse");
        foreach (var table in Tables) await Execute(admin, $"VACUUM (ANALYZE) {table}", timeoutSeconds: 0);
        var vacuumSeconds = vacuum.Elapsed.TotalSeconds;

        return new LoadReport(total.Elapsed.TotalSeconds, copySeconds, indexSeconds, vacuumSeconds, counts.Users, counts.Channels, counts.Members,
            counts.Messages);
    }

    // ---------------------------------------------------------------------------------------------
    // Indexes and constraints: read from the catalog (whatever the migrations made), dropped, replayed.

    private static async Task<List<string>> DropIndexesAsync(NpgsqlConnection db)
    {
        var tables = string.Join(",", Tables.Select(t => $"'{t}'"));
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

        foreach (var (table, name, _) in foreignKeys) await Execute(db, $"ALTER TABLE {table} DROP CONSTRAINT {Quote(name)}");
        foreach (var (table, name, _) in keys) await Execute(db, $"ALTER TABLE {table} DROP CONSTRAINT {Quote(name)}");
        foreach (var (_, name, _) in indexes) await Execute(db, $"DROP INDEX {Quote(name)}");

        // Primary keys first (foreign keys need them), then the other indexes, then foreign keys.
        return
        [
            .. keys.Select(k => $"ALTER TABLE {k.Table} ADD CONSTRAINT {Quote(k.Name)} {k.Definition}"),
            .. indexes.Select(i => i.Definition),
            .. foreignKeys.Select(f => $"ALTER TABLE {f.Table} ADD CONSTRAINT {Quote(f.Name)} {f.Definition}"),
        ];
    }

    // ---------------------------------------------------------------------------------------------
    // The rows

    private sealed record Counts(long Users, long Channels, long Members, long Messages);

    private async Task<Counts> CopyAsync(string companyId)
    {
        var customers = shape.SupportChats;
        var customerIds = Enumerable.Range(0, customers).Select(_ => NewId("user_")).ToArray();
        var teamIds = Enumerable.Range(0, 1 + BenchData.Moderators).Select(_ => NewId("user_")).ToArray();
        var teamNames = new[] { "Jordan Blake" }.Concat(Enumerable.Range(1, BenchData.Moderators).Select(i => $"{FirstNames[i]} {LastNames[i * 3]}")).ToArray();

        // Users and the team, on one connection.
        await using (var db = await Open())
        {
            await using var users = await db.BeginBinaryImportAsync("""
                COPY users (id, name, external_id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                    password_hash, security_stamp, concurrency_stamp, phone_number, phone_number_confirmed, two_factor_enabled, lockout_end,
                    lockout_enabled, access_failed_count) FROM STDIN (FORMAT BINARY)
                """);
            var passwordHash = new PasswordHasher<object>().HashPassword(new object(), BenchData.TeamPassword);
            var teamSince = _now - History - TimeSpan.FromDays(30);
            for (var t = 0; t < teamIds.Length; t++)
            {
                var userName = t == 0 ? BenchData.AdminUserName : $"mod{t:D2}";
                WriteUser(users, teamIds[t], teamNames[t], userName, teamSince, passwordHash);
            }
            for (var c = 0; c < customers; c++)
            {
                var name = $"{FirstNames[_random.Next(FirstNames.Length)]} {LastNames[_random.Next(LastNames.Length)]}";
                WriteUser(users, customerIds[c], name, BenchData.CustomerUserName(c), _now - History - TimeSpan.FromDays(_random.Next(1, 200)), null);
            }
            await users.CompleteAsync();
        }
        await using (var db = await Open())
        {
            await using var team = await db.BeginBinaryImportAsync(
                "COPY team_members (id, company_id, user_id, role, created_at) FROM STDIN (FORMAT BINARY)");
            for (var t = 0; t < teamIds.Length; t++)
            {
                team.StartRow();
                team.Write(NewId("tm_"), NpgsqlDbType.Varchar);
                team.Write(companyId, NpgsqlDbType.Varchar);
                team.Write(teamIds[t], NpgsqlDbType.Varchar);
                team.Write(t == 0 ? "admin" : "moderator", NpgsqlDbType.Text);
                team.Write(_now - History - TimeSpan.FromDays(30), NpgsqlDbType.TimestampTz);
            }
            await team.CompleteAsync();
        }

        // Channels, members and messages stream side by side, each on its own connection.
        await using var channelsDb = await Open();
        await using var membersDb = await Open();
        await using var messagesDb = await Open();
        var channels = await channelsDb.BeginBinaryImportAsync("""
            COPY channels (id, kind, company_id, customer_id, custom_name, created_by_id, created_at, last_activity_at, last_message_at, status,
                resolved_at, resolved_by_id, member_count, event_position) FROM STDIN (FORMAT BINARY)
            """);
        var members = await membersDb.BeginBinaryImportAsync("""
            COPY channel_members (id, channel_id, user_id, status, notification_preference, last_viewed_at, created_at) FROM STDIN (FORMAT BINARY)
            """);
        var messages = await messagesDb.BeginBinaryImportAsync("""
            COPY messages (id, channel_id, author_id, content, type, replying_to_message_id, is_pinned, is_edited, created_at, updated_at,
                deleted_at, deleted_by_id, client_message_id) FROM STDIN (FORMAT BINARY)
            """);
        var sink = new Sink(channels, members, messages);

        var supportCounts = Spread(shape.Messages - shape.DmMessages, customers, minimum: 1);
        // The longest history goes to customer 0's chat, where the conversation figures are taken.
        var longest = Array.IndexOf(supportCounts, supportCounts.Max());
        (supportCounts[0], supportCounts[longest]) = (supportCounts[longest], supportCounts[0]);
        for (var c = 0; c < customers; c++)
        {
            WriteSupportChat(sink, companyId, customerIds[c], teamIds, teamNames, supportCounts[c]);
            if (c % 10_000 == 9_999) say($"  support chats: {c + 1:N0} of {customers:N0}");
        }

        var dmMembers = DmMemberships(customers);
        var dmCounts = Spread(shape.DmMessages, dmMembers.Count, minimum: 0);
        for (var d = 0; d < dmMembers.Count; d++)
        {
            var (name, memberIndexes) = dmMembers[d];
            WriteDm(sink, companyId, name, memberIndexes.Select(i => customerIds[i]).ToArray(), dmCounts[d]);
        }

        await channels.CompleteAsync();
        await members.CompleteAsync();
        await messages.CompleteAsync();
        await channels.DisposeAsync();
        await members.DisposeAsync();
        await messages.DisposeAsync();
        return new Counts(customers + teamIds.Length, sink.Channels, sink.Members, sink.Messages);
    }

    private sealed class Sink(NpgsqlBinaryImporter channels, NpgsqlBinaryImporter members, NpgsqlBinaryImporter messages)
    {
        public NpgsqlBinaryImporter ChannelRows => channels;
        public NpgsqlBinaryImporter MemberRows => members;
        public NpgsqlBinaryImporter MessageRows => messages;
        public long Channels;
        public long Members;
        public long Messages;
    }

    private void WriteSupportChat(Sink sink, string companyId, string customerId, string[] teamIds, string[] teamNames, int count)
    {
        var chatId = NewId("feed_");
        var roll = _random.NextDouble();
        var status = roll < 0.6 && count >= 2 ? "resolved" : roll < 0.8 ? "open" : "waiting";
        var regular = status == "resolved" ? count - 1 : count;
        // A lone customer message leaves the chat open: the team has not answered yet.
        if (status == "waiting" && regular == 1) status = "open";

        // One or two team members handle it; the measured moderator handles about a third of all chats.
        var handler = _random.NextDouble() < 0.3 ? 1 : _random.Next(teamIds.Length);
        var second = _random.NextDouble() < 0.2 ? _random.Next(teamIds.Length) : handler;

        var times = Times(regular + (status == "resolved" ? 1 : 0), out var createdAt);
        var customerLast = (DateTime?)null;
        var teamLast = new Dictionary<int, DateTime>();
        var customerSpeaks = true;
        for (var m = 0; m < regular; m++)
        {
            if (m > 0) customerSpeaks = _random.NextDouble() < 0.4 ? customerSpeaks : !customerSpeaks;
            if (m == regular - 1 && status == "open") customerSpeaks = true;
            if (m == regular - 1 && status == "waiting" && regular > 1) customerSpeaks = false;
            var who = customerSpeaks ? -1 : (_random.NextDouble() < 0.5 ? handler : second);
            var author = who < 0 ? customerId : teamIds[who];
            if (who < 0) customerLast = times[m];
            else teamLast[who] = times[m];
            WriteMessage(sink, chatId, author, _content[_random.Next(_content.Length)], "regular", times[m], _random.NextDouble() < 0.003);
        }
        var lastActivity = times[regular - 1];
        DateTime? resolvedAt = null;
        string? resolvedBy = null;
        if (status == "resolved")
        {
            resolvedAt = times[regular];
            resolvedBy = teamIds[handler];
            WriteMessage(sink, chatId, resolvedBy, $"{teamNames[handler]} resolved this chat.", "system", resolvedAt.Value, deleted: false);
        }

        var row = sink.ChannelRows;
        row.StartRow();
        row.Write(chatId, NpgsqlDbType.Varchar);
        row.Write("support", NpgsqlDbType.Text);
        row.Write(companyId, NpgsqlDbType.Varchar);
        row.Write(customerId, NpgsqlDbType.Varchar);
        row.WriteNull();
        row.WriteNull();
        row.Write(createdAt, NpgsqlDbType.TimestampTz);
        row.Write(lastActivity, NpgsqlDbType.TimestampTz);
        row.Write(lastActivity, NpgsqlDbType.TimestampTz);
        row.Write(status, NpgsqlDbType.Text);
        if (resolvedAt is { } resolved) row.Write(resolved, NpgsqlDbType.TimestampTz); else row.WriteNull();
        if (resolvedBy is not null) row.Write(resolvedBy, NpgsqlDbType.Varchar); else row.WriteNull();
        row.Write(0, NpgsqlDbType.Integer);
        // Generated history is not in the event log, as for chats that existed before it (the log starts at 0).
        row.Write(0L, NpgsqlDbType.Bigint);
        sink.Channels++;

        // Read state: the customer up to their last message or the end; team members who replied, mostly to the end.
        WriteMember(sink, chatId, customerId, createdAt, _random.NextDouble() < 0.5 ? lastActivity : customerLast ?? createdAt);
        foreach (var (who, at) in teamLast)
            WriteMember(sink, chatId, teamIds[who], createdAt, _random.NextDouble() < 0.7 ? resolvedAt ?? lastActivity : at);
    }

    private void WriteDm(Sink sink, string companyId, string? name, string[] memberIds, int count)
    {
        var dmId = NewId("feed_");
        var times = Times(count, out var createdAt);
        var lastSeen = new DateTime?[memberIds.Length];
        for (var m = 0; m < count; m++)
        {
            var who = _random.Next(memberIds.Length);
            lastSeen[who] = times[m];
            WriteMessage(sink, dmId, memberIds[who], _content[_random.Next(_content.Length)], "regular", times[m], _random.NextDouble() < 0.003);
        }
        var lastMessage = count > 0 ? times[count - 1] : (DateTime?)null;

        var row = sink.ChannelRows;
        row.StartRow();
        row.Write(dmId, NpgsqlDbType.Varchar);
        row.Write("dm", NpgsqlDbType.Text);
        row.Write(companyId, NpgsqlDbType.Varchar);
        row.WriteNull();
        if (name is not null) row.Write(name, NpgsqlDbType.Varchar); else row.WriteNull();
        row.Write(memberIds[0], NpgsqlDbType.Varchar);
        row.Write(createdAt, NpgsqlDbType.TimestampTz);
        row.Write(lastMessage ?? createdAt, NpgsqlDbType.TimestampTz);
        if (lastMessage is { } last) row.Write(last, NpgsqlDbType.TimestampTz); else row.WriteNull();
        row.WriteNull();
        row.WriteNull();
        row.WriteNull();
        row.Write(memberIds.Length, NpgsqlDbType.Integer);
        row.Write(0L, NpgsqlDbType.Bigint);
        sink.Channels++;

        for (var i = 0; i < memberIds.Length; i++)
            WriteMember(sink, dmId, memberIds[i], createdAt, _random.NextDouble() < 0.6 ? lastMessage : lastSeen[i]);
    }

    /// <summary>
    /// Who is in which DM: the hub population's pairs and groups of ten first (only they are in
    /// those), then random small DMs among the other customers, mostly pairs.
    /// </summary>
    private List<(string? Name, int[] Members)> DmMemberships(int customers)
    {
        var hub = shape.HubUsers;
        var list = new List<(string?, int[])>();
        for (var p = 0; p < hub / 2; p++) list.Add((null, [2 * p, 2 * p + 1]));
        for (var g = 0; g < hub / 10; g++) list.Add(($"Study group {g + 1}", Enumerable.Range(10 * g, 10).ToArray()));
        while (list.Count < shape.Dms)
        {
            var size = _random.NextDouble() < 0.7 ? 2 : _random.Next(3, 7);
            var members = new HashSet<int>();
            while (members.Count < size) members.Add(hub + _random.Next(customers - hub));
            list.Add((size > 2 ? $"Cohort {list.Count}" : null, members.ToArray()));
        }
        return list;
    }

    private void WriteMessage(Sink sink, string channelId, string authorId, string content, string type, DateTime at, bool deleted)
    {
        var row = sink.MessageRows;
        row.StartRow();
        row.Write(NewId("post_"), NpgsqlDbType.Varchar);
        row.Write(channelId, NpgsqlDbType.Varchar);
        row.Write(authorId, NpgsqlDbType.Varchar);
        row.Write(content, NpgsqlDbType.Varchar);
        row.Write(type, NpgsqlDbType.Text);
        row.WriteNull();
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write(false, NpgsqlDbType.Boolean);
        row.Write(at, NpgsqlDbType.TimestampTz);
        if (deleted)
        {
            var when = at.AddMinutes(1);
            row.Write(when, NpgsqlDbType.TimestampTz);
            row.Write(when, NpgsqlDbType.TimestampTz);
            row.Write(authorId, NpgsqlDbType.Varchar);
        }
        else
        {
            row.Write(at, NpgsqlDbType.TimestampTz);
            row.WriteNull();
            row.WriteNull();
        }
        row.WriteNull();
        sink.Messages++;
    }

    private void WriteMember(Sink sink, string channelId, string userId, DateTime createdAt, DateTime? lastViewedAt)
    {
        var row = sink.MemberRows;
        row.StartRow();
        row.Write(NewId("mem_"), NpgsqlDbType.Varchar);
        row.Write(channelId, NpgsqlDbType.Varchar);
        row.Write(userId, NpgsqlDbType.Varchar);
        row.Write("accepted", NpgsqlDbType.Text);
        row.Write("all", NpgsqlDbType.Text);
        if (lastViewedAt is { } at) row.Write(at, NpgsqlDbType.TimestampTz); else row.WriteNull();
        row.Write(createdAt, NpgsqlDbType.TimestampTz);
        sink.Members++;
    }

    private static void WriteUser(NpgsqlBinaryImporter users, string id, string name, string userName, DateTime createdAt, string? passwordHash)
    {
        var email = $"{userName}@example.com";
        users.StartRow();
        users.Write(id, NpgsqlDbType.Varchar);
        users.Write(name, NpgsqlDbType.Varchar);
        users.WriteNull();
        users.Write(createdAt, NpgsqlDbType.TimestampTz);
        users.Write(userName, NpgsqlDbType.Varchar);
        users.Write(userName.ToUpperInvariant(), NpgsqlDbType.Varchar);
        users.Write(email, NpgsqlDbType.Varchar);
        users.Write(email.ToUpperInvariant(), NpgsqlDbType.Varchar);
        users.Write(true, NpgsqlDbType.Boolean);
        if (passwordHash is not null) users.Write(passwordHash, NpgsqlDbType.Text); else users.WriteNull();
        users.Write(Guid.NewGuid().ToString("N"), NpgsqlDbType.Text);
        users.Write(Guid.NewGuid().ToString(), NpgsqlDbType.Text);
        users.WriteNull();
        users.Write(false, NpgsqlDbType.Boolean);
        users.Write(false, NpgsqlDbType.Boolean);
        users.WriteNull();
        users.Write(true, NpgsqlDbType.Boolean);
        users.Write(0, NpgsqlDbType.Integer);
    }

    // ---------------------------------------------------------------------------------------------
    // Distributions

    /// <summary>
    /// <paramref name="total"/> split over <paramref name="parts"/> with a long tail (log-normal
    /// weights: most conversations are short, a few run to thousands), summing exactly to the total.
    /// </summary>
    private int[] Spread(long total, int parts, int minimum)
    {
        var weights = new double[parts];
        for (var i = 0; i < parts; i++) weights[i] = Math.Exp(1.2 * Gaussian());
        var sum = weights.Sum();
        var budget = total - (long)minimum * parts;
        var counts = new int[parts];
        long assigned = 0;
        for (var i = 0; i < parts; i++)
        {
            counts[i] = minimum + (int)Math.Floor(weights[i] / sum * budget);
            assigned += counts[i];
        }
        for (var left = total - assigned; left > 0; left--) counts[_random.Next(parts)]++;
        return counts;
    }

    /// <summary>Sorted, distinct message times for one conversation somewhere in the last year, and its creation time.</summary>
    private DateTime[] Times(int count, out DateTime createdAt)
    {
        // Recent conversations are more common than old ones.
        var age = TimeSpan.FromTicks((long)(History.Ticks * Math.Pow(_random.NextDouble(), 1.5)));
        createdAt = _now - age - TimeSpan.FromMinutes(5);
        var span = Math.Min((_now - createdAt).Ticks - TimeSpan.TicksPerMinute,
            (long)(TimeSpan.TicksPerDay * -Math.Log(1 - _random.NextDouble()) * 2) + count * TimeSpan.TicksPerMinute * 3);
        var times = new DateTime[count];
        for (var i = 0; i < count; i++) times[i] = createdAt.AddTicks(1 + (long)(_random.NextDouble() * span));
        Array.Sort(times);
        // Microsecond precision, strictly increasing, as the app writes them.
        for (var i = 0; i < count; i++)
        {
            times[i] = new DateTime(times[i].Ticks - times[i].Ticks % 10, DateTimeKind.Utc);
            if (i > 0 && times[i] <= times[i - 1]) times[i] = times[i - 1].AddTicks(10);
        }
        return times;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The app's id shape (a prefix and 16 base-62 characters), from the seeded generator.</summary>
    private string NewId(string prefix) => string.Create(prefix.Length + 16, (prefix, _random), static (span, state) =>
    {
        state.prefix.AsSpan().CopyTo(span);
        for (var i = state.prefix.Length; i < span.Length; i++) span[i] = Alphabet[state._random.Next(Alphabet.Length)];
    });

    private string[] ContentPool(int size)
    {
        var pool = new string[size];
        for (var i = 0; i < size; i++)
        {
            var sentences = 1 + _random.Next(3);
            pool[i] = string.Join(" ", Enumerable.Range(0, sentences).Select(_ => Sentences[_random.Next(Sentences.Length)]));
        }
        return pool;
    }

    private static readonly string[] Sentences =
    [
        "Hi, I bought the course yesterday but it does not show up in my library.", "Could you tell me the email you used at checkout?",
        "The video in lesson 4 stops at 12:40 every time.", "Which browser are you using?", "I was charged twice this month.",
        "I have refunded the second charge; it takes 3 to 5 days to appear.", "Thanks, that fixed it!", "Is there a student discount?",
        "Can I switch from monthly to annual without losing my progress?", "Yes, progress is tied to your account, not the plan.",
        "The certificate has my name misspelled.", "Fixed! It can take up to an hour to regenerate.", "When is the next live Q&A?",
        "Thursday at 18:00 CET; you will get a reminder an hour before.", "The quiz marks my correct answer as wrong.",
        "Please cancel my subscription at the end of this period.", "Done. You keep access until the end of the month.",
        "Where do I download the project files?", "They are under **Resources** at the bottom of the lesson page.",
        "My password reset email never arrives.", "I have resent it; please check your spam folder too.", "Great, thank you so much 🙏",
        "Has anyone finished the lighting assignment yet?", "Halfway there, the rim light part is tricky.", "Sharing my result tonight!",
        "Want to review each other's portfolios on Friday?", "Sure, 3pm works for me.", "Any tips for the final project?",
    ];

    private static readonly string[] FirstNames =
    [
        "Alice", "Ben", "Chloe", "Dan", "Elena", "Farid", "Grace", "Hugo", "Inès", "Jamal", "Kira", "Liam", "Mei", "Nora", "Oscar", "Priya",
        "Quinn", "Rosa", "Sam", "Tomás", "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoe", "Amir", "Bea", "Carlos", "Dana",
    ];

    private static readonly string[] LastNames =
    [
        "Moreau", "Okafor", "Park", "Whitaker", "Rossi", "Nasser", "Liu", "Martins", "Dubois", "Reed", "Tanaka", "O'Brien", "Wong",
        "Lindqvist", "Diaz", "Sharma", "Foster", "Alvarez", "Keller", "Novak", "Haddad", "Chen", "Blake", "Silva", "Kowalski", "Nguyen",
        "Andersen", "Costa", "Ibrahim", "Murphy",
    ];

    // ---------------------------------------------------------------------------------------------

    private async Task<NpgsqlConnection> Open()
    {
        var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync();
        // A lost load is simply generated again: no need to wait for each commit to reach the disk.
        await Execute(db, "SET synchronous_commit = off");
        return db;
    }

    private static async Task Execute(NpgsqlConnection db, string sql, int timeoutSeconds = 300)
    {
        await using var command = new NpgsqlCommand(sql, db) { CommandTimeout = timeoutSeconds };
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return await command.ExecuteScalarAsync();
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
}
