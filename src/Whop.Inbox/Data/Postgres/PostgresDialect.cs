using System.Data.Common;
using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Data.Postgres;

/// <summary>
/// PostgreSQL: row locks (<c>FOR UPDATE</c>), advisory locks, and <c>NOTIFY</c>, which the server
/// delivers to every instance's <see cref="PostgresEventListener"/> when (and only if) the transaction commits.
/// </summary>
internal sealed class PostgresDialect : DatabaseDialect
{
    /// <summary>The <c>LISTEN</c>/<c>NOTIFY</c> channel of events.</summary>
    public const string EventsChannel = "inbox_events";

    /// <summary>The channel on which a person whose standing changed is announced (their user id).</summary>
    public const string AccessChangedChannel = "inbox_access_changed";

    /// <summary>The channel on which a revoked API key's id is announced.</summary>
    public const string RevokedKeysChannel = "inbox_revoked_keys";

    /// <summary>The channel on which a new API key is announced (its id, company, lookup and hash), so every instance knows it from memory.</summary>
    public const string CreatedKeysChannel = "inbox_created_keys";

    /// <summary>The channel on which each instance says who is viewing which chat there (never stored).</summary>
    public const string ViewersChannel = "inbox_viewers";

    // PostgreSQL refuses notification payloads of 8,000 bytes or more; larger events travel by reference.
    internal const int MaxInlineBytes = 7_500;

    // Any fixed 64-bit number, the same for every instance of this app.
    private const long StartupLockKey = 0x5748_4F50_494E_4258;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    /// <summary>
    /// The connection string with Npgsql's automatic preparation on (the 64 most used statements of each
    /// pooled connection), unless it says otherwise: PostgreSQL then parses and plans a send's statements
    /// once per connection instead of on every send. Safe under a migration that adds columns while
    /// instances run, because no statement reads <c>*</c>: each names its columns, so a new column
    /// changes no prepared statement's result (<c>PreparedStatementsTests</c>).
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Max Auto Prepare") || given.ContainsKey("MaxAutoPrepare")) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64 }.ConnectionString;
    }

    public override Task<Channel?> LockChannelAsync(InboxDbContext db, string channelId, CancellationToken ct) =>
        db.Channels.FromSql($"SELECT * FROM channels WHERE id = {channelId} FOR UPDATE").SingleOrDefaultAsync(ct);

    // Rows are locked as the sort hands them up, so in id order.
    public override Task<List<Channel>> LockChannelsAsync(InboxDbContext db, IReadOnlyList<string> sortedIds, CancellationToken ct) =>
        db.Channels.FromSql($"SELECT * FROM channels WHERE id = ANY({sortedIds.ToArray()}) ORDER BY id FOR UPDATE").ToListAsync(ct);

    public override Task LockChannelRowAsync(InboxDbContext db, string channelId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM channels WHERE id = {channelId} FOR UPDATE", ct);

    public override Task LockKeyAsync(InboxDbContext db, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(KeyLockStatement(key), ct);

    public override FormattableString KeyLockStatement(string key) => $"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))";

    public override bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override object Time(DateTimeOffset at) => at;

    public override Expression<Func<User, bool>> NameLike(string pattern, string laterWordPattern) =>
        u => EF.Functions.ILike(u.UserName!, pattern, @"\")
             || EF.Functions.ILike(u.Name, pattern, @"\")
             || EF.Functions.ILike(u.Name, laterWordPattern, @"\");

    // NOTIFY is transactional: the server sends them, in order, at commit, and drops them on a rollback.
    public override IReadOnlyList<FormattableString> PublishAtCommit(InboxDbContext db, IReadOnlyList<StagedEvent> events) =>
        events.Select(staged => (FormattableString)$"SELECT pg_notify({EventsChannel}, {NoteFor(staged)})").ToList();

    public override Task PublishNowAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({EventsChannel}, {NoteFor(new StagedEvent(evt, json, Stored: false))})", ct);

    public override Task AnnounceViewersAsync(InboxDbContext db, string announcement, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({ViewersChannel}, {announcement})", ct);

    public override Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({AccessChangedChannel}, {userId})", ct);

    public override bool IsSharedByInstances => true;

    public override Task AnnounceKeyCreatedAsync(InboxDbContext db, string keyId, string announcement, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({CreatedKeysChannel}, {announcement})", ct);

    public override Task AnnounceKeyRevokedAsync(InboxDbContext db, string keyId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({RevokedKeysChannel}, {keyId})", ct);

    /// <remarks>
    /// The app prepares statements it repeats (<c>Max Auto Prepare</c>), and after five runs PostgreSQL may keep one
    /// generic plan for a prepared statement: measured on 5,000,000 messages, one chat's search went from 3 to 240 ms
    /// when it did. <c>SET LOCAL</c> keeps the setting to this read-only transaction.
    /// </remarks>
    public override async Task<IAsyncDisposable?> PlanForValuesAsync(InboxDbContext db, CancellationToken ct)
    {
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL plan_cache_mode = force_custom_plan", ct);
        return transaction;
    }

    public override async Task<IAsyncDisposable> StartupLockAsync(InboxDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({StartupLockKey})", ct);
        return new Unlock(db);
    }

    /// <summary>The event itself, or where to read it when it is too large to travel inline (only a stored one can be).</summary>
    private static string NoteFor(StagedEvent staged)
    {
        if (Encoding.UTF8.GetByteCount(staged.Json) <= MaxInlineBytes) return staged.Json;
        if (!staged.Stored) throw new InvalidOperationException($"A {staged.Event.Type} event that is not stored must fit in one notification.");
        return Reference(staged.Event.ChannelId, staged.Event.Position!.Value);
    }

    /// <summary>What a notification carries for an event too large to travel inline: where to read it.</summary>
    internal static string Reference(string channelId, long position) =>
        $$"""{"ref":true,"channel_id":"{{channelId}}","position":{{position}}}""";

    private sealed class Unlock(InboxDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() =>
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({StartupLockKey})", CancellationToken.None);
    }
}
