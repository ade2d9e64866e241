using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// SQLite has one writer at a time, so this instance's write transactions take turns here, waiting
/// asynchronously: a request waiting its turn holds no thread (SQLite's own busy wait blocks one, and
/// under load that starves the thread pool). Its turn begins with <c>BEGIN IMMEDIATE</c>, so the write
/// lock is held from the start: a deferred transaction would read first and then fail, without waiting,
/// when it tries to write after another writer committed. Holding the lock from the start is also what
/// stands in for PostgreSQL's row locks (see <see cref="SqliteDialect"/>). A turn that does not come
/// within the busy timeout fails as SQLite's "database is locked" does, which the API answers with 503.
/// </summary>
internal sealed class SqliteWriteTransactions(TimeSpan busyTimeout) : DbTransactionInterceptor, IDbConnectionInterceptor
{
    private const int SqliteBusy = 5;

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _gate = new();
    // Who has the turn: one transaction (and its connection) at a time.
    private (DbConnection Connection, DbTransaction Transaction)? _holder;

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken ct = default)
    {
        if (!await _turn.WaitAsync(busyTimeout, ct)) throw Busy();
        return InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData.IsolationLevel));
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (!_turn.Wait(busyTimeout)) throw Busy();
        return InterceptionResult<DbTransaction>.SuppressWithResult(Begin(connection, eventData.IsolationLevel));
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Release(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Release(transaction);
        return Task.CompletedTask;
    }

    // A transaction disposed without commit or rollback (an exception on the way), or whose commit
    // failed, is rolled back when its connection closes: the turn comes back then.
    InterceptionResult IDbConnectionInterceptor.ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    ValueTask<InterceptionResult> IDbConnectionInterceptor.ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    private SqliteTransaction Begin(DbConnection connection, IsolationLevel isolation)
    {
        try
        {
            var transaction = ((SqliteConnection)connection).BeginTransaction(
                isolation == IsolationLevel.Unspecified ? IsolationLevel.Serializable : isolation, deferred: false);
            lock (_gate) _holder = (connection, transaction);
            return transaction;
        }
        catch
        {
            _turn.Release();
            throw;
        }
    }

    private void Release(DbTransaction transaction) => Release(h => h.Transaction == transaction);

    private void Release(DbConnection connection) => Release(h => h.Connection == connection);

    private void Release(Func<(DbConnection Connection, DbTransaction Transaction), bool> isHolder)
    {
        lock (_gate)
        {
            if (_holder is not { } holder || !isHolder(holder)) return;
            _holder = null;
        }
        _turn.Release();
    }

    private SqliteException Busy() =>
        new($"SQLite Error {SqliteBusy}: 'database is locked': no write turn within {busyTimeout.TotalSeconds:0.#} s.", SqliteBusy);
}
