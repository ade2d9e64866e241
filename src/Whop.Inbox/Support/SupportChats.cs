using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support;

/// <summary>
/// A support chat with what a list row needs: the customer, the assignee (for the team only), the
/// caller's unread count, a preview. <see cref="EventPosition"/> is the position of the chat's last event
/// the view includes: of two views of a chat, or a view and an event, the higher position is the newer
/// (see <see cref="After"/>). Made in one place, <see cref="Of"/>: a new field of the chat goes there.
/// </summary>
public sealed record SupportChatView
{
    public required string Id { get; init; }
    public required string CompanyId { get; init; }
    public string? CustomName { get; init; }
    public required UserSummary Customer { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastMessageAt { get; init; }
    public DateTimeOffset LastActivityAt { get; init; }
    public SupportStatus Status { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedById { get; init; }

    /// <summary>Who has the chat; null when nobody does, and always for a caller outside the team.</summary>
    public UserSummary? Assignee { get; init; }

    /// <summary>A snoozed chat's wake-up time; null when awake or when it waits for the customer (<see cref="SnoozedUntilCustomerReplies"/>).</summary>
    public DateTimeOffset? SnoozedUntil { get; init; }

    public bool SnoozedUntilCustomerReplies { get; init; }
    /// <summary>The chat's labels, by name; always empty for a caller outside the team.</summary>
    public IReadOnlyList<LabelView> Labels { get; init; } = [];

    /// <summary>How urgent the team finds it; always none for a caller outside the team.</summary>
    public ChatPriority Priority { get; init; }

    public int UnreadCount { get; init; }
    public string? LastMessagePreview { get; init; }
    public long EventPosition { get; init; }

    public ChatPlacement Placement => new(CompanyId, Customer.Id, Status, Assignee?.Id, [.. Labels.Select(l => l.Id)], Priority);

    /// <summary>
    /// The view of a chat read from the database, with what was read beside it. <paramref name="labels"/> null: a
    /// caller outside the team, who is shown neither labels nor priority.
    /// </summary>
    public static SupportChatView Of(Channel c, UserSummary customer, UserSummary? assignee, IReadOnlyList<LabelView>? labels, int unread,
        string? preview) => new()
    {
        Id = c.Id,
        CompanyId = c.CompanyId!,
        CustomName = c.CustomName,
        Customer = customer,
        CreatedAt = c.CreatedAt,
        LastMessageAt = c.LastMessageAt,
        LastActivityAt = c.LastActivityAt,
        Status = c.Status!.Value,
        ResolvedAt = c.ResolvedAt,
        ResolvedById = c.ResolvedById,
        Assignee = assignee,
        SnoozedUntil = c.SnoozedUntil,
        SnoozedUntilCustomerReplies = c.SnoozedUntilCustomerReplies,
        Labels = labels ?? [],
        Priority = labels is null ? ChatPriority.None : c.Priority,
        UnreadCount = unread,
        LastMessagePreview = preview,
        EventPosition = c.EventPosition,
    };

    /// <summary>
    /// The chat after one of its events: status, activity and priority from the event when it is newer than the
    /// view, the assignee from an assignment, the labels from a labelling and the wake-up time from a snooze; the view as it is for an event it already includes (one
    /// that came before a read) or one with no position (typing says nothing of where the chat stands).
    /// </summary>
    public SupportChatView After(ChatEvent evt) =>
        evt.ChannelId == Id && evt.Position is { } position && position > EventPosition && evt.Channel is { Status: { } status } chat
            ? this with
            {
                Status = status,
                LastActivityAt = chat.LastActivityAt ?? LastActivityAt,
                LastMessageAt = chat.LastMessageAt ?? LastMessageAt,
                Assignee = evt.Data is SupportChatAssigned assigned ? assigned.After : Assignee,
                SnoozedUntil = status != SupportStatus.Snoozed ? null : evt.Data is SupportChatSnoozed snoozed ? snoozed.Until : SnoozedUntil,
                SnoozedUntilCustomerReplies = status == SupportStatus.Snoozed
                    && (evt.Data is SupportChatSnoozed again ? again.UntilCustomerReplies : SnoozedUntilCustomerReplies),
                Labels = evt.Data is SupportChatLabeled labeled ? labeled.Labels : Labels,
                Priority = chat.Priority ?? Priority,
                EventPosition = position,
            }
            : this;

    /// <summary>The newer of two views of the same chat (a read that answers after a newer event has been applied is older); <paramref name="read"/> when they are of different chats.</summary>
    public static SupportChatView Newer(SupportChatView? shown, SupportChatView read) =>
        shown is not null && shown.Id == read.Id && shown.EventPosition > read.EventPosition ? shown : read;
}

public enum SupportView
{
    /// <summary>The chats the caller handles as a team member.</summary>
    Admin,
    /// <summary>The caller's own support chats, as a customer.</summary>
    Customer,
    All,
}

/// <summary>
/// What a change answers when the chat is already as asked. A single call is idempotent (the chat as it
/// is); a bulk change reports it, so the page can name the chats someone else changed meanwhile.
/// </summary>
public enum IfAlready
{
    Succeed,
    /// <summary>A <see cref="FailureKind.Conflict"/> saying who made it so, when known.</summary>
    Conflict,
}

public enum SupportOrder
{
    LastPostSentAt,
    CreatedAt,
}

/// <summary>
/// The inbox filters: Whop's (<c>open</c>, <c>view</c>, <c>order</c>, <c>direction</c>) and ours (status, customer,
/// assignee, labels: chats with every one named, priority). <see cref="ByPriority"/> sorts the most urgent first,
/// then by the order.
/// </summary>
public sealed record SupportChatQuery(
    string? CompanyId = null, bool? Open = null, SupportStatus? Status = null, SupportView? View = null,
    SupportOrder Order = SupportOrder.LastPostSentAt, bool Descending = true, string? Customer = null, AssigneeFilter? Assignee = null,
    IReadOnlyList<string>? Labels = null, ChatPriority? Priority = null, bool ByPriority = false)
{
    public bool Equals(SupportChatQuery? other) =>
        other is not null && EqualsIgnoringLabels(other) && (Labels ?? []).SequenceEqual(other.Labels ?? []);

    public override int GetHashCode() => HashCode.Combine(CompanyId, Open, Status, View, Order, Descending, Customer,
        HashCode.Combine(Assignee, Priority, ByPriority, Labels?.Count ?? 0));

    // A record compares a list by reference; two queries naming the same labels are the same query.
    private bool EqualsIgnoringLabels(SupportChatQuery other) =>
        CompanyId == other.CompanyId && Open == other.Open && Status == other.Status && View == other.View && Order == other.Order
        && Descending == other.Descending && Customer == other.Customer && Equals(Assignee, other.Assignee) && Priority == other.Priority
        && ByPriority == other.ByPriority;
}

/// <summary>Support chats: opening (idempotent), the inbox list, resolve and reopen.</summary>
public sealed class SupportChats(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    ChannelAccess access,
    DefaultCompany defaultCompany,
    ConversationWrites writes,
    Assignment.Assignments assignments)
{
    /// <summary>
    /// Returns the customer's support chat with the company, creating it the first time. Concurrent
    /// calls agree: they take turns on a lock named after the pair, and the later ones find the chat.
    /// </summary>
    public async Task<Outcome<SupportChatView>> OpenAsync(Actor actor, string? companyId, string? customerReference, string? customName,
        CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId;
        if (string.IsNullOrWhiteSpace(companyId)) return Failure.Invalid("company_id", "company_id is required.");
        if (string.IsNullOrWhiteSpace(customerReference)) return Failure.Invalid("user_id", "user_id is required: the customer's id or username.");
        customName = customName?.Trim();
        if (customName?.Length > Channel.MaxCustomNameLength)
            return Failure.Invalid("custom_name", $"custom_name can be at most {Channel.MaxCustomNameLength} characters.");
        if (StoredText.Check("custom_name", customName) is { } unreadable) return unreadable;

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct)) return Failure.NotFound($"No company {companyId}.");
        var customer = await db.FindByReferenceForAsync(actor, companyId, customerReference, ct);
        if (customer is null) return Failure.NotFound($"No user {customerReference}: give a user id or username.");
        if (!await rights.CanOpenSupportChatAsync(actor, companyId, customer.Id, ct)) return Failure.Forbidden();

        var existing = await db.Channels.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.CustomerId == customer.Id, ct);
        if (existing is null)
        {
            await using var write = await writes.BeginNewAsync(actor, $"support:{companyId}:{customer.Id}", ct);
            // Opened a moment ago by a concurrent call: theirs is the chat (and the event).
            existing = await write.Db.Channels.AsNoTracking()
                .SingleOrDefaultAsync(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.CustomerId == customer.Id, ct);
            if (existing is null)
            {
                var chat = Channel.NewSupportChat(companyId, customer.Id, string.IsNullOrEmpty(customName) ? null : customName, write.At);
                write.Create(chat, [new ChannelMember(chat.Id, customer.Id, write.At)]);
                write.Announce(ChatEventTypes.SupportChatCreated,
                    new SupportChatChanged(new UserSummary(customer.Id, customer.Name, customer.UserName!), actor.UserId));
                await assignments.AssignNextAsync(write, ct);
                await write.CommitAsync(ct);
                existing = chat;
            }
        }
        var team = await rights.CanAsync(actor, InboxAction.ReadNotes, companyId, ct);
        return (await ViewsAsync(db, actor, [existing], _ => team, ct))[0];
    }

    public async Task<Outcome<SupportChatView>> GetAsync(Actor actor, string channelId, CancellationToken ct = default)
    {
        var reader = await access.ReaderAsync(actor, channelId, ct);
        if (reader.Failure is { } failure) return failure;
        var (channel, seesNotes) = reader.Value!;
        if (!channel.IsSupport) return Failure.NotFound($"No support chat {channelId}.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, actor, [channel], _ => seesNotes, ct))[0];
    }

    public async Task<Outcome<Page<SupportChatView>>> ListAsync(Actor actor, SupportChatQuery query, PageRequest page,
        CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        var companyId = query.CompanyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        var canList = await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct);
        var view = query.View ?? (canList ? SupportView.Admin : SupportView.Customer);
        if (view == SupportView.Admin && !canList) return Failure.Forbidden("Only the company's team can list its support inbox.");
        if (view != SupportView.Admin && actor.UserId is null)
            return Failure.Invalid("view", "An API key has no support chats of its own; use view=admin.");

        if (query.Assignee is not null && !canList)
            return Failure.Forbidden("Only the company's team can filter by assignee.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var filter = await FilterAsync(db, actor, query, view, companyId, canList, ct);
        if (filter.Failure is { } unusable) return unusable;
        if (filter.Value is not { } matching) return new Page<SupportChatView>([], new PageInfo(null, null, false, false));

        var chats = matching.Apply(db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Support));
        var channels = (query.Order, query.ByPriority) switch
        {
            (SupportOrder.CreatedAt, false) => await chats.PageAsync(c => c.CreatedAt, c => c.Id, query.Descending, page, ct),
            (_, false) => await chats.PageAsync(c => c.LastActivityAt, c => c.Id, query.Descending, page, ct),
            (SupportOrder.CreatedAt, true) => await chats.PageAsync(c => (int)c.Priority, c => c.CreatedAt, c => c.Id, query.Descending, page, ct),
            (_, true) => await chats.PageAsync(c => (int)c.Priority, c => c.LastActivityAt, c => c.Id, query.Descending, page, ct),
        };
        var views = await ViewsAsync(db, actor, channels.Items, c => canList && c.CompanyId == companyId, ct);
        return new Page<SupportChatView>(views, channels.PageInfo);
    }

    /// <summary>The filter a list with this query runs, for a list kept live from events (<see cref="InboxLiveList"/>).</summary>
    public async Task<Outcome<InboxFilter?>> FilterAsync(Actor actor, SupportChatQuery query, CancellationToken ct = default)
    {
        var companyId = query.CompanyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        var canList = await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await FilterAsync(db, actor, query, query.View ?? (canList ? SupportView.Admin : SupportView.Customer), companyId, canList, ct);
    }

    /// <summary>
    /// The query's filter with its references resolved (the customer's username, <c>me</c>): null when
    /// nothing can match (no such customer), a failure naming an assignee who is not a user.
    /// </summary>
    private static async Task<Outcome<InboxFilter?>> FilterAsync(InboxDbContext db, Actor actor, SupportChatQuery query, SupportView view,
        string companyId, bool canList, CancellationToken ct)
    {
        string? customerId = null;
        if (!string.IsNullOrWhiteSpace(query.Customer))
        {
            var customer = await db.FindByReferenceAsync(query.Customer, ct);
            if (customer is null) return new Outcome<InboxFilter?>(null, null);
            customerId = customer.Id;
        }
        string? assigneeId = null;
        switch (query.Assignee)
        {
            case AssigneeFilter.Me when actor.UserId is null:
                return Failure.Invalid("assignee_id", "assignee_id=me needs a person; an API key is nobody's. Give a user id.");
            case AssigneeFilter.Me:
                assigneeId = actor.UserId;
                break;
            case AssigneeFilter.Person { UserId: var id }:
                if (!await db.Users.AnyAsync(u => u.Id == id, ct))
                    return Failure.Invalid("assignee_id", $"assignee_id must be me, none or a user id; there is no user {id}.");
                assigneeId = id;
                break;
        }
        if (query.Labels is { Count: > 0 } || query.Priority is not null || query.ByPriority)
        {
            // Labels and priority are the team's: nobody else may sort by them, nor learn which exist.
            if (!canList) return Failure.Forbidden("Only the company's team can filter or sort by label or priority.");
            var known = await db.Labels.CountAsync(l => l.CompanyId == companyId && (query.Labels ?? new List<string>()).Contains(l.Id), ct);
            if (known != (query.Labels?.Count ?? 0))
                return Failure.Invalid("label", "label must be the id of one of the company's labels.");
        }
        return InboxFilter.For(query, view, actor.UserId, companyId, canList, customerId, assigneeId);
    }

    /// <summary>The most chats <see cref="MentionedAsync"/> lists: a person's mentions are few, and the newest matter.</summary>
    public const int MentionsListLimit = 100;

    /// <summary>
    /// The inbox's Mentions view: the company's support chats where the caller was mentioned, those with
    /// mentions they have not read first, then by the latest mention (the newest <see cref="MentionsListLimit"/>).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<SupportChatView>>> MentionedAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (actor.UserId is not { } me) return Failure.Rejected("Mentions belong to a person; an API key has none.");
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ChannelMembers.AsNoTracking()
            .Where(m => m.UserId == me && m.LastMentionedAt != null)
            .Join(db.Channels.Where(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId), m => m.ChannelId, c => c.Id,
                (m, c) => new { Chat = c, m.UnreadMentions, m.LastMentionedAt })
            .OrderByDescending(x => x.LastMentionedAt)
            .Take(MentionsListLimit)
            .ToListAsync(ct);
        var ordered = rows.OrderByDescending(x => x.UnreadMentions > 0).ThenByDescending(x => x.LastMentionedAt).Select(x => x.Chat).ToList();
        return await ViewsAsync(db, actor, ordered, _ => true, ct);
    }

    /// <summary>How many chats per status have messages the caller has not read.</summary>
    public async Task<Outcome<IReadOnlyDictionary<SupportStatus, int>>> UnreadCountsAsync(Actor actor, string? companyId,
        CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        if (actor.UserId is null) return Failure.Rejected("Unread counts belong to a person; an API key has none. Use an access token for the user.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await UnreadCounts.PerStatusAsync(db, companyId, actor.UserId, ct);
    }

    /// <summary>
    /// Resolves the chat. Already resolved: the chat as it is (the single call is idempotent), or, when
    /// <paramref name="already"/> asks (a bulk change), a conflict naming who resolved it and when.
    /// </summary>
    public Task<Outcome<SupportChatView>> ResolveAsync(Actor actor, string channelId, CancellationToken ct = default,
        IfAlready already = IfAlready.Succeed) =>
        ChangeStatusAsync(actor, channelId, resolve: true, already, ct);

    /// <summary>Reopens the chat; already open: as <see cref="ResolveAsync"/> says.</summary>
    public Task<Outcome<SupportChatView>> ReopenAsync(Actor actor, string channelId, CancellationToken ct = default,
        IfAlready already = IfAlready.Succeed) =>
        ChangeStatusAsync(actor, channelId, resolve: false, already, ct);

    private async Task<Outcome<SupportChatView>> ChangeStatusAsync(Actor actor, string channelId, bool resolve, IfAlready already,
        CancellationToken ct)
    {
        var action = resolve ? InboxAction.ResolveSupportChat : InboxAction.ReopenSupportChat;
        var checkedChannel = await access.ForAsync(actor, channelId, action, ct);
        if (checkedChannel.Failure is { } failure) return failure;
        if (!checkedChannel.Value!.IsSupport) return Failure.NotFound($"No support chat {channelId}.");

        await using var write = await writes.BeginAsync(actor, channelId, ct);
        var chat = write.Channel;
        var alreadyThere = resolve ? chat.Status == SupportStatus.Resolved : chat.Status != SupportStatus.Resolved;
        if (alreadyThere && already == IfAlready.Conflict)
        {
            if (!resolve) return Failure.Conflict("Already open: nobody has resolved it since.");
            var by = chat.ResolvedById is { } id ? (await write.PersonAsync(id, ct)).Name : "someone";
            return Failure.Conflict($"Already resolved by {by} at {Moment(chat.ResolvedAt, write.At)}.");
        }
        if (!alreadyThere)
        {
            var by = await write.ByAsync(ct);
            if (resolve)
            {
                chat.Resolve(by.Id, write.At);
                await Reports.ResponseTimes.ResolvedAsync(write, ct);
            }
            else chat.Reopen();
            write.Announce(resolve ? ChatEventTypes.SupportChatResolved : ChatEventTypes.SupportChatReopened,
                new SupportChatChanged(await write.PersonAsync(chat.CustomerId!, ct), by.Id));
            await write.NoteAsync($"{by.Name} {(resolve ? "resolved" : "reopened")} this chat.", ct);
            write.Audit(resolve ? AuditActions.SupportChatResolved : AuditActions.SupportChatReopened);
            if (!resolve) await assignments.AssignNextAsync(write, ct);
            await write.CommitAsync(ct);
        }
        return (await ViewsAsync(write.Db, actor, [chat], _ => true, ct))[0];
    }

    /// <summary>When something happened, for a sentence: the time (UTC) on the same day, else the date and time.</summary>
    internal static string Moment(DateTimeOffset? at, DateTimeOffset now) => at is not { } when ? "an unknown time"
        : when.UtcDateTime.Date == now.UtcDateTime.Date ? when.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : when.UtcDateTime.ToString("d MMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Customers, assignees, previews and the caller's unread counts for a page of chats, in one query. The
    /// assignee is shown only where <paramref name="isTeam"/> says the caller is on the chat's team.
    /// </summary>
    internal static async Task<List<SupportChatView>> ViewsAsync(InboxDbContext db, Actor actor, IReadOnlyList<Channel> chats,
        Func<Channel, bool> isTeam, CancellationToken ct)
    {
        var ids = chats.Select(c => c.Id).ToList();
        // The customer by a join on its key: a First() over users in the projection becomes a window
        // over the whole users table (a third of a second at 100,000 customers).
        var extras = await (
                from x in db.Channels.AsNoTracking().Where(c => ids.Contains(c.Id)).WithFactsFor(db, actor.UserId)
                join u in db.Users on x.Channel.CustomerId equals u.Id
                from a in db.Users.Where(a => a.Id == x.Channel.AssigneeId).DefaultIfEmpty()
                select new
                {
                    x.Channel.Id, Customer = new UserSummary(u.Id, u.Name, u.UserName!), x.NewestContent, x.Unread,
                    AssigneeId = a == null ? null : a.Id, AssigneeName = a == null ? null : a.Name, AssigneeUsername = a == null ? null : a.UserName,
                })
            .ToDictionaryAsync(x => x.Id, ct);

        var team = chats.Where(isTeam).Select(c => c.Id).ToList();
        var labels = team.Count == 0 ? [] : await LabelsOfAsync(db, team, ct);

        return chats.Select(c =>
        {
            var extra = extras[c.Id];
            var seesTeamFields = isTeam(c);
            var assignee = extra.AssigneeId is { } id && seesTeamFields ? new UserSummary(id, extra.AssigneeName!, extra.AssigneeUsername!) : null;
            var chatLabels = seesTeamFields ? labels.GetValueOrDefault(c.Id) ?? [] : null;
            return SupportChatView.Of(c, extra.Customer, assignee, chatLabels, extra.Unread, UnreadCounts.Preview(extra.NewestContent));
        }).ToList();
    }

    /// <summary>The labels of each chat, by name, in one query.</summary>
    private static async Task<Dictionary<string, IReadOnlyList<LabelView>>> LabelsOfAsync(InboxDbContext db, List<string> chatIds, CancellationToken ct)
    {
        var rows = await db.ChatLabels.AsNoTracking()
            .Where(cl => chatIds.Contains(cl.ChannelId))
            .Join(db.Labels, cl => cl.LabelId, l => l.Id, (cl, l) => new { cl.ChannelId, l.Id, l.Name, l.Color })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.ChannelId).ToDictionary(g => g.Key,
            g => (IReadOnlyList<LabelView>)[.. g.Select(r => new LabelView(r.Id, r.Name, r.Color)).OrderBy(l => l.Name, StringComparer.CurrentCultureIgnoreCase)]);
    }
}
