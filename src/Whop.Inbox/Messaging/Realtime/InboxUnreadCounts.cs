using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// The inbox tabs' unread badges for one team member: how many support chats per status have
/// something they have not read (as <c>GET /support_channels/unread_counts</c> counts them). Counted
/// once when watching starts, then kept current from the inbox's events without asking the
/// database again; a burst of events (a busy minute, a catch-up) makes one change notification.
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
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // The unread chats and their status: small (what one person has not read), and all the counts need.
    private readonly Dictionary<string, SupportStatus> _unread = [];
    private ChatSubscription? _subscription;
    private int _notifyPending;

    internal InboxUnreadCounts(string me, string companyId, Func<Task> changed, TimeSpan coalescing,
        IDbContextFactory<InboxDbContext> contexts, TimeProvider clock)
    {
        (_me, _companyId, _changed, _coalescing, _contexts, _clock) = (me, companyId, changed, coalescing, contexts, clock);
    }

    /// <summary>Unread chats per status (every status present, 0 when none).</summary>
    public IReadOnlyDictionary<SupportStatus, int> Counts
    {
        get
        {
            lock (_unread)
            {
                return Enum.GetValues<SupportStatus>().ToDictionary(s => s, s => _unread.Values.Count(v => v == s));
            }
        }
    }

    public int Total
    {
        get { lock (_unread) return _unread.Count; }
    }

    internal void Attach(ChatSubscription subscription) => _subscription = subscription;

    internal async Task LoadAsync(CancellationToken ct)
    {
        try
        {
            await ReloadAsync(ct);
        }
        finally
        {
            _loaded.TrySetResult();
        }
    }

    /// <summary>The inbox feed's handler: one event at a time, in order.</summary>
    internal async Task ApplyAsync(ChatEvent evt)
    {
        // Events that arrive while the first count runs wait for it; applying one twice does no harm.
        await _loaded.Task;
        if (evt.Type == ChatEventTypes.Resync)
        {
            await ReloadAsync(CancellationToken.None);
        }
        else if (evt.Type == ChatEventTypes.AccessRevoked)
        {
            lock (_unread) _unread.Clear();
        }
        else if (evt.Channel is { Status: { } status })
        {
            lock (_unread) Apply(evt, status);
        }
        else
        {
            return;
        }
        NotifySoon();
    }

    /// <summary>Each event sets the chat's state outright (never "one more"), so the order of a replay cannot skew a count.</summary>
    private void Apply(ChatEvent evt, SupportStatus status)
    {
        var id = evt.ChannelId;
        switch (evt.Data)
        {
            case SupportChatChanged when evt.Type == ChatEventTypes.SupportChatCreated:
                _unread[id] = status; // nobody on the team has read a chat that just opened
                return;
            case MessageEvent { Message.MessageType: not MessageType.System } message when evt.Type == ChatEventTypes.MessageCreated:
                // The sender has read up to their own message; anyone else's makes the chat unread.
                if (message.IsFrom(_me)) _unread.Remove(id);
                else _unread[id] = status;
                return;
            case ReadChanged read when read.UserId == _me:
                _unread.Remove(id);
                return;
        }
        if (_unread.ContainsKey(id)) _unread[id] = status;
    }

    private async Task ReloadAsync(CancellationToken ct)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var me = _me;
        var unread = await db.Channels.AsNoTracking()
            .Where(c => c.Kind == ChannelKind.Support && c.CompanyId == _companyId
                && !db.ChannelMembers.Any(m => m.ChannelId == c.Id && m.UserId == me && m.LastViewedAt >= c.LastActivityAt))
            .Select(c => new { c.Id, Status = c.Status!.Value })
            .ToListAsync(ct);
        lock (_unread)
        {
            _unread.Clear();
            foreach (var chat in unread) _unread[chat.Id] = chat.Status;
        }
    }

    /// <summary>One notification per burst: the first change starts the clock, the rest ride along.</summary>
    private void NotifySoon()
    {
        if (Interlocked.Exchange(ref _notifyPending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            await Task.Delay(_coalescing, _clock);
            Interlocked.Exchange(ref _notifyPending, 0);
            if (_subscription?.IsActive == false) return;
            try
            {
                await _changed();
            }
            catch (Exception)
            {
                // The watcher's page is gone or failed: its own problem, and the next burst tries again.
            }
        });
    }

    public void Dispose() => _subscription?.Dispose();
}
