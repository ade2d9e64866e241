using System.Text.Json;
using System.Text.Json.Serialization;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>The <c>type</c> of a <see cref="ChatEvent"/>.</summary>
public static class ChatEventTypes
{
    /// <summary>Data: <see cref="MessageEvent"/>. Also for system messages (resolve, members, renames).</summary>
    public const string MessageCreated = "message.created";
    /// <summary>Data: <see cref="MessageEvent"/>: its content was edited or it was pinned or unpinned.</summary>
    public const string MessageEdited = "message.edited";
    public const string MessageDeleted = "message.deleted";
    public const string ReactionChanged = "reaction.changed";
    public const string SupportChatCreated = "support_chat.created";
    public const string SupportChatResolved = "support_chat.resolved";
    public const string SupportChatReopened = "support_chat.reopened";
    /// <summary>Data: <see cref="SupportChatAssigned"/>. The team's alone (<see cref="EventReach.Team"/>).</summary>
    public const string SupportChatAssigned = "support_chat.assigned";
    /// <summary>Data: <see cref="SupportChatSnoozed"/>. The team's alone (<see cref="EventReach.Team"/>).</summary>
    public const string SupportChatSnoozed = "support_chat.snoozed";
    /// <summary>Data: <see cref="SupportChatWoke"/>: back to Open. The team's alone (<see cref="EventReach.Team"/>).</summary>
    public const string SupportChatWoke = "support_chat.woke";
    /// <summary>Data: <see cref="SupportChatLabeled"/>. The team's alone.</summary>
    public const string SupportChatLabeled = "support_chat.labeled";
    /// <summary>Data: <see cref="SupportChatPrioritized"/>. The team's alone.</summary>
    public const string SupportChatPrioritized = "support_chat.prioritized";
    public const string DmCreated = "dm.created";
    public const string DmRenamed = "dm.renamed";
    /// <summary>The last event of a DM: its log is deleted with it, so no one can catch up past this.</summary>
    public const string DmDeleted = "dm.deleted";
    public const string MemberAdded = "member.added";
    public const string MemberRemoved = "member.removed";
    public const string ReadChanged = "read.changed";

    /// <summary>Ephemeral (no position, not in the log): it expires by itself at <see cref="Typing.ExpiresAt"/>.</summary>
    public const string TypingStarted = "typing.started";
    public const string TypingStopped = "typing.stopped";

    /// <summary>
    /// Ephemeral, the team's alone (<see cref="EventReach.Team"/>): who of the team has the support chat open now, all of
    /// them (data: <see cref="ViewersChanged"/>). Sent when the set changes; never in the log.
    /// </summary>
    public const string ViewersChanged = "viewers.changed";

    /// <summary>Not from the log but about the subscription: the viewer may no longer see this; nothing more follows.</summary>
    public const string AccessRevoked = "access.revoked";

    /// <summary>
    /// Events may have been missed; reload what the subscription keeps current. Feeds (inbox,
    /// conversations) get it when this instance lost its database listener or the subscriber fell too
    /// far behind; a conversation gets it (with its channel id) when it catches up from further back
    /// than the log keeps, and its events go on from the oldest kept one.
    /// </summary>
    public const string Resync = "resync";

    internal static Type? DataType(string type) => type switch
    {
        MessageCreated or MessageEdited => typeof(MessageEvent),
        MessageDeleted => typeof(MessageDeleted),
        ReactionChanged => typeof(ReactionChanged),
        SupportChatCreated or SupportChatResolved or SupportChatReopened => typeof(SupportChatChanged),
        SupportChatAssigned => typeof(SupportChatAssigned),
        SupportChatSnoozed => typeof(SupportChatSnoozed),
        SupportChatWoke => typeof(SupportChatWoke),
        SupportChatLabeled => typeof(SupportChatLabeled),
        SupportChatPrioritized => typeof(SupportChatPrioritized),
        DmCreated => typeof(DmCreated),
        DmRenamed => typeof(DmRenamed),
        DmDeleted => typeof(DmDeleted),
        MemberAdded => typeof(MemberAdded),
        MemberRemoved => typeof(MemberRemoved),
        ReadChanged => typeof(ReadChanged),
        TypingStarted or TypingStopped => typeof(Typing),
        ViewersChanged => typeof(ViewersChanged),
        _ => null,
    };
}

/// <summary>
/// The channel as it stood right after the event (taken under the channel's row lock, so it agrees
/// with the position): lists re-sort and move rows between status tabs from it without a query.
/// <see cref="StatusBefore"/> is a support chat's status as the previous event left it (null for its
/// first event, or when not known), so a tab count can move a chat from one status to another.
/// An event that changes nothing (typing, which has no position) says only whose channel it is
/// (<see cref="Kind"/>, <see cref="CompanyId"/>, <see cref="CustomerId"/>, so it reaches the right
/// people) and nothing of its state: every state field is null, as what it knew could be out of date.
/// <see cref="AssigneeId"/>, <see cref="LabelIds"/> and <see cref="Priority"/> are the team's (see <see cref="ChatEvent.OutsideTheTeam"/>).
/// </summary>
public sealed record ChannelSnapshot(
    ChannelKind Kind, string? CompanyId, string? CustomerId, SupportStatus? Status, string? CustomName, int? MemberCount,
    DateTimeOffset? LastActivityAt, DateTimeOffset? LastMessageAt, SupportStatus? StatusBefore = null, string? AssigneeId = null,
    IReadOnlyList<string>? LabelIds = null, ChatPriority? Priority = null)
{
    /// <summary>Where the channel stands now, for an event of a change (its status before is set by the log).</summary>
    internal static ChannelSnapshot Of(Channel c) =>
        new(c.Kind, c.CompanyId, c.CustomerId, c.Status, c.CustomName, c.MemberCount, c.LastActivityAt, c.LastMessageAt, c.Status, c.AssigneeId,
            c.IsSupport ? c.LabelIds : null, c.IsSupport ? c.Priority : null);

    /// <summary>Where a support chat sits for the inbox's filters, as this event tells it.</summary>
    public Support.ChatPlacement Placement => new(CompanyId, CustomerId, Status, AssigneeId, LabelIds ?? [], Priority ?? ChatPriority.None);

    /// <summary>Whose channel it is and nothing more, for an event that changes nothing about it (typing).</summary>
    internal static ChannelSnapshot Whose(Channel c) => new(c.Kind, c.CompanyId, c.CustomerId, null, null, null, null, null);
}

/// <summary>Who may be told of an event: everyone who reads the conversation, or only the company's team.</summary>
public enum EventReach
{
    Everyone,
    /// <summary>A note, what happens to one, an assignment: never the customer, on any instance.</summary>
    Team,
}

/// <summary>
/// One thing that happened in a conversation. <see cref="Position"/> counts the channel's events
/// 1, 2, 3… with no gaps, in commit order; a subscriber that remembers the last position it saw
/// can catch up from it and will see every later event exactly once. Ephemeral events (typing)
/// and subscription notices have no position. <see cref="Reach"/> says who may be told (each
/// subscription's <see cref="Audience"/> decides per event); a subscriber that may not is skipped past it.
/// </summary>
public sealed record ChatEvent(string Type, string ChannelId, long? Position, DateTimeOffset At, ChannelSnapshot? Channel, object? Data,
    EventReach Reach = EventReach.Everyone)
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ChatEvent, ChatEvent> OutsideForms = [];

    /// <summary>
    /// The event as someone outside the team receives it (the customer): the chat's assignee, labels and priority
    /// left out. The same instance for every such subscriber, so the hub serialises it once.
    /// </summary>
    public ChatEvent OutsideTheTeam() =>
        Channel is null or { AssigneeId: null, LabelIds: null, Priority: null }
            ? this
            : OutsideForms.GetValue(this, e => e with { Channel = e.Channel! with { AssigneeId = null, LabelIds = null, Priority = null } });

    /// <summary>The data as its type for this event, e.g. <c>evt.DataAs&lt;MessageEvent&gt;()</c>; null when it is another kind.</summary>
    public T? DataAs<T>() where T : class => Data as T;

    internal static ChatEvent Notice(string type, string channelId, DateTimeOffset at) => new(type, channelId, null, at, null, null);
}

// The data of each event type: the domain's view of the change. The hub and the pages each take it
// from here; what the hub's clients receive is mapped once per event (see HubEvents).

/// <summary>A message as every client sees it, and the idempotency key it was sent with.</summary>
public sealed record MessageEvent(MessageView Message, string? ClientMessageId)
{
    public bool IsFrom(string? userId) => userId is not null && Message.User.Id == userId;
}

/// <summary>Who wrote the deleted message and when, so unread counts can drop without a query.</summary>
public sealed record MessageDeleted(string MessageId, string? AuthorId, DateTimeOffset CreatedAt, string? DeletedById);

/// <summary>
/// One user's emoji added or removed, and the message's counts after it. A poll vote is a reaction too (as in Whop's
/// API): <see cref="Emoji"/> null, <see cref="PollOptionId"/> the option voted for (<see cref="Added"/>) or withdrawn from,
/// and <see cref="PollVotes"/> every option's count after it. A vote that moves is one event: added, to the new option.
/// </summary>
public sealed record ReactionChanged(string MessageId, string? Emoji, string UserId, bool Added, IReadOnlyList<ReactionCount> ReactionCounts,
    string? PollOptionId = null, IReadOnlyList<PollVoteCount>? PollVotes = null);

/// <summary>A support chat was opened, resolved or reopened; its status is in the channel snapshot.</summary>
public sealed record SupportChatChanged(UserSummary Customer, string? ByUserId);

/// <summary>A support chat's assignee changed (null: nobody); <see cref="ByUserId"/> null when automatic assignment did it.</summary>
public sealed record SupportChatAssigned(UserSummary? Before, UserSummary? After, string? ByUserId);

/// <summary>
/// A support chat was snoozed until <see cref="Until"/>, or until the customer replies (<see cref="Until"/> null);
/// a chat snoozed again while asleep gets a new one.
/// </summary>
public sealed record SupportChatSnoozed(DateTimeOffset? Until, bool UntilCustomerReplies, string? ByUserId);

/// <summary>Why a snoozed chat woke.</summary>
public enum WakeReason
{
    /// <summary>Its wake-up time came.</summary>
    Time,
    /// <summary>The customer wrote.</summary>
    CustomerReplied,
    /// <summary>Someone woke it by hand (<see cref="SupportChatWoke.ByUserId"/>).</summary>
    Hand,
}

/// <summary>
/// A snoozed chat is back to Open: <see cref="AssigneeId"/> is told (its inbox shows a notice). <see cref="Until"/>
/// is the time it had been snoozed until (null when it waited for the customer).
/// </summary>
public sealed record SupportChatWoke(WakeReason Reason, DateTimeOffset? Until, string? AssigneeId, string? ByUserId);
/// <summary>A support chat's labels changed: what came and went, and all of them after (by name).</summary>
public sealed record SupportChatLabeled(IReadOnlyList<LabelView> Added, IReadOnlyList<LabelView> Removed, IReadOnlyList<LabelView> Labels,
    string? ByUserId);

/// <summary>A support chat's priority changed.</summary>
public sealed record SupportChatPrioritized(ChatPriority Before, ChatPriority After, string? ByUserId);

public sealed record DmCreated(IReadOnlyList<string> MemberIds, string? CreatedById);

public sealed record DmRenamed(string? CustomName, string? ByUserId);

/// <summary>The members it had, so their conversation lists can drop it.</summary>
public sealed record DmDeleted(IReadOnlyList<string> MemberIds, string? ByUserId);

public sealed record MemberAdded(string MemberId, UserSummary User, string? ByUserId);

public sealed record MemberRemoved(string MemberId, string UserId, bool Left, string? ByUserId);

/// <summary>A person read the conversation up to <see cref="LastViewedAt"/>.</summary>
public sealed record ReadChanged(string UserId, DateTimeOffset LastViewedAt);

/// <summary>
/// Someone is typing (until <see cref="ExpiresAt"/> unless renewed), or stopped: a reply, or (<see cref="Note"/>)
/// an internal note, which only the team is told of.
/// </summary>
public sealed record Typing(UserSummary User, DateTimeOffset? ExpiresAt, bool Note = false);

/// <summary>Everyone of the team who has the support chat open now (on any instance), by name.</summary>
public sealed record ViewersChanged(IReadOnlyList<UserSummary> Viewers);

/// <summary>Events as JSON: the log, the notifications between instances and the hub all use this one shape.</summary>
public static class ChatJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiSetup.Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize(ChatEvent evt) => JsonSerializer.Serialize(evt, Options);

    /// <summary>Reads an event back, with its data as the record its type names.</summary>
    public static ChatEvent Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var type = root.GetProperty("type").GetString()!;
        object? data = null;
        if (root.TryGetProperty("data", out var element) && element.ValueKind != JsonValueKind.Null)
        {
            data = ChatEventTypes.DataType(type) is { } dataType ? element.Deserialize(dataType, Options) : element.Clone();
        }
        return new ChatEvent(
            type,
            root.GetProperty("channel_id").GetString()!,
            root.TryGetProperty("position", out var position) && position.ValueKind == JsonValueKind.Number ? position.GetInt64() : null,
            root.GetProperty("at").GetDateTimeOffset(),
            root.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object
                ? channel.Deserialize<ChannelSnapshot>(Options) : null,
            data,
            root.TryGetProperty("reach", out var reach) && reach.ValueKind == JsonValueKind.String
                ? reach.Deserialize<EventReach>(Options) : EventReach.Everyone);
    }
}
