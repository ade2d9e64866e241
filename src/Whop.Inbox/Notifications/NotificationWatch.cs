using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Notifications;

/// <summary>An alert as this person's preferences have it delivered: popped up, sounded, or neither in quiet hours.</summary>
public sealed record AlertSignal(Alert Alert, bool Desktop, bool Sound, bool Quiet);

/// <summary>
/// What the tab shows and says for one signed-in person, kept from their own real-time feeds (no polling):
/// <see cref="Unread"/>, the conversations with something they have not read (a team member's Open and
/// Waiting support chats, from <see cref="InboxBadges"/>, plus their conversation list's: DMs, and a
/// customer's support chat), and the alerts <see cref="AlertRules"/> picks out, filtered by their
/// preferences and quiet hours. Get one from <see cref="NotificationWatches.StartAsync"/>; dispose it with the page.
/// </summary>
public sealed class NotificationWatch : IDisposable
{
    private static readonly TimeSpan PreferencesKeptFor = TimeSpan.FromMinutes(1);

    private readonly string _me;
    private readonly NotificationPreferences _preferences;
    private readonly IDbContextFactory<InboxDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly Func<int, Task> _unreadChanged;
    private readonly Func<AlertSignal, Task> _alerted;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _unreadConversations = [];
    // Events that came while the set was being read: replayed onto it, in order, once read.
    private List<ChatEvent>? _whileLoading;
    private readonly Queue<string> _recentKeys = new();
    private NotificationSettings _settings;
    private DateTimeOffset _settingsReadAt;
    private InboxBadges? _badges;
    private ChatSubscription? _teamFeed;
    private ChatSubscription? _conversations;
    private int _lastUnread = -1;
    private int _reloadPending;
    private volatile bool _disposed;

    internal NotificationWatch(string me, NotificationSettings settings, NotificationPreferences preferences, IDbContextFactory<InboxDbContext> contexts,
        TimeProvider clock, Func<int, Task> unreadChanged, Func<AlertSignal, Task> alerted)
    {
        (_me, _settings, _preferences, _contexts, _clock, _unreadChanged, _alerted) = (me, settings, preferences, contexts, clock, unreadChanged, alerted);
        _settingsReadAt = clock.GetUtcNow();
        preferences.Changed += OnPreferencesChanged;
    }

    /// <summary>Conversations with something unread: the tab title's and the favicon's number.</summary>
    public int Unread
    {
        get
        {
            var team = _badges is { } b ? b.Counts[SupportStatus.Open] + b.Counts[SupportStatus.Waiting] : 0;
            lock (_gate) return team + _unreadConversations.Count;
        }
    }

    internal async Task StartAsync(ChatNotifier notifier, Actor viewer, string companyId, bool onTeam, CancellationToken ct)
    {
        if (onTeam)
        {
            var badges = await notifier.WatchInboxBadgesAsync(viewer, companyId, ReportUnreadAsync, TimeSpan.FromMilliseconds(500), ct);
            _badges = badges.Value;
            var team = await notifier.SubscribeInboxAsync(viewer, companyId, evt => OnEventAsync(evt, teamFeed: true), ct);
            _teamFeed = team.Value;
        }
        lock (_gate) _whileLoading = [];
        var mine = await notifier.SubscribeConversationsAsync(viewer, evt => OnEventAsync(evt, teamFeed: false), ct);
        _conversations = mine.Value;
        await LoadConversationsAsync(ct);
    }

    private async Task OnEventAsync(ChatEvent evt, bool teamFeed)
    {
        if (_disposed) return;
        if (!teamFeed && Track(evt)) await ReportUnreadAsync();
        if (AlertRules.For(evt, _me, teamFeed) is not { } alert || !FirstTime(alert.Key)) return;
        if (_clock.GetUtcNow() - _settingsReadAt > PreferencesKeptFor) await ReadPreferencesAsync();
        var settings = Volatile.Read(ref _settings);
        if (!settings.Wants(alert.Kind)) return;
        var quiet = settings.Quiet?.Contains(_clock.GetUtcNow()) == true;
        await _alerted(new AlertSignal(alert, settings.Desktop && !quiet, settings.Sound && !quiet, quiet));
    }

    /// <summary>Follows the conversation list's unread set; true when it may have changed.</summary>
    private bool Track(ChatEvent evt)
    {
        lock (_gate)
        {
            if (_whileLoading is { } waiting)
            {
                waiting.Add(evt);
                return false;
            }
            return Apply(evt);
        }
    }

    private bool Apply(ChatEvent evt)
    {
        switch (evt.Data)
        {
            case MessageEvent sent when evt.Type == ChatEventTypes.MessageCreated:
                // Writing marks the conversation read for its author (see docs/unread-counts.md).
                if (sent.IsFrom(_me)) return _unreadConversations.Remove(evt.ChannelId);
                return sent.Message.MessageType != MessageType.System && _unreadConversations.Add(evt.ChannelId);
            case ReadChanged read when read.UserId == _me:
            case MemberRemoved removed when removed.UserId == _me:
            case DmDeleted:
                return _unreadConversations.Remove(evt.ChannelId);
            case MessageDeleted when _unreadConversations.Contains(evt.ChannelId):
                ReloadSoon();
                return false;
        }
        if (evt.Type == ChatEventTypes.Resync) ReloadSoon();
        return false;
    }

    private void ReloadSoon()
    {
        if (Interlocked.Exchange(ref _reloadPending, 1) == 1) return;
        _ = Task.Run(async () =>
        {
            try
            {
                lock (_gate) _whileLoading ??= [];
                Interlocked.Exchange(ref _reloadPending, 0);
                await LoadConversationsAsync(CancellationToken.None);
                await ReportUnreadAsync();
            }
            catch (Exception)
            {
                // The database is away or the page is gone: the next event that needs it tries again.
                lock (_gate) _whileLoading = null;
            }
        });
    }

    /// <summary>The person's conversations with unread messages, read once (the member rows keep the counts on write).</summary>
    private async Task LoadConversationsAsync(CancellationToken ct)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var unread = await db.ChannelMembers.AsNoTracking()
            .Where(m => m.UserId == _me && m.UnreadCount > 0)
            .Join(db.Channels, m => m.ChannelId, c => c.Id, (m, c) => c)
            .Where(c => c.Kind == ChannelKind.Dm || c.CustomerId == _me)
            .Select(c => c.Id)
            .ToListAsync(ct);
        lock (_gate)
        {
            _unreadConversations.Clear();
            _unreadConversations.UnionWith(unread);
            foreach (var evt in _whileLoading ?? []) Apply(evt);
            _whileLoading = null;
        }
    }

    private async Task ReportUnreadAsync()
    {
        var now = Unread;
        if (_disposed || Interlocked.Exchange(ref _lastUnread, now) == now) return;
        await _unreadChanged(now);
    }

    /// <summary>One alert per happening, though the person's two feeds may both bring it (a team member's own support chat).</summary>
    private bool FirstTime(string key)
    {
        lock (_recentKeys)
        {
            if (_recentKeys.Contains(key)) return false;
            _recentKeys.Enqueue(key);
            if (_recentKeys.Count > 50) _recentKeys.Dequeue();
            return true;
        }
    }

    private void OnPreferencesChanged(string userId)
    {
        if (userId == _me && !_disposed) _ = ReadPreferencesAsync();
    }

    private async Task ReadPreferencesAsync()
    {
        try
        {
            _settingsReadAt = _clock.GetUtcNow();
            Volatile.Write(ref _settings, await _preferences.ReadAsync(_me));
        }
        catch (Exception)
        {
            // The database is away: the preferences held stay until the next try.
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _preferences.Changed -= OnPreferencesChanged;
        _badges?.Dispose();
        _teamFeed?.Dispose();
        _conversations?.Dispose();
    }
}

/// <summary>Starts a <see cref="NotificationWatch"/> for a signed-in person.</summary>
public sealed class NotificationWatches(ChatNotifier notifier, NotificationPreferences preferences, IDbContextFactory<InboxDbContext> contexts,
    TimeProvider clock)
{
    /// <param name="onTeam">Whether they follow the company's inbox (the <c>ListInbox</c> right, asked again by the feed itself).</param>
    public async Task<Outcome<NotificationWatch>> StartAsync(Actor viewer, string companyId, bool onTeam, Func<int, Task> unreadChanged,
        Func<AlertSignal, Task> alerted, CancellationToken ct = default)
    {
        if (viewer.UserId is not { } me) return Failure.Rejected("Notifications belong to a person; an API key has none.");
        var watch = new NotificationWatch(me, await preferences.ReadAsync(me, ct), preferences, contexts, clock, unreadChanged, alerted);
        try
        {
            await watch.StartAsync(notifier, viewer, companyId, onTeam, ct);
        }
        catch
        {
            watch.Dispose();
            throw;
        }
        return watch;
    }
}
