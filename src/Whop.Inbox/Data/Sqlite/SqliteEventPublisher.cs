using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// Publishes a transaction's events in-process once it has committed, and never those of one that
/// did not. A gate held from just before COMMIT until the events are queued keeps the queue in commit
/// order (SQLite already runs one write transaction at a time, so the gate costs nothing).
/// </summary>
internal sealed class SqliteEventPublisher(ChatEventQueue queue) : DbTransactionInterceptor
{
    private readonly SemaphoreSlim _commitOrder = new(1, 1);
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    /// <summary>Publishes <paramref name="evt"/> when <paramref name="db"/>'s current transaction commits.</summary>
    public void AtCommit(InboxDbContext db, ChatEvent evt) => _pending.GetOrCreateValue(db).Items.Add(evt);

    /// <summary>Announces <paramref name="change"/> when <paramref name="db"/>'s current transaction commits.</summary>
    public void AtCommit(InboxDbContext db, AccessChanged change) => _pending.GetOrCreateValue(db).Items.Add(change);

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        Forget(eventData.Context);
        return result;
    }

    public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData,
        InterceptionResult result, CancellationToken ct = default)
    {
        if (Of(eventData.Context) is { Items.Count: > 0 } pending)
        {
            await _commitOrder.WaitAsync(CancellationToken.None);
            pending.HoldsGate = true;
        }
        return result;
    }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        if (Of(eventData.Context) is { Items.Count: > 0 } pending)
        {
            _commitOrder.Wait();
            pending.HoldsGate = true;
        }
        return result;
    }

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        TransactionCommitted(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (Of(eventData.Context) is not { } pending) return;
        foreach (var item in pending.Items) queue.Enqueue(item);
        Release(eventData.Context!, pending);
    }

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken ct = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    private Pending? Of(DbContext? context) => context is not null && _pending.TryGetValue(context, out var pending) ? pending : null;

    private void Forget(DbContext? context)
    {
        if (Of(context) is { } pending) Release(context!, pending);
    }

    private void Release(DbContext context, Pending pending)
    {
        _pending.Remove(context);
        if (pending.HoldsGate) _commitOrder.Release();
    }

    private sealed class Pending
    {
        public List<object> Items { get; } = [];
        public bool HoldsGate { get; set; }
    }
}
