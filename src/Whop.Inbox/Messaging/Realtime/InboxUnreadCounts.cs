using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// The inbox tabs' unread badges for one team member: how many support chats per status have
/// something they have not read (as <c>GET /support_channels/unread_counts</c> counts them, from the
/// same tallies). Read when watching starts, then again after the inbox's events that can move them; a
/// burst of events (a busy minute, a catch-up) makes one read and one change notification.
/// Dispose to stop. Get one from <see cref="ChatNotifier.WatchInboxUnreadAsync"/>.
/// </summary>
public sealed class InboxUnreadCounts : IDisposable
{
    public static readonly TimeSpan DefaultCoalescing = TimeSpan.FromMilliseconds(250);

    private readonly string _me;
    private readonly string _companyId;
    private readonly Func<Task> _changed;
    private readonly TimeSpan _coalescing;
    private readonly IDbContextFactory<InboxDbContext> _contexts;
    private readonly TimeProvider _clock;
    private IReadOnlyDictionary<SupportStatus, int> _counts = Enum.GetValues<SupportStatus>().ToDictionary(s => s, _ => 0);
    private ChatSubscription? _subscription;
    private int _readPending;
    private volatile bool _revoked;

    internal InboxUnreadCounts(string me, string companyId, Func<Task> changed, TimeSpan coalescing,
        IDbContextFactory<InboxDbContext> contexts, TimeProvider clock)
    {
        (_me, _companyId, _changed, _coalescing, _contexts, _clock) = (me, companyId, changed, coalescing, contexts, clock);
    }

    /// <summary>Unread chats per status (every status present, 0 when none).</summary>
    public IReadOnlyDictionary<SupportStatus, int> Counts => Volatile.Read(ref _counts);

    public int Total => Counts.Values.Sum();

    internal void Attach(ChatSubscription subscription) => _subscription = subscription;

    internal async Task LoadAsync(CancellationToken ct)
    {
        if (_revoked)
        {
            // No longer on the team: no badges (the tallies are not theirs to read).
            Volatile.Write(ref _counts, Enum.GetValues<SupportStatus>().ToDictionary(s => s, _ => 0));
            return;
        }
        await using var db = await _contexts.CreateDbContextAsync(ct);
        Volatile.Write(ref _counts, await UnreadCounts.PerStatusAsync(db, _companyId, _me, ct));
    }

    /// <summary>The inbox feed's handler: an event that can move a count schedules a read.</summary>
    internal Task ApplyAsync(ChatEvent evt)
    {
        if (evt.Type == ChatEventTypes.AccessRevoked) _revoked = true;
        var mayMove = evt.Type is ChatEventTypes.Resync or ChatEventTypes.AccessRevoked
            || (evt.Channel is { Kind: ChannelKind.Support } && evt.Position is not null);
        if (mayMove) ReadSoon();
        return Task.CompletedTask;
    }

    /// <summary>One read and one notification per burst: the first event starts the clock, the rest ride along.</summary>
    private void ReadSoon()
    {
        if (Interlocked.Exchange(ref _readPending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(_coalescing, _clock);
            Interlocked.Exchange(ref _readPending, 0);
            if (_subscription?.IsActive == false) return;
            try
            {
                var before = Counts;
                await LoadAsync(CancellationToken.None);
                if (Counts.Any(count => before.GetValueOrDefault(count.Key) != count.Value)) await _changed();
            }
            catch (Exception)
            {
                // The database is away or the watcher's page is gone: the next burst tries again.
            }
        });
    }

    public void Dispose() => _subscription?.Dispose();
}
