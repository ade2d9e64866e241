namespace Whop.Inbox.Messaging.Writes;

/// <summary>
/// Work that arrives together, handed to a writer in batches (group commit, see docs/performance.md).
/// There is no background loop and no waiting to fill a batch: the caller who finds a writer's place
/// free writes at once, itself, whatever is waiting (its own work included); work that arrives while
/// every writer is busy waits for the next batch, which then takes all of it, up to <see cref="MaxBatch"/>.
/// </summary>
/// <typeparam name="TItem">One piece of work.</typeparam>
/// <param name="writers">How many batches may be written at once.</param>
/// <param name="write">Writes a batch and answers every item of it; never throws.</param>
/// <param name="isAnswered">Whether an item has its answer.</param>
public sealed class GroupCommit<TItem>(int writers, Func<IReadOnlyList<TItem>, Task> write, Func<TItem, bool> isAnswered)
    where TItem : class
{
    /// <summary>The most items one batch takes: a bound on how long one commit holds its locks.</summary>
    public const int MaxBatch = 64;

    private readonly Lock _gate = new();
    private readonly Queue<TItem> _waiting = new();
    private int _writing;

    /// <summary>Queues <paramref name="item"/> and, when a writer's place is free, writes batches until it is answered.</summary>
    public async Task SubmitAsync(TItem item)
    {
        bool writer;
        lock (_gate)
        {
            _waiting.Enqueue(item);
            writer = _writing < writers;
            if (writer) _writing++;
        }
        if (writer) await WriteBatchesAsync(item);
    }

    /// <summary>
    /// Writes what is waiting, batch after batch, while any is; once <paramref name="mine"/> is answered
    /// the caller returns with its answer and a pool thread goes on with the rest.
    /// </summary>
    private async Task WriteBatchesAsync(TItem? mine)
    {
        while (true)
        {
            List<TItem> batch;
            lock (_gate)
            {
                batch = new List<TItem>(Math.Min(_waiting.Count, MaxBatch));
                while (batch.Count < MaxBatch && _waiting.TryDequeue(out var next)) batch.Add(next);
                if (batch.Count == 0)
                {
                    _writing--;
                    return;
                }
            }
            await write(batch);
            if (mine is not null && isAnswered(mine))
            {
                lock (_gate)
                {
                    if (_waiting.Count == 0)
                    {
                        _writing--;
                        return;
                    }
                }
                // This writer's place passes to a pool thread, which goes on while work waits. What it writes is
                // no longer this caller's, so it runs without the caller's context (its trace, its statement count).
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => WriteBatchesAsync(mine: null));
                return;
            }
        }
    }
}
