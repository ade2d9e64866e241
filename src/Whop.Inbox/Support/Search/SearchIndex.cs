using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Support.Search;

/// <summary>
/// Asks the database's text index (<see cref="SearchIndexSql"/>) which messages hold the words: the one place that
/// speaks FTS5 or <c>tsquery</c>. Every term travels as a parameter and is quoted as a phrase, so nothing the user
/// types (<c>NEAR</c>, <c>*</c>, <c>^</c>, <c>:</c>, a stray quote) is read as the engine's syntax.
/// The answers are message ids, composable into the caller's query.
/// </summary>
public static class SearchIndex
{
    /// <summary>
    /// The newest <paramref name="limit"/> messages holding every one of <paramref name="all"/> and none of
    /// <paramref name="none"/>, from <paramref name="from"/> back, in the order the index reads them: the caller reads a
    /// window, weighs it, and asks for the next one from its last hit, so a common word costs the windows read, not its
    /// millions of matches. SQLite's FTS5 reads its matches newest first (by row, which is the order messages were
    /// written); PostgreSQL walks <c>messages</c> by time when the words are common and reads the GIN index when they
    /// are rare, whichever its statistics say is cheaper.
    /// </summary>
    /// <param name="channels">Only these conversations' messages (one chat's search, a customer's own chats); null for all.</param>
    public static Task<List<IndexHit>> NewestAsync(InboxDbContext db, IReadOnlyList<SearchTerm> all, IReadOnlyList<SearchTerm> none,
        IReadOnlyList<string>? channels, IndexPosition from, int limit, CancellationToken ct)
    {
        // No chats within reach (a customer's operators that keep none of their chats): nothing to read, and no empty list to send.
        if (channels is { Count: 0 }) return Task.FromResult(new List<IndexHit>());
        var args = new List<object>();
        string Arg(object value)
        {
            args.Add(value);
            return $"{{{args.Count - 1}}}";
        }
        var sql = new StringBuilder();
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            // CROSS JOIN keeps the index outermost, so the read stops after `limit` matches instead of checking every message.
            // The chats go into the index's query too: it then steps through their entries, not all of the word's.
            sql.Append($"SELECT m.id AS \"Id\", s.rowid AS \"Position\" FROM {SearchIndexSql.SqliteTable} s CROSS JOIN messages m ON m.rowid = s.rowid ")
                .Append($"WHERE {SearchIndexSql.SqliteTable} MATCH {Arg(Fts5(all, none, channels))}");
            if (channels is not null) sql.Append($" AND m.channel_id IN (SELECT value FROM json_each({Arg(JsonSerializer.Serialize(channels))}))");
            if (from.AtOrBefore is { } at) sql.Append($" AND m.created_at <= {Arg(db.Dialect.Time(at))}");
            if (from.Below is { } row) sql.Append($" AND s.rowid < {Arg(row)}");
            sql.Append($" ORDER BY s.rowid DESC LIMIT {Arg(limit)}");
        }
        else
        {
            sql.Append("SELECT id AS \"Id\", (extract(epoch FROM created_at) * 1000000)::bigint AS \"Position\" FROM messages ")
                .Append($"WHERE {SearchIndexSql.PostgresColumn} @@ ({TsQuery(all, none, args)})");
            // One chat by equality: PostgreSQL then walks that chat's (channel_id, created_at) index newest first and stops.
            if (channels is [var only]) sql.Append($" AND channel_id = {Arg(only)}");
            else if (channels is not null) sql.Append($" AND channel_id = ANY({Arg(channels.ToArray())})");
            if (from.AtOrBefore is { } at) sql.Append($" AND created_at <= {Arg(at)}");
            // A time, not a row: the hits at that very microsecond are read again and the caller skips those it has.
            if (from.Below is { } micros) sql.Append($" AND created_at <= {Arg(UnixMicrosecondsConverter.FromMicros(micros))}");
            sql.Append($" ORDER BY created_at DESC LIMIT {Arg(limit)}");
        }
        return db.Database.SqlQuery<IndexHit>(Sql(sql.ToString(), [.. args])).ToListAsync(ct);
    }

    /// <summary>
    /// Ids of the messages of these <paramref name="channels"/> holding every one of <paramref name="all"/> and none
    /// of <paramref name="none"/>, written after <paramref name="after"/> when given. For few chats: SQLite reads the
    /// index's entries of those chats, PostgreSQL those chats' messages since the time (or the word's entries, if fewer).
    /// </summary>
    public static IQueryable<string> InChannels(InboxDbContext db, IReadOnlyList<string> channels, IReadOnlyList<SearchTerm> all,
        IReadOnlyList<SearchTerm> none, DateTimeOffset? after = null)
    {
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            return db.Database.SqlQuery<string>(Sql(
                $"SELECT m.id AS \"Value\" FROM {SearchIndexSql.SqliteTable} s CROSS JOIN messages m ON m.rowid = s.rowid " +
                $"WHERE {SearchIndexSql.SqliteTable} MATCH {{1}} AND m.channel_id IN (SELECT value FROM json_each({{0}})) AND m.created_at > {{2}}",
                JsonSerializer.Serialize(channels), Fts5(all, none, channels), db.Dialect.Time(after ?? DateTimeOffset.UnixEpoch)));
        }
        var args = new List<object> { channels.ToArray(), after ?? DateTimeOffset.UnixEpoch };
        return db.Database.SqlQuery<string>(Sql(
            $"SELECT id AS \"Value\" FROM messages WHERE {SearchIndexSql.PostgresColumn} @@ ({TsQuery(all, none, args)})" +
            " AND channel_id = ANY({0}) AND created_at > {1}", [.. args]));
    }

    /// <summary>
    /// SQLite: ids of the people whose name has a word starting with each of <paramref name="words"/>, or whose username
    /// or email starts with it (PostgreSQL answers the same with LIKE over trigram indexes). Read from the
    /// <c>user_search</c> index, which folds case and accents in any script.
    /// </summary>
    public static IQueryable<string> People(InboxDbContext db, IReadOnlyList<SearchTerm> words)
    {
        var query = string.Join(" AND ", words.Select(w =>
        {
            var phrase = Fts5Phrase(w.Text) + "*";
            return $"({{name}} : {phrase} OR {{user_name email}} : ^{phrase})";
        }));
        return db.Database.SqlQuery<string>(Sql(
            $"SELECT u.id AS \"Value\" FROM {SearchIndexSql.SqlitePeopleTable} s JOIN users u ON u.rowid = s.rowid WHERE {SearchIndexSql.SqlitePeopleTable} MATCH {{0}}",
            query));
    }

    /// <summary>Ids of every message holding any of <paramref name="terms"/>: what a query of only excluded words leaves out.</summary>
    public static IQueryable<string> Any(InboxDbContext db, IReadOnlyList<SearchTerm> terms)
    {
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            var any = $"{{content}} : ({string.Join(" OR ", terms.Select(Fts5Phrase))})";
            return db.Database.SqlQuery<string>(Sql(
                $"SELECT m.id AS \"Value\" FROM {SearchIndexSql.SqliteTable} s JOIN messages m ON m.rowid = s.rowid WHERE {SearchIndexSql.SqliteTable} MATCH {{0}}", any));
        }
        var args = new List<object>();
        var tsquery = string.Join(" || ", terms.Select(t => TsQuery(t, args)));
        return db.Database.SqlQuery<string>(Sql(
            $"SELECT id AS \"Value\" FROM messages WHERE {SearchIndexSql.PostgresColumn} @@ ({tsquery})", [.. args]));
    }

    /// <summary>
    /// An FTS5 query of the text column: each term a quoted phrase (quotes doubled), a prefix starred, exclusions by NOT;
    /// with <paramref name="channels"/>, only their messages (the <c>chat</c> column, <see cref="SearchIndexSql.SqliteSource"/>).
    /// </summary>
    public static string Fts5(IEnumerable<SearchTerm> all, IEnumerable<SearchTerm> none, IReadOnlyList<string>? channels = null)
    {
        var query = new StringBuilder("{content} : (").Append(string.Join(" ", all.Select(Fts5Phrase)));
        foreach (var term in none) query.Append(" NOT ").Append(Fts5Phrase(term));
        query.Append(')');
        if (channels is not null)
            query.Append(" AND {chat} : (").Append(string.Join(" OR ", channels.Select(c => Fts5Phrase(SearchIndexSql.ChatToken(c))))).Append(')');
        return query.ToString();
    }

    private static string Fts5Phrase(SearchTerm term) => Fts5Phrase(term.Text) + (term.Prefix ? "*" : "");

    private static string Fts5Phrase(string text) => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>Every one of <paramref name="all"/> and none of <paramref name="none"/> as one <c>tsquery</c>, its terms added to <paramref name="args"/>.</summary>
    private static string TsQuery(IReadOnlyList<SearchTerm> all, IReadOnlyList<SearchTerm> none, List<object> args) =>
        string.Join(" && ", all.Select(t => TsQuery(t, args)).Concat(none.Select(t => $"!!{TsQuery(t, args)}")));

    /// <summary>
    /// A term as a <c>tsquery</c> made by PostgreSQL from a parameter: <c>phraseto_tsquery</c> reads it as plain text
    /// (never as tsquery syntax) with the parser that made the index. A prefix marks that phrase's last lexeme
    /// <c>:*</c> (the phrase is PostgreSQL's own output, its lexemes quoted by it), so <c>RCPT-88</c> is split as the
    /// index split <c>RCPT-88213</c> and still finds it.
    /// </summary>
    private static string TsQuery(SearchTerm term, List<object> args)
    {
        args.Add(term.Text);
        var phrase = $"phraseto_tsquery({SearchIndexSql.PostgresConfiguration}, {{{args.Count - 1}}})";
        return term.Prefix ? $"to_tsquery({SearchIndexSql.PostgresConfiguration}, regexp_replace({phrase}::text, '''$', ''':*'))" : phrase;
    }

    private static FormattableString Sql(string format, params object[] args) => FormattableStringFactory.Create(format, args);
}

/// <summary>A message the index found, and where it stands in the index's order (SQLite: its row; PostgreSQL: its time in microseconds).</summary>
public sealed class IndexHit
{
    public string Id { get; init; } = "";
    public long Position { get; init; }
}

/// <summary>Where a read of the index starts: from the newest, at or before a time (a cursor's), or past a hit already read.</summary>
public readonly record struct IndexPosition(DateTimeOffset? AtOrBefore, long? Below)
{
    public static IndexPosition Newest => default;

    public static IndexPosition From(DateTimeOffset atOrBefore) => new(atOrBefore, null);

    /// <summary>Past <paramref name="last"/>, keeping the first read's bound.</summary>
    public IndexPosition After(IndexHit last) => this with { Below = last.Position };
}
