using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Data.Sqlite;

/// <summary>
/// SQLite: one writer at a time. Every transaction takes the database's write lock when it begins
/// (Microsoft.Data.Sqlite begins with <c>BEGIN IMMEDIATE</c>), so the row and key locks PostgreSQL
/// needs are already held; events go to this process's dispatcher after the commit.
/// </summary>
internal sealed class SqliteDialect(SqliteEventPublisher publisher, ChatEventQueue queue, HubConnections hubConnections,
    SqliteInstanceLock instanceLock) : DatabaseDialect
{
    /// <summary>SQLite's <c>lower()</c> folds ASCII only; this folds every script ("Inès" matches "INÈS").</summary>
    public const string FoldFunction = "inbox_fold";

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override Task<Channel?> LockChannelAsync(InboxDbContext db, string channelId, CancellationToken ct)
    {
        RequireTransaction(db);
        return db.Channels.SingleOrDefaultAsync(c => c.Id == channelId, ct);
    }

    public override Task<List<Channel>> LockChannelsAsync(InboxDbContext db, IReadOnlyList<string> sortedIds, CancellationToken ct)
    {
        RequireTransaction(db);
        return db.Channels.Where(c => sortedIds.Contains(c.Id)).ToListAsync(ct);
    }

    public override Task LockChannelRowAsync(InboxDbContext db, string channelId, CancellationToken ct)
    {
        RequireTransaction(db);
        return Task.CompletedTask;
    }

    public override Task LockKeyAsync(InboxDbContext db, string key, CancellationToken ct)
    {
        RequireTransaction(db);
        return Task.CompletedTask;
    }

    public override FormattableString? KeyLockStatement(string key) => null;

    public override bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    public override object Time(DateTimeOffset at) => UnixMicrosecondsConverter.ToMicros(at);

    /// <summary>Mapped to <see cref="FoldFunction"/> in queries; registered on every connection by <see cref="SqliteConnectionSetup"/>.</summary>
    public static string Fold(string? text) => throw new InvalidOperationException("Only for use in queries.");

    public override Expression<Func<User, bool>> NameLike(string pattern, string laterWordPattern)
    {
        var folded = pattern.ToLowerInvariant();
        var laterFolded = laterWordPattern.ToLowerInvariant();
        return u => EF.Functions.Like(Fold(u.UserName), folded, @"\")
                    || EF.Functions.Like(Fold(u.Name), folded, @"\")
                    || EF.Functions.Like(Fold(u.Name), laterFolded, @"\");
    }

    public override IReadOnlyList<FormattableString> PublishAtCommit(InboxDbContext db, IReadOnlyList<StagedEvent> events)
    {
        foreach (var staged in events) publisher.AtCommit(db, staged.Event);
        return [];
    }

    public override Task PublishNowAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct)
    {
        queue.Enqueue(evt);
        return Task.CompletedTask;
    }

    // One instance per file: its viewers are all in its own memory.
    public override Task AnnounceViewersAsync(InboxDbContext db, string announcement, CancellationToken ct) => Task.CompletedTask;

    public override Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct)
    {
        publisher.AtCommit(db, new AccessChanged(userId));
        return Task.CompletedTask;
    }

    public override bool IsSharedByInstances => false;

    // One instance per file: nobody else to tell (the key is in this instance's memory already).
    public override Task AnnounceKeyCreatedAsync(InboxDbContext db, string keyId, string announcement, CancellationToken ct) => Task.CompletedTask;

    public override Task AnnounceKeyRevokedAsync(InboxDbContext db, string keyId, CancellationToken ct)
    {
        hubConnections.CloseAll(keyId);
        return Task.CompletedTask;
    }

    public override async Task<IAsyncDisposable> StartupLockAsync(InboxDbContext db, CancellationToken ct)
    {
        instanceLock.Acquire();
        // WAL: readers never wait for the writer, and a commit is one append. The file remembers it.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL", ct);
        // Planner statistics, as SQLite advises for a long-lived database when it is opened (limited
        // work: only tables whose statistics are missing or stale are analysed).
        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize = 0x10002", ct);
        return NothingToRelease.Instance;
    }

    private static void RequireTransaction(InboxDbContext db)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("A lock is held by a transaction: begin one first.");
    }

    /// <summary>The instance lock is held for the life of the process, not just for start-up.</summary>
    private sealed class NothingToRelease : IAsyncDisposable
    {
        public static readonly NothingToRelease Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
