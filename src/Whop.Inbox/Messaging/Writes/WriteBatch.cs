using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Observability;

namespace Whop.Inbox.Messaging.Writes;

/// <summary>
/// Several changes to conversations in one transaction and one commit (group commit, see
/// docs/performance.md): made by <see cref="ConversationWrites.BeginBatchAsync"/>, which locks every
/// conversation of the batch first, in id order. Each change then joins it (<see cref="Join"/>) and runs as
/// it would alone, ending with <see cref="ConversationWrite.FlushAsync"/> instead of a commit, one after
/// the other. Nothing is committed, and so nothing may be answered, before <see cref="CommitAsync"/>.
/// </summary>
public sealed class WriteBatch : IAsyncDisposable
{
    private readonly Dictionary<string, Channel> _channels;
    private readonly Func<WriteBatch, Actor, Channel?, ConversationWrite> _join;
    private readonly Dictionary<string, DateTimeOffset> _lastWritten = [];
    private readonly List<ConversationWrite> _writes = [];
    private readonly Activity? _trace;

    internal WriteBatch(InboxDbContext db, IEnumerable<Channel> channels, long begun, Activity? trace,
        Func<WriteBatch, Actor, Channel?, ConversationWrite> join)
    {
        Db = db;
        _channels = channels.ToDictionary(c => c.Id);
        Begun = begun;
        _trace = trace;
        _join = join;
    }

    /// <summary>The batch's one context, in its transaction: every change of the batch writes through it.</summary>
    public InboxDbContext Db { get; }

    /// <summary>When the batch took its locks: every change of it held its conversation's lock from then.</summary>
    internal long Begun { get; }

    /// <summary>
    /// A change to <paramref name="channelId"/> (locked with the batch) by <paramref name="actor"/>, in the
    /// batch's transaction; <see cref="ConversationWrite.CheckExistingAsync"/> refuses it when the conversation is gone.
    /// Call <see cref="Written"/> once it has flushed.
    /// </summary>
    public ConversationWrite Join(Actor actor, string channelId) =>
        _join(this, actor, _channels.GetValueOrDefault(channelId));

    /// <summary>The company of a conversation of the batch (null for a DM of none, or one that is gone).</summary>
    public string? CompanyOf(string channelId) => _channels.GetValueOrDefault(channelId)?.CompanyId;

    /// <summary>A change of the batch has written all it writes (flushed): it is committed with the batch.</summary>
    public void Written(ConversationWrite write)
    {
        _writes.Add(write);
        if (write.LastPosted is { } at) _lastWritten[write.Channel.Id] = at;
    }

    /// <summary>The last message time an earlier change of this batch wrote in a conversation.</summary>
    internal DateTimeOffset? LastWritten(string channelId) => _lastWritten.TryGetValue(channelId, out var at) ? at : null;

    /// <summary>Commits every change written; their events are published now, and only now.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await Db.Database.CommitTransactionAsync(ct);
        foreach (var write in _writes) write.Committed();
        _trace?.SetTag("inbox.committed", true);
        _trace?.SetTag("inbox.batch.size", _writes.Count);
    }

    /// <summary>Without a commit, nothing of the batch stays and nothing is announced.</summary>
    public ValueTask DisposeAsync()
    {
        _trace?.Dispose();
        return Db.DisposeAsync();
    }
}
