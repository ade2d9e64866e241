using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Admission;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Support.WhoIsHere;

/// <summary>
/// Who of the team has which support chat open now, on any instance; never stored. Each instance counts its own
/// viewers (a page or a hub connection that has the chat open) in memory. Other instances hear of them over the
/// database's notifications, on a change and again every <see cref="Beat"/> (one notification per instance, however
/// many viewers: no round trip per viewer), and forget what they heard after <see cref="Expiry"/> unless it is said
/// again, so an instance that went away takes its viewers with it. A change reaches this instance's pages through
/// <see cref="WatchChatAsync"/> and the hub's clients as a <see cref="ChatEventTypes.ViewersChanged"/> event, each
/// at most once per <see cref="Coalescing"/>.
/// </summary>
public sealed partial class ChatViewers(
    IDbContextFactory<InboxDbContext> contexts,
    ChannelAccess access,
    InboxRights rights,
    ChatEventQueue queue,
    TimeProvider clock,
    ILogger<ChatViewers> logger) : BackgroundService
{
    /// <summary>How often this instance tells the others who is here (while anyone is), and looks for what lapsed.</summary>
    public static readonly TimeSpan Beat = TimeSpan.FromSeconds(3);
    /// <summary>How long another instance's word holds when it is not said again: a crashed instance's viewers go after this.</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(8);
    /// <summary>Changes are told at most this often per chat, however many come.</summary>
    public static readonly TimeSpan Coalescing = TimeSpan.FromMilliseconds(100);
    /// <summary>How many chats one hub connection may say it has open at once.</summary>
    public const int MaxChatsPerConnection = 20;

    // PostgreSQL refuses notifications of 8,000 bytes or more: a long announcement goes in parts.
    private const int MaxAnnouncementBytes = 7_000;

    private readonly string _instance = Guid.NewGuid().ToString("N")[..16];
    private readonly Lock _gate = new();
    // This instance's viewers: per chat, per person, how many of their pages and connections have it open.
    private readonly Dictionary<string, Dictionary<string, (UserSummary User, int Count)>> _local = [];
    // What the other instances said: per chat, per instance, its viewers and until when the word holds.
    private readonly Dictionary<string, Dictionary<string, (IReadOnlyList<UserSummary> Viewers, DateTimeOffset Until)>> _remote = [];
    // Whose each chat is (company, customer), for chats with anyone in them: who may be told.
    private readonly Dictionary<string, ChannelSnapshot> _whose = [];
    // What each chat's watchers were last told (user ids in order), so only a change goes out.
    private readonly Dictionary<string, string> _told = [];
    private readonly HashSet<string> _changed = [];
    private readonly HashSet<string> _toAnnounce = [];
    private readonly Dictionary<string, Action[]> _watchers = [];
    private Coalescer? _coalescer;

    private Coalescer Flusher => _coalescer ??= new Coalescer(Coalescing, FlushAsync);

    /// <summary>
    /// The person has the support chat open: they show among its viewers until the answer is disposed (or
    /// <see cref="Viewing.Suspend"/>ed). Refused for anyone but a person of the chat's team.
    /// </summary>
    public async Task<Outcome<Viewing>> ViewAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        if (actor.UserId is null) return Failure.Rejected("Viewing belongs to a person; an API key has none.");
        if (string.IsNullOrWhiteSpace(channelId)) return Failure.Invalid("channel_id", "channel_id is required.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null) return ChannelAccess.NotFound(channelId);
        var (refused, person) = await access.CheckAndNameAsync(actor, channel, _ => InboxAction.AnnounceViewing, ct, db);
        if (refused is not null) return refused;
        if (!channel.IsSupport) return Failure.Invalid("channel_id", "Only support chats show who is viewing.");
        if (person is null) return Failure.Rejected("Viewing belongs to a person; an API key has none.");
        var viewing = new Viewing(this, channelId, person, ChannelSnapshot.Whose(channel));
        viewing.Resume();
        return viewing;
    }

    /// <summary>The team viewing the chat now; the team alone may ask.</summary>
    public async Task<Outcome<IReadOnlyList<UserSummary>>> ViewersAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        var channel = await access.ForAsync(actor, channelId, _ => InboxAction.SeeViewers, ct);
        if (channel.Failure is { } failure) return failure;
        return new Outcome<IReadOnlyList<UserSummary>>(Of(channelId!), null);
    }

    /// <summary>
    /// Calls <paramref name="changed"/> whenever the chat's viewers change (read them with <see cref="Of"/>) until the
    /// answer is disposed. Only the chat's team may watch.
    /// </summary>
    public async Task<Outcome<IDisposable>> WatchChatAsync(Actor actor, string? channelId, Action changed, CancellationToken ct = default)
    {
        var channel = await access.ForAsync(actor, channelId, _ => InboxAction.SeeViewers, ct);
        if (channel.Failure is { } failure) return failure;
        return new Outcome<IDisposable>(AddWatcher(channelId!, changed), null);
    }

    /// <summary>
    /// <see cref="WatchChatAsync"/> for every support chat of a company (the inbox's rows: read them with <see cref="InCompany"/>).
    /// </summary>
    public async Task<Outcome<IDisposable>> WatchInboxAsync(Actor actor, string companyId, Action changed, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.SeeViewers, companyId, ct))
            return Failure.Forbidden("Only the company's team sees who is in its chats.");
        return new Outcome<IDisposable>(AddWatcher(CompanyKey(companyId), changed), null);
    }

    /// <summary>Who is viewing the chat now, by name. Ask the rights first (<see cref="ViewersAsync"/> does).</summary>
    public IReadOnlyList<UserSummary> Of(string channelId)
    {
        lock (_gate) return ViewersLocked(channelId, clock.GetUtcNow());
    }

    /// <summary>The company's chats that someone is viewing now, and who. Ask the rights first (<see cref="WatchInboxAsync"/> does).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<UserSummary>> InCompany(string companyId)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            return _whose.Where(w => w.Value.CompanyId == companyId)
                .Select(w => (w.Key, Viewers: ViewersLocked(w.Key, now)))
                .Where(w => w.Viewers.Count > 0)
                .ToDictionary(w => w.Key, w => w.Viewers);
        }
    }

    /// <summary>How many chats this instance holds anything about (for tests of its bounds).</summary>
    internal int ChatsHeld
    {
        get { lock (_gate) return _whose.Count; }
    }

    private IReadOnlyList<UserSummary> ViewersLocked(string channelId, DateTimeOffset now)
    {
        IEnumerable<UserSummary> here = _local.TryGetValue(channelId, out var local) ? local.Values.Select(v => v.User) : [];
        if (_remote.TryGetValue(channelId, out var remote))
            here = here.Concat(remote.Values.Where(r => r.Until > now).SelectMany(r => r.Viewers));
        return here.DistinctBy(u => u.Id).OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(u => u.Id, StringComparer.Ordinal).ToList();
    }

    private static string CompanyKey(string companyId) => $"company:{companyId}";

    private Watcher AddWatcher(string key, Action changed)
    {
        lock (_gate) _watchers[key] = [.. _watchers.GetValueOrDefault(key) ?? [], changed];
        return new Watcher(this, key, changed);
    }

    private void RemoveWatcher(string key, Action changed)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(key, out var all)) return;
            var left = all.Where(a => a != changed).ToArray();
            if (left.Length == 0) _watchers.Remove(key);
            else _watchers[key] = left;
        }
    }

    internal void Enter(string channelId, UserSummary user, ChannelSnapshot whose)
    {
        lock (_gate)
        {
            if (!_local.TryGetValue(channelId, out var people)) _local[channelId] = people = [];
            people[user.Id] = (user, people.TryGetValue(user.Id, out var had) ? had.Count + 1 : 1);
            _whose[channelId] = whose;
            _changed.Add(channelId);
            _toAnnounce.Add(channelId);
        }
        Flusher.Poke();
    }

    internal void Leave(string channelId, string userId)
    {
        lock (_gate)
        {
            if (!_local.TryGetValue(channelId, out var people) || !people.TryGetValue(userId, out var had)) return;
            if (had.Count > 1) people[userId] = (had.User, had.Count - 1);
            else people.Remove(userId);
            if (people.Count == 0) _local.Remove(channelId);
            _changed.Add(channelId);
            _toAnnounce.Add(channelId);
        }
        Flusher.Poke();
    }

    /// <summary>Another instance's word (every instance hears its own too, and ignores it).</summary>
    internal void Heard(string payload)
    {
        Announcement? heard;
        try
        {
            heard = JsonSerializer.Deserialize<Announcement>(payload, ChatJson.Options);
        }
        catch (JsonException e)
        {
            LogUnreadable(e);
            return;
        }
        if (heard?.Chats is null || heard.Instance == _instance) return;
        var until = clock.GetUtcNow() + Expiry;
        lock (_gate)
        {
            foreach (var chat in heard.Chats.Where(c => c?.ChannelId is not null && c.Viewers is not null))
            {
                if (!_remote.TryGetValue(chat.ChannelId, out var instances)) _remote[chat.ChannelId] = instances = [];
                if (chat.Viewers.Count == 0) instances.Remove(heard.Instance);
                else instances[heard.Instance] = (chat.Viewers, until);
                if (instances.Count == 0) _remote.Remove(chat.ChannelId);
                _whose.TryAdd(chat.ChannelId, new ChannelSnapshot(ChannelKind.Support, chat.CompanyId, chat.CustomerId, null, null, null, null, null));
                _changed.Add(chat.ChannelId);
            }
        }
        Flusher.Poke();
    }

    /// <summary>Forgets what other instances said and did not say again in time.</summary>
    internal void Sweep()
    {
        var now = clock.GetUtcNow();
        var lapsed = false;
        lock (_gate)
        {
            foreach (var (channelId, instances) in _remote.ToList())
            {
                foreach (var (instance, word) in instances.ToList())
                {
                    if (word.Until > now) continue;
                    instances.Remove(instance);
                    _changed.Add(channelId);
                    lapsed = true;
                }
                if (instances.Count == 0) _remote.Remove(channelId);
            }
        }
        if (lapsed) Flusher.Poke();
    }

    /// <summary>Tells watchers and this instance's subscribers of each chat whose viewers changed, and other instances of this one's.</summary>
    internal async Task FlushAsync()
    {
        var now = clock.GetUtcNow();
        var events = new List<ChatEvent>();
        var toCall = new List<Action>();
        List<AnnouncedChat> announce = [];
        lock (_gate)
        {
            foreach (var channelId in _changed)
            {
                var viewers = ViewersLocked(channelId, now);
                var whose = _whose.GetValueOrDefault(channelId);
                var signature = string.Join(",", viewers.Select(v => v.Id));
                if (_toAnnounce.Contains(channelId) && whose is not null)
                    announce.Add(new AnnouncedChat(channelId, whose.CompanyId, whose.CustomerId, LocalLocked(channelId)));
                if (signature != _told.GetValueOrDefault(channelId, ""))
                {
                    if (signature.Length == 0) _told.Remove(channelId);
                    else _told[channelId] = signature;
                    if (whose is not null)
                    {
                        events.Add(new ChatEvent(ChatEventTypes.ViewersChanged, channelId, null, clock.UtcNowMicros(), whose,
                            new ViewersChanged(viewers), EventReach.Team));
                        toCall.AddRange(_watchers.GetValueOrDefault(CompanyKey(whose.CompanyId ?? "")) ?? []);
                    }
                    toCall.AddRange(_watchers.GetValueOrDefault(channelId) ?? []);
                }
                // Nobody here, on any instance: nothing kept about the chat (memory follows who is viewing).
                if (!_local.ContainsKey(channelId) && !_remote.ContainsKey(channelId)) _whose.Remove(channelId);
            }
            _changed.Clear();
            _toAnnounce.Clear();
        }
        foreach (var evt in events) queue.Enqueue(evt);
        foreach (var call in toCall.Distinct())
        {
            try
            {
                call();
            }
            catch (Exception e)
            {
                LogWatcherFailed(e);
            }
        }
        await AnnounceAsync(announce);
    }

    private IReadOnlyList<UserSummary> LocalLocked(string channelId) =>
        _local.TryGetValue(channelId, out var people) ? people.Values.Select(p => p.User).ToList() : [];

    /// <summary>Tells the other instances, in parts small enough for a notification; nothing to do with one instance (SQLite).</summary>
    private async Task AnnounceAsync(IReadOnlyList<AnnouncedChat> chats)
    {
        if (chats.Count == 0) return;
        try
        {
            await DatabaseAdmission.RunAsAppWork(async () =>
            {
                await using var db = await contexts.CreateDbContextAsync();
                if (!db.Dialect.IsSharedByInstances) return;
                foreach (var part in Parts(chats)) await db.Dialect.AnnounceViewersAsync(db, part, CancellationToken.None);
            });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next beat says it again; until then other instances show what they last heard.
            LogAnnounceFailed(e);
        }
    }

    private IEnumerable<string> Parts(IReadOnlyList<AnnouncedChat> chats)
    {
        var part = new List<AnnouncedChat>();
        var bytes = 0;
        foreach (var chat in chats)
        {
            var size = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(chat, ChatJson.Options)) + 1;
            if (part.Count > 0 && bytes + size > MaxAnnouncementBytes)
            {
                yield return JsonSerializer.Serialize(new Announcement(_instance, part), ChatJson.Options);
                (part, bytes) = ([], 0);
            }
            part.Add(chat);
            bytes += size;
        }
        if (part.Count > 0) yield return JsonSerializer.Serialize(new Announcement(_instance, part), ChatJson.Options);
    }

    /// <summary>Every chat this instance has viewers in, as it stands now.</summary>
    private List<AnnouncedChat> Everything(bool leaving)
    {
        lock (_gate)
        {
            return _local.Keys.Where(_whose.ContainsKey)
                .Select(id => new AnnouncedChat(id, _whose[id].CompanyId, _whose[id].CustomerId, leaving ? [] : LocalLocked(id)))
                .ToList();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        var tick = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                Sweep();
                if (++tick % (int)Beat.TotalSeconds == 0) await AnnounceAsync(Everything(leaving: false));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        await base.StopAsync(ct);
        _coalescer?.Dispose();
        // Going away in good order: the others drop this instance's viewers now rather than when the word lapses.
        await AnnounceAsync(Everything(leaving: true));
    }

    /// <summary>One instance's word: the viewers it has in each chat named (none: nobody there any more).</summary>
    internal sealed record Announcement(string Instance, IReadOnlyList<AnnouncedChat> Chats);

    internal sealed record AnnouncedChat(string ChannelId, string? CompanyId, string? CustomerId, IReadOnlyList<UserSummary> Viewers);

    private sealed class Watcher(ChatViewers board, string key, Action changed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) board.RemoveWatcher(key, changed);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not tell the other instances who is viewing which chat; the next beat tries again")]
    private partial void LogAnnounceFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "An announcement of who is viewing could not be read")]
    private partial void LogUnreadable(Exception exception);

    [LoggerMessage(LogLevel.Warning, "A watcher of who is viewing failed")]
    private partial void LogWatcherFailed(Exception exception);
}

/// <summary>
/// One page's or connection's "I have this chat open": counted while resumed, not while suspended (the page's
/// connection is down), gone for good when disposed.
/// </summary>
public sealed class Viewing(ChatViewers board, string channelId, UserSummary user, ChannelSnapshot whose) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _counted;
    private bool _disposed;

    public string ChannelId => channelId;

    public void Resume()
    {
        lock (_gate)
        {
            if (_counted || _disposed) return;
            _counted = true;
            board.Enter(channelId, user, whose);
        }
    }

    public void Suspend()
    {
        lock (_gate)
        {
            if (!_counted) return;
            _counted = false;
            board.Leave(channelId, user.Id);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            Suspend();
            _disposed = true;
        }
    }
}
