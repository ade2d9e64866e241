using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// Every transaction EF begins on SQLite takes the write lock at once (<c>BEGIN IMMEDIATE</c>), waiting
/// its turn for up to the busy timeout. A deferred one would read first and fail with "database is
/// locked", without waiting, when it then tries to write after another writer committed. Taking the
/// lock at the start is also what makes it stand in for PostgreSQL's row locks (see <see cref="SqliteDialect"/>).
/// </summary>
internal sealed class SqliteWriteTransactions : DbTransactionInterceptor
{
    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result) =>
        InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData.IsolationLevel));

    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken ct = default) =>
        ValueTask.FromResult(InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData.IsolationLevel)));

    private static SqliteTransaction Begin(DbConnection connection, IsolationLevel isolation) =>
        ((SqliteConnection)connection).BeginTransaction(isolation == IsolationLevel.Unspecified ? IsolationLevel.Serializable : isolation,
            deferred: false);
}
