using Microsoft.AspNetCore.SignalR;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.WhoIsHere;
using Whop.Inbox.Team;
using static Whop.Inbox.Messaging.MessagesApi;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// <c>/hubs/chat</c>: real time for clients other than this app's own pages (the pages use
/// <see cref="ChatNotifier"/> directly). Signed in by cookie, API key or access token (also as the
/// <c>access_token</c> query parameter, which WebSocket clients use). Every method asks the rights
/// table; a refusal is a <see cref="HubException"/> whose message starts with the REST API's error
/// kind (<c>not_found:</c>, <c>forbidden:</c>, <c>invalid_request:</c>, <c>unprocessable:</c>).
/// Events arrive as the client method <c>event(event, subscription)</c>, where <c>subscription</c>
/// names the stream (<c>channel:feed_…</c>, <c>inbox</c>, <c>conversations</c>): each stream has every
/// event once and in order, so a client following a chat and the inbox sees a chat message on both.
/// </summary>
public sealed class ChatHub(
    ChatNotifier notifier,
    TypingTracker typing,
    ReadMarker reads,
    MessageService messages,
    DefaultCompany defaultCompany,
    HubConnections connections,
    Presence presence,
    ChatViewers viewers,
    IHubContext<ChatHub> hub) : Hub
{
    public const string Path = "/hubs/chat";
    public const string EventMethod = "event";

    public sealed record Subscribed(string ChannelId, long Position);
    public sealed record InboxSubscribed(string CompanyId);
    public sealed record MarkedRead(string ChannelId, DateTimeOffset LastViewedAt);
    public sealed record SendMessageRequest(string? ChannelId, string? Content, string? ReplyingToMessageId, string? ClientMessageId,
        string? Visibility = null, Poll? Poll = null, List<AttachmentRef?>? Attachments = null);

    /// <summary>
    /// Follows a conversation. With <paramref name="afterPosition"/> (the last position the client
    /// saw) the missed events come first, then live ones, each once and in order; with null, events
    /// from now on. Returns the position events start after. Subscribing again replaces the old one.
    /// </summary>
    public async Task<Subscribed> Subscribe(string channelId, long? afterPosition)
    {
        var key = $"channel:{channelId}";
        var subscribed = await notifier.SubscribeChannelAsync(Actor, channelId, afterPosition, SendToCaller(key), Context.ConnectionAborted);
        var subscription = OrRefuse(subscribed);
        Subscriptions.Replace(key, subscription);
        return new Subscribed(channelId, subscription.StartPosition);
    }

    public Task Unsubscribe(string channelId)
    {
        Subscriptions.Remove($"channel:{channelId}");
        return Task.CompletedTask;
    }

    /// <summary>
    /// The team's view of a company's support inbox: events of all its support chats (new chats,
    /// status changes, messages, reads), live. The caller's company (or the default one) unless given.
    /// </summary>
    public async Task<InboxSubscribed> SubscribeInbox(string? companyId)
    {
        companyId ??= Actor.CompanyId ?? await defaultCompany.IdAsync(Context.ConnectionAborted);
        var subscription = OrRefuse(await notifier.SubscribeInboxAsync(Actor, companyId, SendToCaller("inbox"), Context.ConnectionAborted));
        Subscriptions.Replace("inbox", subscription);
        return new InboxSubscribed(companyId);
    }

    public Task UnsubscribeInbox()
    {
        Subscriptions.Remove("inbox");
        return Task.CompletedTask;
    }

    /// <summary>The caller's own DMs and support chats (as a customer), including ones they are added to later; live.</summary>
    public async Task SubscribeConversations()
    {
        var subscription = OrRefuse(await notifier.SubscribeConversationsAsync(Actor, SendToCaller("conversations"), Context.ConnectionAborted));
        Subscriptions.Replace("conversations", subscription);
    }

    public Task UnsubscribeConversations()
    {
        Subscriptions.Remove("conversations");
        return Task.CompletedTask;
    }

    /// <summary>Call every few seconds while the person types; it lapses by itself after <see cref="TypingTracker.Lifetime"/>.</summary>
    public async Task StartTyping(string channelId) =>
        OrRefuse(await typing.StartAsync(Actor, channelId, ct: Context.ConnectionAborted));

    /// <summary><see cref="StartTyping"/> for an internal note: the team's alone (the customer is never told).</summary>
    public async Task StartTypingNote(string channelId) =>
        OrRefuse(await typing.StartAsync(Actor, channelId, note: true, Context.ConnectionAborted));

    /// <summary>Stops the caller's typing in the chat, a reply's and a note's.</summary>
    public async Task StopTyping(string channelId) =>
        OrRefuse(await typing.StopAsync(Actor, channelId, ct: Context.ConnectionAborted));

    /// <summary>
    /// The caller (a person of the team) has the support chat open: the team sees them among its viewers until
    /// <see cref="LeaveChannel"/> or the connection ends. Returns who is viewing it now. At most
    /// <see cref="ChatViewers.MaxChatsPerConnection"/> chats per connection.
    /// </summary>
    public async Task<IReadOnlyList<UserSummary>> ViewChannel(string channelId)
    {
        var open = Viewings;
        lock (open)
        {
            if (open.ContainsKey(channelId)) return viewers.Of(channelId);
            if (open.Count >= ChatViewers.MaxChatsPerConnection)
                throw new HubException($"invalid_request: At most {ChatViewers.MaxChatsPerConnection} chats open per connection; leave one first.");
        }
        var viewing = OrRefuse(await viewers.ViewAsync(Actor, channelId, Context.ConnectionAborted));
        lock (open)
        {
            if (!open.TryAdd(channelId, viewing)) viewing.Dispose();
        }
        return viewers.Of(channelId);
    }

    public Task LeaveChannel(string channelId)
    {
        Viewing? viewing;
        lock (Viewings) Viewings.Remove(channelId, out viewing);
        viewing?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Who of the team is viewing the support chat now; the team alone may ask.</summary>
    public async Task<IReadOnlyList<UserSummary>> Viewers(string channelId) =>
        OrRefuse(await viewers.ViewersAsync(Actor, channelId, Context.ConnectionAborted));

    public async Task<MarkedRead> MarkRead(string channelId) =>
        new(channelId, OrRefuse(await reads.MarkReadAsync(Actor, channelId, Context.ConnectionAborted)));

    /// <summary>
    /// Sends a message, as <c>POST /messages</c> does. It is in the database when this returns; give
    /// <c>client_message_id</c> and a retry (after a dropped connection, say) returns the same message.
    /// </summary>
    public async Task<MessageResponse> SendMessage(SendMessageRequest request)
    {
        var visibility = OrRefuse(ParseVisibility(request.Visibility)) ?? MessageVisibility.Everyone;
        var sent = await messages.CreateAsync(Actor, request.ChannelId, request.Content, request.ReplyingToMessageId, request.ClientMessageId,
            visibility, request.Poll?.AsInput(), AttachmentIds(request.Attachments), Context.ConnectionAborted);
        return MessageResponse.From(OrRefuse(sent));
    }

    public override Task OnConnectedAsync()
    {
        if (Actor is { Credential: Credential.ApiKey, ApiKeyId: { } keyId }) connections.Track(keyId, Context);
        // A person connected is online (automatic assignment gives chats only to someone who is).
        if (Actor.UserId is { } userId) Context.Items[typeof(Presence)] = presence.Connected(userId);
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        Subscriptions.Clear();
        // A closed connection is not viewing anything: the team sees it go at once.
        List<Viewing> open;
        lock (Viewings)
        {
            open = [.. Viewings.Values];
            Viewings.Clear();
        }
        foreach (var viewing in open) viewing.Dispose();
        if (Context.Items.TryGetValue(typeof(Presence), out var online)) (online as IDisposable)?.Dispose();
        if (Actor is { Credential: Credential.ApiKey, ApiKeyId: { } keyId }) connections.Forget(keyId, Context.ConnectionId);
        return Task.CompletedTask;
    }

    private Actor Actor => Actor.From(Context.User!);

    private Func<ChatEvent, Task> SendToCaller(string subscription)
    {
        var client = hub.Clients.Client(Context.ConnectionId);
        return evt => client.SendAsync(EventMethod, HubEvents.Of(evt), subscription);
    }

    /// <summary>The chats this connection said it has open.</summary>
    private Dictionary<string, Viewing> Viewings =>
        (Dictionary<string, Viewing>)(Context.Items.TryGetValue(typeof(Viewing), out var existing) ? existing! :
            Context.Items[typeof(Viewing)] = new Dictionary<string, Viewing>());

    private ConnectionSubscriptions Subscriptions =>
        (ConnectionSubscriptions)(Context.Items.TryGetValue(typeof(ConnectionSubscriptions), out var existing) ? existing! :
            Context.Items[typeof(ConnectionSubscriptions)] = new ConnectionSubscriptions());

    private static T OrRefuse<T>(Outcome<T> outcome) =>
        outcome.Failure is { } failure ? throw new HubException($"{ErrorType(failure.Kind)}: {failure.Message}") : outcome.Value!;

    /// <summary>The REST API's <c>error.type</c> for the same refusal.</summary>
    private static string ErrorType(FailureKind kind) => kind switch
    {
        FailureKind.Invalid => "invalid_request",
        FailureKind.NotFound => "not_found",
        FailureKind.Forbidden => "forbidden",
        FailureKind.Conflict => "conflict",
        FailureKind.Unavailable => "unavailable",
        _ => "unprocessable",
    };

    /// <summary>One connection's subscriptions, disposed with it.</summary>
    private sealed class ConnectionSubscriptions
    {
        private readonly Dictionary<string, ChatSubscription> _byKey = [];

        public void Replace(string key, ChatSubscription subscription)
        {
            ChatSubscription? old;
            lock (_byKey)
            {
                _byKey.Remove(key, out old);
                _byKey[key] = subscription;
            }
            old?.Dispose();
        }

        public void Remove(string key)
        {
            ChatSubscription? old;
            lock (_byKey) _byKey.Remove(key, out old);
            old?.Dispose();
        }

        public void Clear()
        {
            List<ChatSubscription> all;
            lock (_byKey)
            {
                all = [.. _byKey.Values];
                _byKey.Clear();
            }
            foreach (var subscription in all) subscription.Dispose();
        }
    }
}
