using System.Runtime.CompilerServices;
using System.Text;
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
    /// Ids of messages holding every one of <paramref name="all"/> and none of <paramref name="none"/>, the newest
    /// <paramref name="window"/> of them: a common word that matches millions is bounded here, by recency, before any
    /// other condition is weighed.
    /// </summary>
    public static IQueryable<string> Newest(InboxDbContext db, IReadOnlyList<SearchTerm> all, IReadOnlyList<SearchTerm> none, int window) =>
        db.Dialect.Provider == DatabaseProvider.Sqlite
            ? db.Database.SqlQuery<string>(Sql(
                $"SELECT m.id AS \"Value\" FROM {SearchIndexSql.SqliteTable} s JOIN messages m ON m.rowid = s.rowid " +
                $"WHERE {SearchIndexSql.SqliteTable} MATCH {{0}} ORDER BY s.rowid DESC LIMIT {{1}}", Fts5(all, none), window))
            : Postgres(db, all, none, "", $" ORDER BY created_at DESC LIMIT {window}");

    /// <summary>
    /// Ids of the messages of these <paramref name="channels"/> holding every one of <paramref name="all"/> and none
    /// of <paramref name="none"/>: the whole history of a few chats (one chat's search, a customer's), each message
    /// checked against the index by its row.
    /// </summary>
    public static IQueryable<string> InChannels(InboxDbContext db, IReadOnlyList<string> channels, IReadOnlyList<SearchTerm> all,
        IReadOnlyList<SearchTerm> none)
    {
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            return db.Database.SqlQuery<string>(Sql(
                $"SELECT m.id AS \"Value\" FROM messages m WHERE m.channel_id IN (SELECT value FROM json_each({{0}})) AND EXISTS " +
                $"(SELECT 1 FROM {SearchIndexSql.SqliteTable} s WHERE {SearchIndexSql.SqliteTable} MATCH {{1}} AND s.rowid = m.rowid)",
                System.Text.Json.JsonSerializer.Serialize(channels), Fts5(all, none)));
        }
        return Postgres(db, all, none, " AND channel_id = ANY({0})", "", [channels.ToArray()]);
    }

    /// <summary>Ids of every message holding any of <paramref name="terms"/>: what a query of only excluded words leaves out.</summary>
    public static IQueryable<string> Any(InboxDbContext db, IReadOnlyList<SearchTerm> terms)
    {
        if (db.Dialect.Provider == DatabaseProvider.Sqlite)
        {
            var any = string.Join(" OR ", terms.Select(Fts5Phrase));
            return db.Database.SqlQuery<string>(Sql(
                $"SELECT m.id AS \"Value\" FROM {SearchIndexSql.SqliteTable} s JOIN messages m ON m.rowid = s.rowid WHERE {SearchIndexSql.SqliteTable} MATCH {{0}}", any));
        }
        var args = new List<object>();
        var tsquery = string.Join(" || ", terms.Select(t => TsQuery(t, args)));
        return db.Database.SqlQuery<string>(Sql(
            $"SELECT id AS \"Value\" FROM messages WHERE to_tsvector({SearchIndexSql.PostgresConfiguration}, content) @@ ({tsquery})", [.. args]));
    }

    /// <summary>An FTS5 query: each term a quoted phrase (quotes doubled), the unfinished last word a prefix, exclusions by NOT.</summary>
    public static string Fts5(IEnumerable<SearchTerm> all, IEnumerable<SearchTerm> none)
    {
        var query = new StringBuilder(string.Join(" ", all.Select(Fts5Phrase)));
        foreach (var term in none) query.Append(" NOT ").Append(Fts5Phrase(term));
        return query.ToString();
    }

    private static string Fts5Phrase(SearchTerm term) => $"\"{term.Text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" + (term.Prefix ? "*" : "");

    private static IQueryable<string> Postgres(InboxDbContext db, IReadOnlyList<SearchTerm> all, IReadOnlyList<SearchTerm> none, string where,
        string tail, object[]? leading = null)
    {
        var args = new List<object>(leading ?? []);
        var parts = all.Select(t => TsQuery(t, args)).Concat(none.Select(t => $"!!{TsQuery(t, args)}"));
        return db.Database.SqlQuery<string>(Sql(
            $"SELECT id AS \"Value\" FROM messages WHERE to_tsvector({SearchIndexSql.PostgresConfiguration}, content) @@ ({string.Join(" && ", parts)}){where}{tail}",
            [.. args]));
    }

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
