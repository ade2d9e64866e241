using System.Data.Common;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Data;

/// <summary>
/// What really differs between the two databases, and nothing else: locks, unique violations,
/// publishing events, the name search and the start-up lock. Everything else is ordinary EF Core LINQ.
/// The lock-order rule: a change takes its channel's lock first, then touches members and messages.
/// </summary>
public abstract class DatabaseDialect
{
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Whether several instances may share the database (and so hear each other's announcements).</summary>
    public abstract bool IsSharedByInstances { get; }

    /// <summary>Loads a channel for change, locked against every other change to it until the transaction ends; null when there is none.</summary>
    public abstract Task<Channel?> LockChannelAsync(InboxDbContext db, string channelId, CancellationToken ct);

    /// <summary>
    /// Loads channels for change, locked as <see cref="LockChannelAsync"/> locks one, in the order of
    /// <paramref name="sortedIds"/> (sorted by the caller, so that two batches never wait on each other); those that exist.
    /// </summary>
    public abstract Task<List<Channel>> LockChannelsAsync(InboxDbContext db, IReadOnlyList<string> sortedIds, CancellationToken ct);

    /// <summary>Takes a channel's lock without loading it (see <see cref="LockChannelAsync"/>).</summary>
    public abstract Task LockChannelRowAsync(InboxDbContext db, string channelId, CancellationToken ct);

    /// <summary>A lock named by <paramref name="key"/>, held until the transaction ends: for rows that do not exist yet.</summary>
    public abstract Task LockKeyAsync(InboxDbContext db, string key, CancellationToken ct);

    /// <summary>
    /// <see cref="LockKeyAsync"/> as a statement, for a command that does more after it; null where the
    /// database has one writer and so needs no such lock (SQLite).
    /// </summary>
    public abstract FormattableString? KeyLockStatement(string key);

    /// <summary>Whether a save failed on a unique index (someone else got there first).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException e);

    /// <summary>A time as raw SQL must pass it: value converters do not reach raw SQL parameters.</summary>
    public abstract object Time(DateTimeOffset at);

    /// <summary>Users whose name or username matches LIKE <paramref name="pattern"/> (escaped with \), ignoring case in any script.</summary>
    public abstract Expression<Func<User, bool>> NameLike(string pattern, string laterWordPattern);

    /// <summary>
    /// Has a change's events published when (and only if) its transaction commits, in order. The stored
    /// ones are already in the log: they are written with the change itself (<see cref="ChatEventLog.Stage"/>).
    /// Returns the statements that do it, for the change to send with its last command (none when the
    /// database has no notifications and the app publishes them itself).
    /// </summary>
    public abstract IReadOnlyList<FormattableString> PublishAtCommit(InboxDbContext db, IReadOnlyList<StagedEvent> events);

    /// <summary>Publishes an ephemeral event (typing) to every instance now, outside any transaction of <paramref name="db"/>.</summary>
    public abstract Task PublishNowAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct);

    /// <summary>Tells every other instance who is viewing which chat here (<paramref name="announcement"/>), now; nothing is stored.</summary>
    public abstract Task AnnounceViewersAsync(InboxDbContext db, string announcement, CancellationToken ct);

    /// <summary>Tells every instance, when the transaction commits, that what a person may see has changed (they left a team, say).</summary>
    public abstract Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct);

    /// <summary>
    /// Tells every instance that an API key was made (after its commit), so each knows it from memory;
    /// <paramref name="announcement"/> is what <see cref="Identity.ApiKeys.ApiKeyDirectory.HeardCreated"/> reads.
    /// </summary>
    public abstract Task AnnounceKeyCreatedAsync(InboxDbContext db, string keyId, string announcement, CancellationToken ct);

    /// <summary>Tells every instance that an API key was revoked (after its commit), so each forgets it and closes what it opened.</summary>
    public abstract Task AnnounceKeyRevokedAsync(InboxDbContext db, string keyId, CancellationToken ct);

    /// <summary>
    /// Held while the database is brought up to date at start-up: instances starting together take turns
    /// (PostgreSQL), or a second instance is refused (SQLite).
    /// </summary>
    public abstract Task<IAsyncDisposable> StartupLockAsync(InboxDbContext db, CancellationToken ct);

    /// <summary>
    /// Begins a read whose statements are planned for the values they carry, every time; ended by disposing the result
    /// (null where there is nothing to end). For a search: a rare word wants the text index and a common one a walk of
    /// the messages by time, so a prepared statement's one generic plan would serve one of them badly.
    /// </summary>
    public virtual Task<IAsyncDisposable?> PlanForValuesAsync(InboxDbContext db, CancellationToken ct) => Task.FromResult<IAsyncDisposable?>(null);

    /// <summary>The ADO.NET command for hand-written SQL on the context's connection, in its transaction.</summary>
    protected static DbCommand Command(InboxDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        // EF's interceptors do not see hand-written commands: the benchmarks' statement count does all the same.
        StatementCounter.Of(db)?.Count();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("Events are written in the transaction that makes the change.");
        return command;
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
