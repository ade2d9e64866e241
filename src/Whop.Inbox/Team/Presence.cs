using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Admission;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Team;

/// <summary>One instance's word that a person has a page or a hub connection open there, renewed while they do.</summary>
public sealed class PresenceRecord
{
    private PresenceRecord() { }

    public string UserId { get; private set; } = "";
    public string InstanceId { get; private set; } = "";
    public DateTimeOffset SeenAt { get; private set; }
}

/// <summary>
/// Who is online now: someone with a page (a circuit) or a hub connection open on any instance. Each
/// instance counts its own connections per person and keeps a row per person it has (written when the
/// first opens, deleted when the last closes, renewed every <see cref="Renewal"/>); a row not renewed
/// for <see cref="Expiry"/> belongs to an instance that went away and counts for nothing.
/// </summary>
public sealed partial class Presence(IDbContextFactory<InboxDbContext> contexts, TimeProvider clock, ILogger<Presence> logger) : BackgroundService
{
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    private readonly string _instance = Guid.NewGuid().ToString("N")[..16];
    private readonly ConcurrentDictionary<string, int> _connections = new();

    /// <summary>A page or hub connection of the person opened; dispose the answer when it closes.</summary>
    public IDisposable Connected(string userId)
    {
        if (_connections.AddOrUpdate(userId, 1, (_, n) => n + 1) == 1) Write(userId, present: true);
        return new Connection(this, userId);
    }

    /// <summary>The people online now, on any instance: a query to use inside the caller's own (on its context).</summary>
    public IQueryable<string> Online(InboxDbContext db)
    {
        var since = clock.UtcNowMicros() - Expiry;
        return db.Presence.Where(p => p.SeenAt > since).Select(p => p.UserId);
    }

    private void Closed(string userId)
    {
        var left = _connections.AddOrUpdate(userId, 0, (_, n) => Math.Max(0, n - 1));
        if (left == 0 && _connections.TryRemove(KeyValuePair.Create(userId, 0))) Write(userId, present: false);
    }

    /// <summary>Written as the app's own work, never refused as the person's, and never holding up their page.</summary>
    private void Write(string userId, bool present) => _ = DatabaseAdmission.RunAsAppWork(async () =>
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (present) await UpsertAsync(db, [userId]);
            else await db.Presence.Where(p => p.UserId == userId && p.InstanceId == _instance).ExecuteDeleteAsync();
        }
        catch (Exception e)
        {
            // The next renewal writes it again; an outage only makes someone look away for a moment.
            LogWriteFailed(e);
        }
    });

    /// <summary>Every person's row in one command (one round trip), however many are here.</summary>
    private Task UpsertAsync(InboxDbContext db, IReadOnlyCollection<string> userIds)
    {
        var at = db.Dialect.Time(clock.UtcNowMicros());
        return SqlStatements.ExecuteAsync(db, userIds.Select(userId => (FormattableString)$"""
            INSERT INTO presence (user_id, instance_id, seen_at) VALUES ({userId}, {_instance}, {at})
            ON CONFLICT (user_id, instance_id) DO UPDATE SET seen_at = excluded.seen_at
            """).ToList(), CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Renewal, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var people = _connections.Where(c => c.Value > 0).Select(c => c.Key).ToList();
                if (people.Count == 0) continue;
                try
                {
                    await DatabaseAdmission.RunAsAppWork(async () =>
                    {
                        await using var db = await contexts.CreateDbContextAsync(stop);
                        await UpsertAsync(db, people);
                    });
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogWriteFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private sealed class Connection(Presence presence, string userId) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0) presence.Closed(userId);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not record who is online; the next renewal tries again")]
    private partial void LogWriteFailed(Exception exception);
}

/// <summary>A signed-in person's page counts as them being online while its connection is up (not while the circuit waits for a reconnect).</summary>
internal sealed class PresenceCircuit(AuthenticationStateProvider authentication, Presence presence)
    : Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler
{
    private IDisposable? _connection;

    public override async Task OnConnectionUpAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken ct)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId) _connection ??= presence.Connected(userId);
    }

    public override Task OnConnectionDownAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken ct)
    {
        _connection?.Dispose();
        _connection = null;
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken ct) =>
        OnConnectionDownAsync(circuit, ct);
}
