using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Support.Assignment;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// The inbox's badges for one team member: how many support chats per status have something they have
/// not read (as <c>GET /support_channels/unread_counts</c> counts them, from the same tallies), the views'
/// counts per status (mine, unassigned, all) and the chats with mentions they have not read. Read when
/// watching starts, then again after the inbox's events that can move them; a burst of events (a busy
/// minute, a catch-up) makes one read and one change notification.
/// Dispose to stop. Get one from <see cref="ChatNotifier.WatchInboxBadgesAsync"/>.
/// </summary>
public sealed class InboxBadges : IDisposable
{
    public static readonly TimeSpan DefaultCoalescing = TimeSpan.FromMilliseconds(250);

    private readonly string _me;
    private readonly string _companyId;
    private readonly Func<Task> _changed;
    private readonly TimeSpan _coalescing;
    private readonly IDbContextFactory<InboxDbContext> _contexts;
    private readonly TimeProvider _clock;
    private Snapshot _now = Snapshot.Nothing;
    private ChatSubscription? _subscription;
    private int _readPending;
    private volatile bool _revoked;

    internal InboxBadges(string me, string companyId, Func<Task> changed, TimeSpan coalescing,
        IDbContextFactory<InboxDbContext> contexts, TimeProvider clock)
    {
        (_me, _companyId, _changed, _coalescing, _contexts, _clock) = (me, companyId, changed, coalescing, contexts, clock);
    }

    /// <summary>Everything read at once, swapped whole: a render never mixes two reads.</summary>
    private sealed record Snapshot(IReadOnlyDictionary<SupportStatus, int> Unread, IReadOnlyDictionary<SupportStatus, ViewCounts> Views, int Mentions)
    {
        public static Snapshot Nothing { get; } = new(Enum.GetValues<SupportStatus>().ToDictionary(s => s, _ => 0),
            Enum.GetValues<SupportStatus>().ToDictionary(s => s, _ => ViewCounts.None), 0);

        public bool SameAs(Snapshot other) =>
            Mentions == other.Mentions
            && Unread.All(u => other.Unread.GetValueOrDefault(u.Key) == u.Value)
            && Views.All(v => Equals(other.Views.GetValueOrDefault(v.Key), v.Value));
    }

    /// <summary>Unread chats per status (every status present, 0 when none).</summary>
    public IReadOnlyDictionary<SupportStatus, int> Counts => Volatile.Read(ref _now).Unread;

    public int Total => Counts.Values.Sum();

    /// <summary>The views' counts (mine, unassigned, all) per status (every status present).</summary>
    public IReadOnlyDictionary<SupportStatus, ViewCounts> Views => Volatile.Read(ref _now).Views;

    /// <summary>The views' counts in one status, or summed over all of them (null).</summary>
    public ViewCounts ViewsIn(SupportStatus? status) =>
        status is { } s ? Views.GetValueOrDefault(s, ViewCounts.None) : Views.Values.Aggregate(ViewCounts.None, (sum, v) => sum + v);

    /// <summary>Support chats with mentions of this person they have not read.</summary>
    public int UnreadMentions => Volatile.Read(ref _now).Mentions;

    internal void Attach(ChatSubscription subscription) => _subscription = subscription;

    internal async Task LoadAsync(CancellationToken ct)
    {
        if (_revoked)
        {
            // No longer on the team: no badges (the tallies are not theirs to read).
            Volatile.Write(ref _now, Snapshot.Nothing);
            return;
        }
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var unread = await UnreadCounts.PerStatusAsync(db, _companyId, _me, ct);
        var views = await AssignmentCounts.PerStatusAsync(db, _companyId, _me, ct);
        var mentions = await AssignmentCounts.UnreadMentionsAsync(db, _companyId, _me, ct);
        Volatile.Write(ref _now, new Snapshot(unread, views, mentions));
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
                var before = Volatile.Read(ref _now);
                await LoadAsync(CancellationToken.None);
                if (!Volatile.Read(ref _now).SameAs(before)) await _changed();
            }
            catch (Exception)
            {
                // The database is away or the watcher's page is gone: the next burst tries again.
            }
        });
    }

    public void Dispose() => _subscription?.Dispose();
}
