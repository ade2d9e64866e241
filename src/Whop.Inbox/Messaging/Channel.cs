using Whop.Inbox.Data;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Messaging;

public enum ChannelKind
{
    Support,
    Dm,
}

/// <summary>Where a support chat stands in the team's workflow.</summary>
public enum SupportStatus
{
    /// <summary>Awaiting the team: not resolved, and the customer spoke last.</summary>
    Open,
    /// <summary>Not resolved, and the team spoke last (or nobody has yet): the ball is with the customer.</summary>
    Waiting,
    Resolved,
    /// <summary>
    /// Set aside by the team until a time (<see cref="Channel.SnoozedUntil"/>) or until the customer writes
    /// (<see cref="Channel.SnoozedUntilCustomerReplies"/>): neither awaiting the team nor resolved. It wakes to <see cref="Open"/>.
    /// </summary>
    Snoozed,
}

/// <summary>
/// A conversation (<c>feed_</c>): either a support chat between one customer and a company, or a
/// DM among 2 to 50 members, optionally scoped to a company.
/// </summary>
public sealed class Channel
{
    public const int MaxDmMembers = 50;
    public const int MaxCustomNameLength = 100;

    private Channel() { }

    private Channel(ChannelKind kind, string? companyId, string? customName, DateTimeOffset createdAt)
    {
        Id = PublicId.New(PublicId.Channel);
        Kind = kind;
        CompanyId = companyId;
        CustomName = customName;
        CreatedAt = createdAt;
        LastActivityAt = createdAt;
    }

    public static Channel NewSupportChat(string companyId, string customerId, string? customName, DateTimeOffset at) =>
        new(ChannelKind.Support, companyId, customName, at) { CustomerId = customerId, Status = SupportStatus.Waiting };

    public static Channel NewDm(string? companyId, string? createdById, string? customName, DateTimeOffset at) =>
        new(ChannelKind.Dm, companyId, customName, at) { CreatedById = createdById };

    public string Id { get; private set; } = "";
    public ChannelKind Kind { get; private set; }

    /// <summary>Support: the company answering. DM: the company scope, or null for an unscoped DM.</summary>
    public string? CompanyId { get; private set; }

    /// <summary>Support chats only: the customer.</summary>
    public string? CustomerId { get; private set; }

    public string? CustomName { get; private set; }

    /// <summary>DMs only: the creator, who administers the DM.</summary>
    public string? CreatedById { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the last message was sent; null until there is one (as Whop's API reports it).</summary>
    public DateTimeOffset? LastMessageAt { get; private set; }

    /// <summary>
    /// The sort key of inbox and DM lists, denormalised so they sort without touching messages:
    /// the last message's time, or the creation time before any message.
    /// </summary>
    public DateTimeOffset LastActivityAt { get; private set; }

    /// <summary>Support chats only.</summary>
    public SupportStatus? Status { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? ResolvedById { get; private set; }

    /// <summary>Support chats only: the team member who has it, or null when nobody does.</summary>
    public string? AssigneeId { get; private set; }

    /// <summary>A snoozed chat's wake-up time; null when awake, and when it sleeps until the customer replies.</summary>
    public DateTimeOffset? SnoozedUntil { get; private set; }

    /// <summary>A snoozed chat that wakes only when the customer writes (no wake-up time).</summary>
    public bool SnoozedUntilCustomerReplies { get; private set; }

    public bool IsSnoozed => Status == SupportStatus.Snoozed;
    /// <summary>Support chats only: how urgent the team finds it (none until someone says).</summary>
    public ChatPriority Priority { get; private set; }

    /// <summary>
    /// Support chats only: the ids of its labels, ordinal order, space-separated. Kept on write beside the
    /// <see cref="LabelLinks"/> rows (which the inbox's label filter reads) so every event of the chat can say
    /// which labels it has without a query.
    /// </summary>
    internal string LabelIdList { get; private set; } = "";

    /// <summary>The ids of the chat's labels, as <see cref="LabelIdList"/> keeps them.</summary>
    public IReadOnlyList<string> LabelIds => LabelIdList.Length == 0 ? [] : LabelIdList.Split(' ');

    /// <summary>The chat's label rows: for queries only (never loaded); changes go through <see cref="Support.Labels.Labels"/>.</summary>
    public IReadOnlyCollection<ChatLabel> LabelLinks => _labelLinks;
    private readonly List<ChatLabel> _labelLinks = [];

    /// <summary>Support chats only: when the customer first wrote (not a system note in their name); null until they do.</summary>
    public DateTimeOffset? FirstCustomerMessageAt { get; private set; }

    /// <summary>
    /// Support chats only: the team's first reply after the customer first wrote (a person's reply the customer sees:
    /// not a note, a system note or an integration's message). Set once; a reopen does not set it again.
    /// </summary>
    public DateTimeOffset? FirstResponseAt { get; private set; }

    /// <summary>Who wrote the first response.</summary>
    public string? FirstResponderId { get; private set; }

    /// <summary>Business time, in seconds, from the customer's first message to the first response.</summary>
    public double? FirstResponseSeconds { get; private set; }

    /// <summary>
    /// Business time, in seconds, from the chat's creation to its latest resolve; null while it is not resolved
    /// (a reopen clears it, the next resolve measures again from the creation).
    /// </summary>
    public double? ResolutionSeconds { get; private set; }

    /// <summary>How many times the chat was reopened after a resolve (by the team or by the customer writing again).</summary>
    public int ReopenCount { get; private set; }

    /// <summary>DMs: members right now. The database refuses more than <see cref="MaxDmMembers"/>.</summary>
    public int MemberCount { get; private set; }

    /// <summary>
    /// Messages that can be unread (<see cref="Message.CountsAsUnread"/>, not deleted): what a reader
    /// with no read mark has unread. Kept on write with the members' counts.
    /// </summary>
    public int MessageCount { get; private set; }

    /// <summary>
    /// The position of the channel's last real-time event (0 before any). Only the event log moves it,
    /// with an atomic increment in the transaction that makes the change, so positions follow commits.
    /// </summary>
    public long EventPosition { get; private set; }

    public bool IsSupport => Kind == ChannelKind.Support;
    public bool IsDm => Kind == ChannelKind.Dm;

    public void Rename(string? customName) => CustomName = customName;

    /// <summary>
    /// Adds a member to a DM being built in memory. Adding to an existing DM goes through an
    /// atomic update of <see cref="MemberCount"/> instead, so two concurrent adds cannot pass 50.
    /// </summary>
    public ChannelMember AddMember(string userId, DateTimeOffset at)
    {
        if (!IsDm) throw new InvalidOperationException("Only DMs have a member list to add to.");
        if (MemberCount >= MaxDmMembers) throw new InvalidOperationException($"A DM has at most {MaxDmMembers} members.");
        MemberCount++;
        return new ChannelMember(Id, userId, at);
    }

    /// <summary>
    /// The shadow column in which the event log keeps the status the chat's last event announced, so
    /// the next event can tell what changed.
    /// </summary>
    public void RemoveMember()
    {
        if (!IsDm) throw new InvalidOperationException("Only DMs have a member list to remove from.");
        MemberCount--;
    }

    /// <summary>
    /// Takes the next <paramref name="count"/> event positions, returning the first. Only under the
    /// conversation's lock (a <c>ConversationWrite</c>), so positions have no gaps and follow commit order.
    /// </summary>
    internal long TakeEventPositions(int count)
    {
        var first = EventPosition + 1;
        EventPosition += count;
        return first;
    }

    /// <summary>A message that can be unread was written (true) or deleted (false). Only under the conversation's lock.</summary>
    internal void CountMessage(bool added) => MessageCount += added ? 1 : -1;

    internal const string AnnouncedStatusColumn = "AnnouncedStatus";

    /// <summary>Gives the chat to a team member (or to nobody). The caller checked that they are on the team.</summary>
    public void Assign(string? assigneeId)
    {
        EnsureSupport();
        AssigneeId = assigneeId;
    }

    /// <summary>Sets how urgent the chat is. The caller checked the actor may.</summary>
    public void Prioritize(ChatPriority priority)
    {
        EnsureSupport();
        Priority = priority;
    }

    /// <summary>The chat's labels are now these (the caller writes their rows in the same change).</summary>
    public void Label(IEnumerable<string> labelIds)
    {
        EnsureSupport();
        LabelIdList = string.Join(' ', labelIds.Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>Where the chat sits in the inbox's filters.</summary>
    public Support.ChatPlacement Placement => new(CompanyId, CustomerId, Status, AssigneeId, LabelIds, Priority);

    /// <summary>
    /// Sets the chat aside until <paramref name="until"/>, or until the customer writes (null). The caller
    /// checked that it is not resolved and that the time is ahead.
    /// </summary>
    public void Snooze(DateTimeOffset? until)
    {
        EnsureSupport();
        if (Status == SupportStatus.Resolved) throw new InvalidOperationException("A resolved chat cannot be snoozed.");
        Status = SupportStatus.Snoozed;
        SnoozedUntil = until;
        SnoozedUntilCustomerReplies = until is null;
    }

    /// <summary>A snoozed chat comes back to Open: its time came, the customer wrote, or someone woke it.</summary>
    public void Wake()
    {
        EnsureSupport();
        if (Status != SupportStatus.Snoozed) throw new InvalidOperationException("Only a snoozed chat can wake.");
        Status = SupportStatus.Open;
        ClearSnooze();
    }

    private void ClearSnooze()
    {
        SnoozedUntil = null;
        SnoozedUntilCustomerReplies = false;
    }

    public void Resolve(string byUserId, DateTimeOffset at)
    {
        EnsureSupport();
        ClearSnooze();
        Status = SupportStatus.Resolved;
        ResolvedAt = at;
        ResolvedById = byUserId;
    }

    public void Reopen()
    {
        EnsureSupport();
        if (Status == SupportStatus.Resolved) ReopenCount++;
        Status = SupportStatus.Open;
        ResolvedAt = null;
        ResolvedById = null;
        ResolutionSeconds = null;
    }

    /// <summary>The customer wrote: the first time starts the first-response clock. Rules: <see cref="Support.Reports.ResponseTimes"/>.</summary>
    internal void RecordCustomerMessage(DateTimeOffset at) => FirstCustomerMessageAt ??= at;

    /// <summary>The team's first response, once; the caller measured it in business time.</summary>
    internal void RecordFirstResponse(DateTimeOffset at, string responderId, TimeSpan businessTime)
    {
        if (FirstResponseAt is not null) return;
        FirstResponseAt = at;
        FirstResponderId = responderId;
        FirstResponseSeconds = businessTime.TotalSeconds;
    }

    /// <summary>How long this resolve took, in business time from the chat's creation; the caller just resolved it.</summary>
    internal void RecordResolution(TimeSpan businessTime) => ResolutionSeconds = businessTime.TotalSeconds;

    /// <summary>
    /// Keeps the denormalised activity time and, for support chats, whose turn it is. A customer's
    /// message reopens a resolved chat and wakes a snoozed one; a team reply hands the turn to the customer.
    /// </summary>
    public void RecordMessage(DateTimeOffset at, bool fromCustomer)
    {
        if (LastMessageAt is null || at > LastMessageAt) LastMessageAt = at;
        if (at > LastActivityAt) LastActivityAt = at;
        if (!IsSupport) return;
        if (fromCustomer)
        {
            if (Status == SupportStatus.Resolved) Reopen();
            if (Status == SupportStatus.Snoozed) Wake();
            Status = SupportStatus.Open;
        }
        // A team reply to a snoozed chat leaves it asleep: it was set aside on purpose.
        else if (Status is not (SupportStatus.Resolved or SupportStatus.Snoozed))
        {
            Status = SupportStatus.Waiting;
        }
    }

    private void EnsureSupport()
    {
        if (!IsSupport) throw new InvalidOperationException("Only support chats have an open/resolved workflow.");
    }
}
