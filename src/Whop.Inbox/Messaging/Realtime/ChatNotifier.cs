using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Real-time events for Blazor components and hub connections on this instance. Subscribing asks the
/// rights table and returns a <see cref="ChatSubscription"/>: dispose it when the component or
/// connection goes. Events come from every instance through <see cref="ChatEventDispatcher"/>.
/// </summary>
/// <example>
/// <code>
/// var subscribed = await Notifier.SubscribeChannelAsync(viewer.Actor, channelId, afterPosition: null,
///     evt => InvokeAsync(() => { Apply(evt); StateHasChanged(); }));
/// if (subscribed.Value is { } subscription) this.subscription = subscription;   // Dispose() in DisposeAsync
/// </code>
/// </example>
public sealed partial class ChatNotifier(
    ChatEventLog log,
    ChannelAccess access,
    InboxRights rights,
    IDbContextFactory<InboxDbContext> contexts,
    TimeProvider clock,
    ILogger<ChatNotifier> logger)
{
    private readonly Lock _gate = new();
    private ChatSubscription[] _subscriptions = [];

    internal ChatEventLog Log => log;
    internal DateTimeOffset Now => clock.UtcNowMicros();

    /// <summary>
    /// One conversation's events, in position order, each exactly once. With <paramref name="afterPosition"/>
    /// the subscription first delivers every event after it (a reconnect resumes from the last
    /// <see cref="ChatSubscription.Position"/> it saw); without, it starts from now. Refused (not found
    /// or forbidden, as the REST API would answer) when the viewer may not read the channel.
    /// </summary>
    public async Task<Outcome<ChatSubscription>> SubscribeChannelAsync(Actor viewer, string? channelId, long? afterPosition,
        Func<ChatEvent, Task> handler, CancellationToken ct = default)
    {
        var reader = await access.ReaderAsync(viewer, channelId, ct);
        if (reader.Failure is { } failure) return failure;
        var (channel, seesNotes) = reader.Value!;
        var current = channel.EventPosition;
        if (afterPosition is < 0 || afterPosition > current)
            return Failure.Invalid("after_position", $"after_position must be from 0 to the channel's position ({current}).");

        var audience = new ChannelAudience(viewer, channelId!, seesNotes, access, clock);
        var subscription = new ChatSubscription(this, audience, handler, afterPosition ?? current);
        Add(subscription);
        // Always: an event committed between reading the position and joining is in the log, not in the stream.
        subscription.CatchUp();
        return subscription;
    }

    /// <summary>
    /// A company's support inbox, for its team (the <c>ListInbox</c> right): every event of every
    /// support chat of the company, live from now on. After a <see cref="ChatEventTypes.Resync"/>,
    /// reload the list; each event's <see cref="ChatEvent.Channel"/> says where the chat now stands.
    /// </summary>
    public async Task<Outcome<ChatSubscription>> SubscribeInboxAsync(Actor viewer, string companyId, Func<ChatEvent, Task> handler,
        CancellationToken ct = default)
    {
        if (!await rights.CanAsync(viewer, InboxAction.ListInbox, companyId, ct))
            return Failure.Forbidden("Only the company's team can follow its support inbox.");
        var subscription = new ChatSubscription(this, new InboxAudience(viewer, companyId, rights, clock), handler, null);
        Add(subscription);
        return subscription;
    }

    /// <summary>
    /// A person's own conversations (their DMs, and their support chats as a customer), live from now
    /// on, including DMs they are added to later. After a <see cref="ChatEventTypes.Resync"/>, reload.
    /// </summary>
    public async Task<Outcome<ChatSubscription>> SubscribeConversationsAsync(Actor viewer, Func<ChatEvent, Task> handler,
        CancellationToken ct = default)
    {
        if (viewer.UserId is not { } me) return Failure.Rejected("Conversations belong to a person; an API key has none.");
        var audience = new ConversationsAudience(viewer, clock);
        var subscription = new ChatSubscription(this, audience, handler, null);
        // Join first, then read the set: a membership change in between is replayed onto it, not lost.
        Add(subscription);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var mine = await db.ChannelMembers.AsNoTracking().Where(m => m.UserId == me)
                .Join(db.Channels, m => m.ChannelId, c => c.Id, (m, c) => c)
                .Where(c => c.Kind == ChannelKind.Dm || c.CustomerId == me)
                .Select(c => c.Id)
                .ToListAsync(ct);
            audience.Loaded(mine, subscription.Offer);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
        return subscription;
    }

    /// <summary>
    /// The inbox's badges for a team member (unread per status tab, the views' counts, unread mentions),
    /// kept current from the inbox's events (see <see cref="InboxBadges"/>). <paramref name="changed"/> runs at most once per
    /// <paramref name="coalescing"/> (default 250 ms) however many events arrive; read the counts then.
    /// </summary>
    public async Task<Outcome<InboxBadges>> WatchInboxBadgesAsync(Actor viewer, string companyId, Func<Task> changed,
        TimeSpan? coalescing = null, CancellationToken ct = default)
    {
        if (viewer.UserId is not { } me) return Failure.Rejected("Inbox badges belong to a person; an API key has none.");
        var counts = new InboxBadges(me, companyId, changed, coalescing ?? InboxBadges.DefaultCoalescing, contexts, clock);
        // Follow first, then count: an event between the two is applied after the count, not lost.
        var subscribed = await SubscribeInboxAsync(viewer, companyId, counts.ApplyAsync, ct);
        if (subscribed.Failure is { } failure) return failure;
        counts.Attach(subscribed.Value!);
        try
        {
            await counts.LoadAsync(ct);
        }
        catch
        {
            counts.Dispose();
            throw;
        }
        return counts;
    }

    /// <summary>Hands an event to every local subscription it may concern; they judge and deliver on their own loops.</summary>
    internal void Dispatch(ChatEvent evt)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Audience.Concerns(evt)) subscription.Offer(evt);
        }
    }

    /// <summary>
    /// The person's standing changed (announced by any instance): each of their subscriptions here
    /// asks the rights table again and, when no longer allowed, receives <c>access.revoked</c> and stops.
    /// </summary>
    internal void Recheck(string userId)
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions))
        {
            if (subscription.Audience.Viewer.UserId == userId) subscription.Recheck();
        }
    }

    /// <summary>After the listener was down: conversations catch up from the log, feeds are told to reload.</summary>
    internal void Recover()
    {
        foreach (var subscription in Volatile.Read(ref _subscriptions)) subscription.Recover();
    }

    internal int Count => Volatile.Read(ref _subscriptions).Length;

    private void Add(ChatSubscription subscription)
    {
        lock (_gate) _subscriptions = [.. _subscriptions, subscription];
        subscription.Start();
    }

    internal void Remove(ChatSubscription subscription)
    {
        lock (_gate) _subscriptions = _subscriptions.Where(s => s != subscription).ToArray();
    }

    [LoggerMessage(LogLevel.Warning, "A real-time subscriber failed to handle a {Type} event ({Subscription})")]
    internal partial void LogHandlerFailed(Exception exception, string type, string subscription);

    [LoggerMessage(LogLevel.Error, "A real-time subscription failed to deliver ({Subscription})")]
    internal partial void LogSubscriptionFailed(Exception exception, string subscription);
}
