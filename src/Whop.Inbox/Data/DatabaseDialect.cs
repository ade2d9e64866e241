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

    /// <summary>Loads a channel for change, locked against every other change to it until the transaction ends.</summary>
    public abstract Task<Channel> LockChannelAsync(InboxDbContext db, string channelId, CancellationToken ct);

    /// <summary>Takes a channel's lock without loading it (see <see cref="LockChannelAsync"/>).</summary>
    public abstract Task LockChannelRowAsync(InboxDbContext db, string channelId, CancellationToken ct);

    /// <summary>A lock named by <paramref name="key"/>, held until the transaction ends: for rows that do not exist yet.</summary>
    public abstract Task LockKeyAsync(InboxDbContext db, string key, CancellationToken ct);

    /// <summary>Whether a save failed on a unique index (someone else got there first).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException e);

    /// <summary>A time as raw SQL must pass it: value converters do not reach raw SQL parameters.</summary>
    public abstract object Time(DateTimeOffset at);

    /// <summary>Users whose name or username matches LIKE <paramref name="pattern"/> (escaped with \), ignoring case in any script.</summary>
    public abstract Expression<Func<User, bool>> NameLike(string pattern, string laterWordPattern);

    /// <summary>
    /// Takes the channel's next event position and says where the channel now stands, and what status
    /// the previous event announced. Inside the transaction that makes the change.
    /// </summary>
    public abstract Task<(long Position, ChannelSnapshot Snapshot)> AdvanceAsync(InboxDbContext db, string channelId, CancellationToken ct);

    /// <summary>Stores an event in its channel's log and has it published when (and only if) the transaction commits.</summary>
    public abstract Task AppendAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct);

    /// <summary>Publishes an event that is not stored (the last one of a deleted channel) when the transaction commits.</summary>
    public abstract Task PublishAtCommitAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct);

    /// <summary>Publishes an ephemeral event (typing) to every instance now, outside any transaction of <paramref name="db"/>.</summary>
    public abstract Task PublishNowAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct);

    /// <summary>Tells every instance, when the transaction commits, that what a person may see has changed (they left a team, say).</summary>
    public abstract Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct);

    /// <summary>Tells every instance that an API key was revoked (after its commit), so each closes what it opened.</summary>
    public abstract Task AnnounceKeyRevokedAsync(InboxDbContext db, string keyId, CancellationToken ct);

    /// <summary>
    /// Held while the database is brought up to date at start-up: instances starting together take turns
    /// (PostgreSQL), or a second instance is refused (SQLite).
    /// </summary>
    public abstract Task<IAsyncDisposable> StartupLockAsync(InboxDbContext db, CancellationToken ct);

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

    /// <summary>Reads kind, company, customer, status, name, member count, last activity, last message from <paramref name="first"/> on.</summary>
    protected ChannelSnapshot ReadSnapshot(DbDataReader row, int first, SupportStatus? before) => new(
        Enum.Parse<ChannelKind>(row.GetString(first), ignoreCase: true),
        row.IsDBNull(first + 1) ? null : row.GetString(first + 1),
        row.IsDBNull(first + 2) ? null : row.GetString(first + 2),
        StatusAt(row, first + 3),
        row.IsDBNull(first + 4) ? null : row.GetString(first + 4),
        row.GetInt32(first + 5),
        ReadTime(row, first + 6),
        row.IsDBNull(first + 7) ? null : ReadTime(row, first + 7),
        before);

    protected abstract DateTimeOffset ReadTime(DbDataReader row, int ordinal);

    protected static SupportStatus? StatusAt(DbDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : Enum.Parse<SupportStatus>(row.GetString(ordinal).Replace("_", ""), ignoreCase: true);
}
