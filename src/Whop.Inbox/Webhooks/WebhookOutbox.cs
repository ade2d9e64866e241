using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;
using static Whop.Inbox.Common.ApiWire;
using static Whop.Inbox.Messaging.MessagesApi;

namespace Whop.Inbox.Webhooks;

/// <summary>The topics an endpoint can ask for, and which event of the log each one is.</summary>
public static class WebhookTopics
{
    public const string Test = "webhook.test";

    public static readonly IReadOnlyDictionary<string, string> ByEventType = new Dictionary<string, string>
    {
        [ChatEventTypes.MessageCreated] = "message.created",
        [ChatEventTypes.MessageEdited] = "message.updated",
        [ChatEventTypes.MessageDeleted] = "message.deleted",
        [ChatEventTypes.ReactionChanged] = "reaction.changed",
        [ChatEventTypes.SupportChatCreated] = "support_chat.created",
        [ChatEventTypes.SupportChatResolved] = "support_chat.resolved",
        [ChatEventTypes.SupportChatReopened] = "support_chat.reopened",
        [ChatEventTypes.SupportChatAssigned] = "support_chat.assigned",
        [ChatEventTypes.SupportChatSnoozed] = "support_chat.snoozed",
        [ChatEventTypes.SupportChatWoke] = "support_chat.woke",
        [ChatEventTypes.SupportChatLabeled] = "support_chat.labeled",
        [ChatEventTypes.SupportChatPrioritized] = "support_chat.prioritized",
        [ChatEventTypes.DmCreated] = "dm_channel.created",
        [ChatEventTypes.DmRenamed] = "dm_channel.updated",
        [ChatEventTypes.MemberAdded] = "dm_member.added",
        [ChatEventTypes.MemberRemoved] = "dm_member.removed",
    };

    public static readonly IReadOnlySet<string> All = ByEventType.Values.ToHashSet();
}

/// <summary>A delivery's body: Standard Webhooks' <c>{"type", "timestamp", "data"}</c>, <c>data</c> being the REST API's object.</summary>
public sealed record WebhookBody(string Type, DateTimeOffset Timestamp, object Data);

/// <summary>
/// The outbox: a change's events become deliveries in the change's own transaction, one row per endpoint
/// of the company that wants the topic (and, for the team's events, wants team notes), by one statement
/// that rides in the command the change sends after its save anyway. Nothing is written for a company
/// with no endpoint (<see cref="WebhookDirectory"/>), so the send path pays nothing then.
/// </summary>
public sealed class WebhookOutbox(WebhookDirectory directory)
{
    /// <summary>Raised after a change that wrote deliveries commits: this instance's sender starts at once.</summary>
    public event Action? Committed;

    internal void Commit() => Committed?.Invoke();

    public async Task<IReadOnlyList<FormattableString>> StatementsAsync(InboxDbContext db, Channel channel, IReadOnlyList<StagedEvent> staged,
        Func<string, Task<UserSummary>> person, CancellationToken ct)
    {
        if (channel.CompanyId is not { } companyId || !await directory.HasEndpointsAsync(db, companyId, ct)) return [];
        var statements = new List<FormattableString>();
        foreach (var (evt, _, _) in staged)
        {
            if (!WebhookTopics.ByEventType.TryGetValue(evt.Type, out var topic) || evt.Position is not { } position) continue;
            var data = await DataAsync(channel, evt, person);
            var body = JsonSerializer.Serialize(new WebhookBody(topic, evt.At, data), ChatJson.Options);
            var time = db.Dialect.Time(evt.At);
            // One id per event and endpoint: the event's own random part, then the endpoint's.
            var eventId = PublicId.New(WebhookIds.Delivery);
            var teamOnly = evt.Reach == EventReach.Team ? " AND e.include_team_notes" : "";
            statements.Add(FormattableStringFactory.Create($$"""
                INSERT INTO webhook_deliveries (id, endpoint_id, channel_id, position, topic, body, state, attempts, created_at, next_attempt_at)
                SELECT {0} || substr(e.id, {{WebhookIds.Endpoint.Length + 1}}), e.id, {1}, {2}, {3}, {4}, 'pending', 0, {5}, {5}
                FROM webhook_endpoints e
                WHERE e.company_id = {6} AND e.enabled AND e.topics LIKE {7}{{teamOnly}}
                """, eventId + "_", channel.Id, position, topic, body, time, companyId, $"%,{topic},%"));
        }
        return statements;
    }

    /// <summary>The REST API's object for the event: what a receiver would read back with a GET.</summary>
    private static async Task<object> DataAsync(Channel channel, ChatEvent evt, Func<string, Task<UserSummary>> person) => evt.Data switch
    {
        MessageEvent sent => MessageResponse.From(sent.Message),
        MessageDeleted deleted => new { id = deleted.MessageId, channel_id = channel.Id, author_id = deleted.AuthorId, deleted_by_id = deleted.DeletedById },
        ReactionChanged reaction => new
        {
            message_id = reaction.MessageId, channel_id = channel.Id, emoji = reaction.Emoji, user_id = reaction.UserId, added = reaction.Added,
            reaction_counts = reaction.ReactionCounts.Select(r => new ReactionCountResponse(r.Count, r.Emoji)),
            poll_option_id = reaction.PollOptionId, poll_votes = reaction.PollVotes?.Select(v => new PollVoteResponse(v.Count, v.OptionId)),
        },
        SupportChatChanged or SupportChatAssigned or SupportChatLabeled or SupportChatPrioritized
            or SupportChatSnoozed or SupportChatWoke =>
            SupportChannelsApi.SupportChannelResponse.From(SupportChatView.Of(channel,
                evt.Data is SupportChatChanged changed ? changed.Customer : await person(channel.CustomerId!),
                channel.AssigneeId is { } assignee ? await person(assignee) : null,
                // Only a labelling event knows the labels by name; the others carry their ids in the event's channel.
                evt.Data is SupportChatLabeled labeled ? labeled.Labels : [], unread: 0, preview: null)),
        DmCreated or DmRenamed => new DmChannelsApi.DmChannelResponse(channel.Id, channel.CreatedAt, channel.LastMessageAt, channel.CustomName,
            channel.CustomName, channel.CompanyId, channel.MemberCount, 0),
        MemberAdded added => new DmChannelsApi.DmMemberResponse(added.MemberId, channel.Id, added.User.Id, MemberStatus.Accepted, null,
            NotificationPreference.All, UserResponse.From(added.User), evt.At),
        MemberRemoved removed => new { id = removed.MemberId, channel_id = channel.Id, user_id = removed.UserId, left = removed.Left },
        _ => evt.Data ?? new { },
    };
}

/// <summary>
/// Which companies have an endpoint turned on, remembered for a few seconds so a send in a company without
/// webhooks costs no query. A change on this instance is seen at once; on another, within <see cref="Freshness"/>.
/// </summary>
public sealed class WebhookDirectory(TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private volatile Snapshot? _snapshot;

    private sealed record Snapshot(IReadOnlySet<string> Companies, DateTimeOffset ReadAt);

    /// <summary>Asked on the change's own connection (it holds its lock; it asks for no other).</summary>
    public async Task<bool> HasEndpointsAsync(InboxDbContext db, string companyId, CancellationToken ct) =>
        (await CompaniesAsync(db, ct)).Contains(companyId);

    /// <summary>Whether any company has an endpoint turned on: with none, the sender has nothing to claim.</summary>
    public async Task<bool> AnyAsync(InboxDbContext db, CancellationToken ct) => (await CompaniesAsync(db, ct)).Count > 0;

    private async Task<IReadOnlySet<string>> CompaniesAsync(InboxDbContext db, CancellationToken ct)
    {
        var snapshot = _snapshot;
        if (snapshot is null || clock.GetUtcNow() - snapshot.ReadAt > Freshness)
        {
            var companies = await db.WebhookEndpoints.AsNoTracking().Where(e => e.Enabled).Select(e => e.CompanyId).Distinct().ToListAsync(ct);
            _snapshot = snapshot = new Snapshot(companies.ToHashSet(), clock.GetUtcNow());
        }
        return snapshot.Companies;
    }

    /// <summary>An endpoint was added, changed or removed here: read again on the next send.</summary>
    public void Forget() => _snapshot = null;
}
