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

    // PostgreSQL refuses notification payloads of 8,000 bytes or more; larger events travel by reference.
    internal const int MaxInlineBytes = 7_500;

    // Any fixed 64-bit number, the same for every instance of this app.
    private const long StartupLockKey = 0x5748_4F50_494E_4258;

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override Task<Channel> LockChannelAsync(InboxDbContext db, string channelId, CancellationToken ct) =>
        db.Channels.FromSql($"SELECT * FROM channels WHERE id = {channelId} FOR UPDATE").SingleAsync(ct);

    public override Task LockChannelRowAsync(InboxDbContext db, string channelId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM channels WHERE id = {channelId} FOR UPDATE", ct);

    public override Task LockKeyAsync(InboxDbContext db, string key, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", ct);

    public override bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override object Time(DateTimeOffset at) => at;

    public override Expression<Func<User, bool>> NameLike(string pattern, string laterWordPattern) =>
        u => EF.Functions.ILike(u.UserName!, pattern, @"\")
             || EF.Functions.ILike(u.Name, pattern, @"\")
             || EF.Functions.ILike(u.Name, laterWordPattern, @"\");

    public override async Task<(long Position, ChannelSnapshot Snapshot)> AdvanceAsync(InboxDbContext db, string channelId, CancellationToken ct)
    {
        // The row lock (taken here, or earlier by the change itself) orders this against every other
        // event of the channel, so "before" is exactly what the previous event announced.
        await using var command = Command(db, """
            WITH before AS (SELECT id, announced_status FROM channels WHERE id = @id FOR UPDATE)
            UPDATE channels c SET event_position = c.event_position + 1, announced_status = c.status
              FROM before WHERE c.id = before.id
            RETURNING c.event_position, c.kind, c.company_id, c.customer_id, c.status, c.custom_name, c.member_count,
                      c.last_activity_at, c.last_message_at, before.announced_status
            """);
        Add(command, "id", channelId);
        await using var row = await command.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct)) throw new InvalidOperationException($"No channel {channelId} to write an event for.");
        return (row.GetInt64(0), ReadSnapshot(row, 1, StatusAt(row, 9)));
    }

    public override Task AppendAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct)
    {
        var note = Encoding.UTF8.GetByteCount(json) <= MaxInlineBytes ? json : Reference(evt.ChannelId, evt.Position!.Value);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO channel_events (channel_id, position, type, payload, created_at)
            VALUES ({evt.ChannelId}, {evt.Position}, {evt.Type}, {json}::jsonb, {evt.At});
            SELECT pg_notify({EventsChannel}, {note});
            """, ct);
    }

    public override Task PublishAtCommitAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct) => NotifyAsync(db, evt, json, ct);

    public override Task PublishNowAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct) => NotifyAsync(db, evt, json, ct);

    public override Task AnnounceAccessChangedAsync(InboxDbContext db, string userId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({AccessChangedChannel}, {userId})", ct);

    public override Task AnnounceKeyRevokedAsync(InboxDbContext db, string keyId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({RevokedKeysChannel}, {keyId})", ct);

    public override async Task<IAsyncDisposable> StartupLockAsync(InboxDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({StartupLockKey})", ct);
        return new Unlock(db);
    }

    protected override DateTimeOffset ReadTime(DbDataReader row, int ordinal) => row.GetFieldValue<DateTimeOffset>(ordinal);

    internal static Task NotifyAsync(InboxDbContext db, ChatEvent evt, string json, CancellationToken ct)
    {
        if (Encoding.UTF8.GetByteCount(json) > MaxInlineBytes)
            throw new InvalidOperationException($"A {evt.Type} event that is not stored must fit in one notification.");
        return db.Database.ExecuteSqlAsync($"SELECT pg_notify({EventsChannel}, {json})", ct);
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
