using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// What each SQLite connection needs when it opens: <c>synchronous=NORMAL</c> (with WAL, a commit
/// survives a crash of the app; only a power loss can take the last ones), how long to wait for the
/// write lock, and the Unicode case fold the name search uses.
/// </summary>
internal sealed class SqliteConnectionSetup(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Prepare((SqliteConnection)connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Prepare((SqliteConnection)connection);
        return Task.CompletedTask;
    }

    private void Prepare(SqliteConnection connection)
    {
        connection.CreateFunction(SqliteDialect.FoldFunction, (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds};";
        pragmas.ExecuteNonQuery();
    }
}
