using Microsoft.EntityFrameworkCore.Migrations;

namespace Whop.Inbox.Support.Search;

/// <summary>
/// The message search index on each database, as the migration that adds it runs it (and any later one that must
/// rebuild it). Both are kept by the database itself in the transaction that writes the message, so a sent, edited or
/// deleted message is found (or not) the moment it commits, whichever path wrote it.
/// <list type="bullet">
/// <item>SQLite: an FTS5 table over <c>messages.content</c> and the message's conversation (external content, read
/// through the view <see cref="SqliteSource"/>: the text is not stored twice), keyed by the message row's rowid and
/// kept by three triggers. <c>unicode61</c> splits on punctuation, so <c>RCPT-88213</c> is the
/// tokens <c>rcpt</c>, <c>88213</c> and the quoted query <c>"RCPT-88213"</c> finds them side by side; likewise emails.
/// SQLite drops a table's triggers with it: a later migration that rebuilds <c>messages</c> must call
/// <see cref="UpSqlite"/> again, which starts over and reindexes.</item>
/// <item>PostgreSQL: a stored generated column <c>search_vector</c> = <c>to_tsvector('simple', content)</c> with a GIN
/// index, which the database keeps with every write; <c>simple</c> folds case and does not stem, as FTS5's tokenizer
/// does not, so both databases find the same.</item>
/// </list>
/// Each creation indexes the messages already there.
/// </summary>
public static class SearchIndexSql
{
    public const string SqliteTable = "message_search";

    /// <summary>SQLite's index of people (name, username, email) for search's customer matches; PostgreSQL's are trigram indexes in the model.</summary>
    public const string SqlitePeopleTable = "user_search";
    public const string PostgresIndex = "ix_messages_search";

    /// <summary>The text-search configuration; the index and every query must name the same, or the index is not used.</summary>
    public const string PostgresConfiguration = "'simple'::regconfig";

    /// <summary>
    /// SQLite: the view the index reads its columns from: each message's text, and its conversation as one token (the id
    /// after its <c>feed_</c>, which every id shares and so would be a word in every message), so that one chat's matches
    /// are read as <c>{content} : … AND {chat} : …</c>, the index stepping through the chat's few entries, not the word's many.
    /// </summary>
    public const string SqliteSource = "message_search_source";

    /// <summary>SQLite: a conversation's id as the index's <c>chat</c> column holds it (see <see cref="SqliteSource"/>).</summary>
    private static string SqliteChat(string channelId) => $"substr({channelId}, instr({channelId}, '_') + 1)";

    /// <summary><see cref="SqliteChat"/> as C#, for the query: the id after its first <c>_</c> (all of it without one).</summary>
    public static string ChatToken(string channelId) => channelId[(channelId.IndexOf('_') + 1)..];

    /// <summary>
    /// SQLite's message index. A later migration that rebuilds <c>messages</c> (EF's way of altering a column on SQLite)
    /// calls <see cref="DownSqlite"/> before (the view names the table) and this after, which reindexes.
    /// </summary>
    public static void UpSqlite(MigrationBuilder migration)
    {
        DownSqlite(migration);
        migration.Sql($"""
            CREATE VIEW {SqliteSource} AS SELECT rowid AS message_rowid, content, {SqliteChat("channel_id")} AS chat FROM messages;
            """);
        migration.Sql($"""
            CREATE VIRTUAL TABLE {SqliteTable} USING fts5(content, chat, content='{SqliteSource}', content_rowid='message_rowid', tokenize='unicode61 remove_diacritics 2');
            """);
        var oldRow = $"old.rowid, old.content, {SqliteChat("old.channel_id")}";
        var newRow = $"new.rowid, new.content, {SqliteChat("new.channel_id")}";
        migration.Sql($"""
            CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
                INSERT INTO {SqliteTable}(rowid, content, chat) VALUES ({newRow});
            END;
            """);
        migration.Sql($"""
            CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
                INSERT INTO {SqliteTable}({SqliteTable}, rowid, content, chat) VALUES ('delete', {oldRow});
            END;
            """);
        migration.Sql($"""
            CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
                INSERT INTO {SqliteTable}({SqliteTable}, rowid, content, chat) VALUES ('delete', {oldRow});
                INSERT INTO {SqliteTable}(rowid, content, chat) VALUES ({newRow});
            END;
            """);
        // The messages already written.
        migration.Sql($"INSERT INTO {SqliteTable}({SqliteTable}) VALUES ('rebuild');");
    }

    public static void DownSqlite(MigrationBuilder migration)
    {
        migration.Sql("DROP TRIGGER IF EXISTS messages_search_insert;");
        migration.Sql("DROP TRIGGER IF EXISTS messages_search_delete;");
        migration.Sql("DROP TRIGGER IF EXISTS messages_search_update;");
        migration.Sql($"DROP TABLE IF EXISTS {SqliteTable};");
        migration.Sql($"DROP VIEW IF EXISTS {SqliteSource};");
    }

    /// <summary>The first shape of SQLite's message index (text only), which migration <c>SearchByChat</c> replaces; for its Down.</summary>
    public static void UpSqliteTextOnly(MigrationBuilder migration)
    {
        DownSqlite(migration);
        migration.Sql($"CREATE VIRTUAL TABLE {SqliteTable} USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');");
        migration.Sql($"CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN INSERT INTO {SqliteTable}(rowid, content) VALUES (new.rowid, new.content); END;");
        migration.Sql($"CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN INSERT INTO {SqliteTable}({SqliteTable}, rowid, content) VALUES ('delete', old.rowid, old.content); END;");
        migration.Sql($"""
            CREATE TRIGGER messages_search_update AFTER UPDATE OF content ON messages BEGIN
                INSERT INTO {SqliteTable}({SqliteTable}, rowid, content) VALUES ('delete', old.rowid, old.content);
                INSERT INTO {SqliteTable}(rowid, content) VALUES (new.rowid, new.content);
            END;
            """);
        migration.Sql($"INSERT INTO {SqliteTable}({SqliteTable}) VALUES ('rebuild');");
    }

    public static void UpSqlitePeople(MigrationBuilder migration)
    {
        DownSqlitePeople(migration);
        migration.Sql($"""
            CREATE VIRTUAL TABLE {SqlitePeopleTable} USING fts5(name, user_name, email, content='users', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
            """);
        migration.Sql($"""
            CREATE TRIGGER users_search_insert AFTER INSERT ON users BEGIN
                INSERT INTO {SqlitePeopleTable}(rowid, name, user_name, email) VALUES (new.rowid, new.name, new.user_name, new.email);
            END;
            """);
        migration.Sql($"""
            CREATE TRIGGER users_search_delete AFTER DELETE ON users BEGIN
                INSERT INTO {SqlitePeopleTable}({SqlitePeopleTable}, rowid, name, user_name, email) VALUES ('delete', old.rowid, old.name, old.user_name, old.email);
            END;
            """);
        migration.Sql($"""
            CREATE TRIGGER users_search_update AFTER UPDATE OF name, user_name, email ON users BEGIN
                INSERT INTO {SqlitePeopleTable}({SqlitePeopleTable}, rowid, name, user_name, email) VALUES ('delete', old.rowid, old.name, old.user_name, old.email);
                INSERT INTO {SqlitePeopleTable}(rowid, name, user_name, email) VALUES (new.rowid, new.name, new.user_name, new.email);
            END;
            """);
        migration.Sql($"INSERT INTO {SqlitePeopleTable}({SqlitePeopleTable}) VALUES ('rebuild');");
    }

    public static void DownSqlitePeople(MigrationBuilder migration)
    {
        migration.Sql("DROP TRIGGER IF EXISTS users_search_insert;");
        migration.Sql("DROP TRIGGER IF EXISTS users_search_delete;");
        migration.Sql("DROP TRIGGER IF EXISTS users_search_update;");
        migration.Sql($"DROP TABLE IF EXISTS {SqlitePeopleTable};");
    }

    /// <summary>
    /// PostgreSQL: each message's words, stored beside it (a generated column the app never writes), and its GIN index.
    /// A common word's search walks the messages newest first and checks each row: measured on the newest 200,000 of
    /// 5,000,000 messages, the walk to 336 matches took 61 ms computing <c>to_tsvector</c> per row and 2.4 ms reading it stored.
    /// </summary>
    public const string PostgresColumn = "search_vector";

    /// <summary>
    /// The column and its index, which the EF model does not describe (mapped, every read of a message would carry its
    /// words): what the migration makes, for a schema made from the model.
    /// </summary>
    public const string PostgresCreate = $"""
        ALTER TABLE messages ADD COLUMN IF NOT EXISTS {PostgresColumn} tsvector GENERATED ALWAYS AS (to_tsvector({PostgresConfiguration}, content)) STORED;
        CREATE INDEX IF NOT EXISTS {PostgresIndex} ON messages USING gin ({PostgresColumn});
        """;

    /// <summary>PostgreSQL's index: the stored words and their GIN index (rewrites <c>messages</c> once, computing every message's words).</summary>
    public static void UpPostgres(MigrationBuilder migration)
    {
        migration.Sql($"DROP INDEX IF EXISTS {PostgresIndex};");
        migration.Sql(PostgresCreate);
        // The planner weighs a word by the column's statistics (rare: read the index; common: walk by time). A new
        // column has none until autovacuum comes by, and the rewrite does not make it come.
        migration.Sql($"ANALYZE messages ({PostgresColumn});");
    }

    public static void DownPostgres(MigrationBuilder migration)
    {
        migration.Sql($"DROP INDEX IF EXISTS {PostgresIndex};");
        migration.Sql($"ALTER TABLE messages DROP COLUMN IF EXISTS {PostgresColumn};");
    }

    /// <summary>The first shape of PostgreSQL's index (on the expression, computed per row read), which migration <c>StoredSearchVector</c> replaces.</summary>
    public static void UpPostgresExpression(MigrationBuilder migration) =>
        migration.Sql($"CREATE INDEX IF NOT EXISTS {PostgresIndex} ON messages USING gin (to_tsvector({PostgresConfiguration}, content));");
}
