using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging.Realtime;

internal enum Verdict
{
    Skip,
    Deliver,
    /// <summary>The last event this subscriber gets (its DM was deleted).</summary>
    DeliverThenEnd,
    /// <summary>Membership changed: deliver, then ask the rights table again.</summary>
    DeliverThenRecheck,
    /// <summary>The viewer may no longer see this: tell them and stop.</summary>
    Revoked,
}

/// <summary>
/// Who a subscription is for and what they may see: the rights table, asked when subscribing and
/// again when membership changes or a minute has passed, so a removed member or a demoted
/// moderator stops receiving events.
/// </summary>
internal abstract class Audience(Actor viewer, TimeProvider clock)
{
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromMinutes(1);
    private DateTimeOffset _checkedAt = clock.GetUtcNow();

    public Actor Viewer => viewer;

    /// <summary>The conversation of a conversation subscription (positions, catch-up); null for live feeds.</summary>
    public virtual string? ChannelId => null;

    /// <summary>Cheap, for every event, on the one dispatcher thread in commit order: might it be for this subscriber?</summary>
    public abstract bool Concerns(ChatEvent evt);

    /// <summary>On the subscription's own loop, in order: exactly what to do with the event.</summary>
    public async ValueTask<Verdict> JudgeAsync(ChatEvent evt, CancellationToken ct)
    {
        // Nobody needs to be told they are typing.
        if (evt.Data is Typing typing && typing.User.Id == viewer.UserId) return Verdict.Skip;
        // The per-event decision: what only the team may know never reaches anyone else.
        if (evt.Reach == EventReach.Team && !IsTeam) return Verdict.Skip;
        var verdict = Judge(evt);
        if (verdict is Verdict.Deliver && clock.GetUtcNow() - _checkedAt > RecheckEvery && !await StillAllowedAsync(ct))
            return Verdict.Revoked;
        return verdict;
    }

    protected abstract Verdict Judge(ChatEvent evt);

    /// <summary>Whether the viewer is on the team of the conversations this audience follows: told of notes and assignments.</summary>
    protected abstract bool IsTeam { get; }

    /// <summary>The event as this viewer receives it: whole for the team, without the team's details for anyone else.</summary>
    public ChatEvent Shape(ChatEvent evt) => IsTeam ? evt : evt.OutsideTheTeam();

    public async ValueTask<bool> StillAllowedAsync(CancellationToken ct)
    {
        _checkedAt = clock.GetUtcNow();
        return await AllowedAsync(ct);
    }

    protected abstract ValueTask<bool> AllowedAsync(CancellationToken ct);

    public abstract string Describe();
}

/// <summary>One conversation the viewer may read; <paramref name="isTeam"/> when they may read its notes.</summary>
internal sealed class ChannelAudience(Actor viewer, string channelId, bool isTeam, ChannelAccess access, TimeProvider clock) : Audience(viewer, clock)
{
    private volatile bool _isTeam = isTeam;

    public override string? ChannelId => channelId;

    protected override bool IsTeam => _isTeam;

    public override bool Concerns(ChatEvent evt) => evt.ChannelId == channelId;

    protected override Verdict Judge(ChatEvent evt) => evt.Type switch
    {
        ChatEventTypes.DmDeleted => Verdict.DeliverThenEnd,
        ChatEventTypes.MemberAdded or ChatEventTypes.MemberRemoved => Verdict.DeliverThenRecheck,
        _ => Verdict.Deliver,
    };

    protected override async ValueTask<bool> AllowedAsync(CancellationToken ct)
    {
        var reader = await access.ReaderAsync(Viewer, channelId, ct);
        _isTeam = reader.Value?.SeesNotes == true;
        return reader.Succeeded;
    }

    public override string Describe() => $"channel {channelId}";
}

/// <summary>A company's support inbox, for its team: every support chat of the company.</summary>
internal sealed class InboxAudience(Actor viewer, string companyId, InboxRights rights, TimeProvider clock) : Audience(viewer, clock)
{
    public string CompanyId => companyId;

    public override bool Concerns(ChatEvent evt) => evt.Channel is { Kind: ChannelKind.Support } c && c.CompanyId == companyId;

    protected override Verdict Judge(ChatEvent evt) => Verdict.Deliver;

    // Following the inbox takes the ListInbox right, which only the team has (asked again on every recheck).
    protected override bool IsTeam => true;

    protected override async ValueTask<bool> AllowedAsync(CancellationToken ct) =>
        await rights.CanAsync(Viewer, InboxAction.ListInbox, companyId, ct);

    public override string Describe() => $"inbox {companyId}";
}

/// <summary>
/// A person's own conversations: the DMs they are in and their support chats as a customer. The
/// set starts from the database and follows the events (created, added, removed, deleted) on the
/// dispatcher, in commit order, so a message right after "added" is never judged against an older
/// set, and no query is needed per event. A token's scopes and company binding apply as everywhere.
/// </summary>
internal sealed class ConversationsAudience(Actor viewer, TimeProvider clock) : Audience(viewer, clock)
{
    private readonly string _me = viewer.UserId ?? throw new ArgumentException("Only a person has conversations.", nameof(viewer));
    private readonly Lock _gate = new();
    private readonly HashSet<string> _mine = [];
    // Until the set is loaded, events that might matter wait here, in order.
    private List<ChatEvent>? _backlog = [];

    /// <summary>
    /// Called once the set is read from the database (after the subscription joined, so nothing slips
    /// between): the waiting events are replayed onto it in order, and those for the viewer offered.
    /// </summary>
    public void Loaded(IEnumerable<string> channelIds, Action<ChatEvent> offer)
    {
        lock (_gate)
        {
            _mine.UnionWith(channelIds);
            foreach (var evt in _backlog ?? []) if (Track(evt)) offer(evt);
            _backlog = null;
        }
    }

    public override bool Concerns(ChatEvent evt)
    {
        lock (_gate)
        {
            if (_backlog is null) return Track(evt);
            if (evt.Channel is { Kind: ChannelKind.Dm } || evt.Channel?.CustomerId == _me) _backlog.Add(evt);
            return false;
        }
    }

    /// <summary>Follows membership (replays of older events are harmless: set operations in commit order).</summary>
    private bool Track(ChatEvent evt)
    {
        switch (evt.Data)
        {
            case DmCreated created when created.MemberIds.Contains(_me):
            case MemberAdded added when added.User.Id == _me:
                _mine.Add(evt.ChannelId);
                return true;
            case MemberRemoved removed when removed.UserId == _me:
            case DmDeleted:
                return _mine.Remove(evt.ChannelId); // the last they hear of it
        }
        if (evt.Channel is { Kind: ChannelKind.Support } channel && channel.CustomerId == _me) _mine.Add(evt.ChannelId);
        return _mine.Contains(evt.ChannelId);
    }

    protected override Verdict Judge(ChatEvent evt) => evt.Channel is { } channel && MaySee(channel) ? Verdict.Deliver : Verdict.Skip;

    // A person's own conversations: their DMs (no notes there) and their support chats as the customer.
    protected override bool IsTeam => false;

    /// <summary>What <see cref="InboxRights"/> would answer for a member or the customer, without the query.</summary>
    private bool MaySee(ChannelSnapshot channel)
    {
        if (Viewer.CompanyId is not null && Viewer.CompanyId != channel.CompanyId) return false;
        var (action, standing) = channel.Kind == ChannelKind.Support
            ? (InboxAction.ReadSupportChat, Standing.Customer)
            : (InboxAction.ReadDm, Standing.DmMember);
        return InboxRights.Allows(Viewer, action, standing);
    }

    // Membership is followed event by event; nothing to ask again.
    protected override ValueTask<bool> AllowedAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public override string Describe() => $"conversations of {_me}";
}
