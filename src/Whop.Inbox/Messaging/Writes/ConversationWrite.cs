using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Observability;

namespace Whop.Inbox.Messaging.Writes;

/// <summary>
/// One change to a conversation, start to commit: the transaction and the conversation's lock
/// (from <see cref="ConversationWrites"/>), who the change is by, the messages and system notes it
/// writes, its audit entry and the events that say so, published when (and only if) it commits.
/// A service states what changes; this does the rest in the same order every time.
/// </summary>
/// <example>
/// <code>
/// await using var write = await writes.BeginAsync(actor, chatId, ct);
/// write.Channel.Resolve(...);
/// write.Announce(ChatEventTypes.SupportChatResolved, ...);
/// await write.NoteAsync($"{(await write.ByAsync(ct)).Name} resolved this chat.", ct);
/// write.Audit(AuditActions.SupportChatResolved);
/// await write.CommitAsync(ct);
/// </code>
/// </example>
public sealed class ConversationWrite : IAsyncDisposable
{
    private readonly ChannelAccess _access;
    private readonly ChatEventLog _events;
    private readonly Webhooks.WebhookOutbox _webhooks;
    private bool _wroteDeliveries;
    private readonly List<Announcement> _announcements = [];
    private readonly Dictionary<string, UserSummary> _people = [];
    private readonly Dictionary<string, MessageView> _announced = [];
    private readonly UnreadBookkeeping _unread;
    private Channel? _channel;
    private UserSummary? _by;
    private DateTimeOffset? _lastPosted;
    private bool _attached;
    private readonly InboxMetrics _metrics;
    private readonly Activity? _trace;
    private readonly TimeProvider _clock;
    private readonly long _begun;
    private readonly WriteBatch? _batch;

    internal ConversationWrite(InboxDbContext db, Actor actor, Channel? channel, ChannelAccess access, ChatEventLog events,
        Webhooks.WebhookOutbox webhooks, TimeProvider clock, InboxMetrics metrics, Activity? trace, WriteBatch? batch = null)
    {
        _metrics = metrics;
        _trace = trace;
        _clock = clock;
        _batch = batch;
        _begun = batch?.Begun ?? clock.GetTimestamp();
        _access = access;
        _webhooks = webhooks;
        Db = db;
        Actor = actor;
        _channel = channel;
        _events = events;
        _unread = new UnreadBookkeeping(channel);
        // Strictly after the conversation's last activity, so what this change writes sorts after
        // everything before it, even two sends in the same microsecond.
        var now = clock.UtcNowMicros();
        At = channel is null || now > channel.LastActivityAt ? now : channel.LastActivityAt + Clock.OneMicrosecond;
        // And after what an earlier change of the same batch wrote there (a note moves no activity time).
        if (channel is not null && batch?.LastWritten(channel.Id) is { } earlier && At <= earlier) At = earlier + Clock.OneMicrosecond;
    }

    /// <summary>The change's context, in its transaction: for what only this change does (a reaction row, a member row).</summary>
    public InboxDbContext Db { get; }

    public Actor Actor { get; }

    /// <summary>The conversation, locked and tracked: change it through its own methods.</summary>
    public Channel Channel => _channel ?? throw new InvalidOperationException("Create the conversation first.");

    /// <summary>When the change happens.</summary>
    public DateTimeOffset At { get; }

    /// <summary>Whether the actor may take the action on this (locked) conversation, asked on this change's connection; null when allowed.</summary>
    public async Task<Failure?> CheckAsync(Func<Channel, InboxAction> actionFor, CancellationToken ct)
    {
        var (refused, person) = await _access.CheckAndNameAsync(Actor, Channel, actionFor, ct, Db);
        // The same query named the person: the author of what the change writes, with no second query.
        if (person is not null) _people[person.Id] = person;
        return refused;
    }

    /// <summary>
    /// Whether the actor may take the action on <paramref name="channelId"/>, the conversation this change
    /// was begun for: not found when it is gone (deleted before its lock was taken), else <see cref="CheckAsync"/>.
    /// </summary>
    internal async Task<Failure?> CheckExistingAsync(string channelId, Func<Channel, InboxAction> actionFor, CancellationToken ct) =>
        _channel is null ? ChannelAccess.NotFound(channelId) : await CheckAsync(actionFor, ct);

    /// <summary>A conversation this change creates (after <see cref="ConversationWrites.BeginNewAsync"/>).</summary>
    public void Create(Channel channel, IEnumerable<ChannelMember> members)
    {
        if (_channel is not null) throw new InvalidOperationException("This change already has its conversation.");
        _channel = channel;
        Db.Channels.Add(channel);
        Db.ChannelMembers.AddRange(members);
    }

    /// <summary>
    /// Who the change is by: the person acting, or for an API key its company's integration user (made
    /// on first use). Looked up once per write.
    /// </summary>
    public async Task<UserSummary> ByAsync(CancellationToken ct)
    {
        if (_by is not null) return _by;
        var id = Actor.UserId ?? await Db.IntegrationUserIdAsync(Channel.CompanyId!, At, ct);
        _by = await PersonAsync(id, ct);
        return _by;
    }

    /// <summary>
    /// Who the actor is as the author of what is already there (to edit, delete or un-react their own):
    /// the person, or for their company's API key its integration user; null for a key of no company.
    /// </summary>
    public Task<string?> ActingUserIdAsync(CancellationToken ct) => Db.ActingUserIdAsync(Actor, Channel.CompanyId, At, ct);

    /// <summary>A person's name as messages and events show it; each person is looked up once per write.</summary>
    public async Task<UserSummary> PersonAsync(string userId, CancellationToken ct)
    {
        if (_people.TryGetValue(userId, out var known)) return known;
        var found = (await Db.SummariesAsync([userId], ct))[userId];
        _people[userId] = found;
        return found;
    }

    /// <summary>
    /// Writes a message, announced as <c>message.created</c> in the order it was written; a note (visibility
    /// team) only to the team. <paramref name="mentions"/> are the people it mentions, already resolved.
    /// </summary>
    public Message Post(string authorId, string content, MessageType type, string? replyingToMessageId = null, string? clientMessageId = null,
        MessageVisibility visibility = MessageVisibility.Everyone, string[]? mentions = null, string[]? pollOptions = null)
    {
        var message = new Message(Channel.Id, authorId, content, type, replyingToMessageId, NextAt(), clientMessageId, visibility, mentions,
            pollOptions);
        Db.Messages.Add(message);
        _unread.Posted(Db.Dialect, Channel, message);
        _unread.Mentioned(Db.Dialect, Channel, message, message.Mentions);
        _announcements.Add(new Announcement(ChatEventTypes.MessageCreated, message, Stored: true, ReachOf(message)));
        return message;
    }

    /// <summary>
    /// A system note by whoever makes the change ("Maya Chen resolved this chat."); with
    /// <see cref="MessageVisibility.Team"/>, one only the team sees ("Maya assigned this chat to Omar.").
    /// </summary>
    public async Task<Message> NoteAsync(string text, CancellationToken ct, MessageVisibility visibility = MessageVisibility.Everyone) =>
        Post((await ByAsync(ct)).Id, text, MessageType.System, visibility: visibility);

    /// <summary>Who may be told of what happens to a message: a note's events reach only the team.</summary>
    public static EventReach ReachOf(Message message) => message.IsNote ? EventReach.Team : EventReach.Everyone;

    /// <summary>Deletes a message (softly: the audit trail keeps it); the caller announces it.</summary>
    public void Delete(Message message, string? byUserId)
    {
        message.Delete(byUserId, At);
        _unread.Deleted(Db.Dialect, Channel, message);
    }

    /// <summary>This change attached files to a message it writes: its event carries them.</summary>
    public void Attached() => _attached = true;

    /// <summary>A person has read the conversation up to <paramref name="at"/>: their read mark and unread count.</summary>
    public void MarkRead(string userId, DateTimeOffset at) => _unread.ReadTo(Db.Dialect, Channel, userId, at);

    /// <summary>A member this change adds: their row, and everything already written (not theirs) is unread for them.</summary>
    public void Joined(ChannelMember member)
    {
        Db.ChannelMembers.Add(member);
        _unread.Joined(Channel, member.UserId);
    }

    /// <summary>A message this change edited, pinned or unpinned, announced as <c>message.edited</c>.</summary>
    public void Edited(Message message, IEnumerable<string>? newlyMentioned = null)
    {
        _unread.Mentioned(Db.Dialect, Channel, message, newlyMentioned ?? []);
        _announcements.Add(new Announcement(ChatEventTypes.MessageEdited, message, Stored: true, ReachOf(message)));
    }

    /// <summary>An event about the change, published with the others in the order they were announced; to <paramref name="reach"/> only.</summary>
    public void Announce(string type, object data, EventReach reach = EventReach.Everyone) =>
        _announcements.Add(new Announcement(type, data, Stored: true, reach));

    /// <summary>The last event of a conversation this change deletes: published, not stored (its log goes with it).</summary>
    public void AnnounceLast(string type, object data) => _announcements.Add(new Announcement(type, data, Stored: false, EventReach.Everyone));

    /// <summary>The audit trail's entry for this change, by the actor, at the change's time.</summary>
    public void Audit(string action, string? targetUserId = null, string? detail = null) =>
        Db.Record(Actor, action, Channel.CompanyId, At, Channel.Id, targetUserId, detail);

    /// <summary>
    /// Writes what the change has so far and its events, without committing: for a change that goes
    /// on with statements of its own (deleting the conversation), which must come after its last event.
    /// </summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        // The views first (they read authors, mentions and reactions, not the new rows), so the change,
        // its audit entry and its events go to the database in one save.
        var messages = _announcements.Select(a => a.Data).OfType<Message>().ToList();
        if (messages.Count > 0)
        {
            var views = await MessageViews.ForAsync(Db, messages, ct,
                withReactions: _announcements.Any(a => a.Type == ChatEventTypes.MessageEdited), known: _people.Values,
                withAttachments: _attached || _announcements.Any(a => a.Type == ChatEventTypes.MessageEdited));
            foreach (var (id, view) in views) _announced[id] = view;
        }
        var staged = _events.Stage(Db, Channel, _announcements
            .Select(a => (a.Type, a.Data is Message m ? new MessageEvent(_announced[m.Id], m.ClientMessageId) : a.Data, a.Stored, a.Reach))
            .ToList());
        _announcements.Clear();
        // The webhook deliveries of the events (none for a company without endpoints), in the same command.
        var deliveries = await _webhooks.StatementsAsync(Db, Channel, staged, id => PersonAsync(id, ct), ct);
        _wroteDeliveries |= deliveries.Count > 0;
        await Db.SaveChangesAsync(ct);
        // After the save, in one more round trip: the unread counts (taken from the rows the save wrote),
        // the webhook deliveries and, where the database carries them, the events' notifications.
        await SqlStatements.ExecuteAsync(Db,
            [.. _unread.TakeStatements(Db.Dialect, Channel), .. deliveries, .. _events.PublishAtCommit(Db, staged)], ct);
    }

    /// <summary>Writes the change and its events and commits: the events are published now, and only now.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (_batch is not null) throw new InvalidOperationException("A change in a batch is written with FlushAsync; the batch commits.");
        await FlushAsync(ct);
        await Db.Database.CommitTransactionAsync(ct);
        Committed();
    }

    /// <summary>What follows the commit (of this change, or of the batch it was written in).</summary>
    internal void Committed()
    {
        if (_wroteDeliveries) _webhooks.Commit();
        _metrics.Committed(_channel?.Kind, _clock.GetElapsedTime(_begun));
        _trace?.SetTag("inbox.committed", true);
    }

    /// <summary>The time of the last message this change wrote, if any: a later change of the same batch writes after it.</summary>
    internal DateTimeOffset? LastPosted => _lastPosted;

    /// <summary>A message as this change announced it: the caller's answer, with no query.</summary>
    public MessageView ViewOf(Message message) => _announced[message.Id];

    /// <summary>Messages as clients see them, read in this change's transaction.</summary>
    public Task<Dictionary<string, MessageView>> ViewsAsync(IReadOnlyList<Message> messages, CancellationToken ct) =>
        MessageViews.ForAsync(Db, messages, ct, withReactions: true, known: _people.Values);

    /// <summary>Without a commit, nothing of the change stays and nothing is announced (a batch's context is the batch's to end).</summary>
    public ValueTask DisposeAsync()
    {
        _trace?.Dispose();
        return _batch is null ? Db.DisposeAsync() : ValueTask.CompletedTask;
    }

    /// <summary>Each message a microsecond after the one before it in the same change, so they keep their order.</summary>
    private DateTimeOffset NextAt()
    {
        _lastPosted = _lastPosted is { } last ? last + Clock.OneMicrosecond : At;
        return _lastPosted.Value;
    }

    private sealed record Announcement(string Type, object Data, bool Stored, EventReach Reach);
}
