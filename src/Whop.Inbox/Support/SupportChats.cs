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
using Whop.Inbox.Team;

namespace Whop.Inbox.Support;

/// <summary>
/// A support chat with what a list row needs: the customer, the caller's unread count, a preview.
/// <see cref="EventPosition"/> is the position of the chat's last event the view includes: of two
/// views of a chat, or a view and an event, the higher position is the newer (see <see cref="After"/>).
/// </summary>
public sealed record SupportChatView(
    string Id, string CompanyId, string? CustomName, UserSummary Customer, DateTimeOffset CreatedAt, DateTimeOffset? LastMessageAt,
    DateTimeOffset LastActivityAt,
    SupportStatus Status, DateTimeOffset? ResolvedAt, string? ResolvedById, int UnreadCount, string? LastMessagePreview, long EventPosition)
{
    /// <summary>
    /// The chat after one of its events: status and activity from the event when it is newer than the
    /// view; the view as it is for an event it already includes (one that came before a read) or one
    /// with no position (typing says nothing of where the chat stands).
    /// </summary>
    public SupportChatView After(ChatEvent evt) =>
        evt.ChannelId == Id && evt.Position is { } position && position > EventPosition && evt.Channel is { Status: { } status } chat
            ? this with
            {
                Status = status,
                LastActivityAt = chat.LastActivityAt ?? LastActivityAt,
                LastMessageAt = chat.LastMessageAt ?? LastMessageAt,
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

public enum SupportOrder
{
    LastPostSentAt,
    CreatedAt,
}

/// <summary>The inbox filters: Whop's (<c>open</c>, <c>view</c>, <c>order</c>, <c>direction</c>) and ours (status, customer).</summary>
public sealed record SupportChatQuery(
    string? CompanyId = null, bool? Open = null, SupportStatus? Status = null, SupportView? View = null,
    SupportOrder Order = SupportOrder.LastPostSentAt, bool Descending = true, string? Customer = null);

/// <summary>Support chats: opening (idempotent), the inbox list, resolve and reopen.</summary>
public sealed class SupportChats(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    ChannelAccess access,
    DefaultCompany defaultCompany,
    ConversationWrites writes)
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
                await write.CommitAsync(ct);
                existing = chat;
            }
        }
        return (await ViewsAsync(db, actor, [existing], ct))[0];
    }

    public async Task<Outcome<SupportChatView>> GetAsync(Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await access.ReadableAsync(actor, channelId, ct);
        if (channel.Failure is { } failure) return failure;
        if (!channel.Value!.IsSupport) return Failure.NotFound($"No support chat {channelId}.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, actor, [channel.Value], ct))[0];
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

        await using var db = await contexts.CreateDbContextAsync(ct);
        var me = actor.UserId;
        var chats = db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Support);
        chats = view switch
        {
            SupportView.Admin => chats.Where(c => c.CompanyId == companyId),
            SupportView.Customer => chats.Where(c => c.CustomerId == me && (query.CompanyId == null || c.CompanyId == companyId)),
            _ => canList
                ? chats.Where(c => c.CompanyId == companyId || c.CustomerId == me)
                : chats.Where(c => c.CustomerId == me && (query.CompanyId == null || c.CompanyId == companyId)),
        };
        if (query.Open is { } open) chats = chats.Where(c => c.Status == (open ? SupportStatus.Open : SupportStatus.Resolved));
        if (query.Status is { } status) chats = chats.Where(c => c.Status == status);
        if (!string.IsNullOrWhiteSpace(query.Customer))
        {
            var customer = await db.FindByReferenceAsync(query.Customer, ct);
            if (customer is null) return new Page<SupportChatView>([], new PageInfo(null, null, false, false));
            chats = chats.Where(c => c.CustomerId == customer.Id);
        }

        var channels = query.Order == SupportOrder.CreatedAt
            ? await chats.PageAsync(c => c.CreatedAt, c => c.Id, query.Descending, page, ct)
            : await chats.PageAsync(c => c.LastActivityAt, c => c.Id, query.Descending, page, ct);
        var views = await ViewsAsync(db, actor, channels.Items, ct);
        return new Page<SupportChatView>(views, channels.PageInfo);
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

    public Task<Outcome<SupportChatView>> ResolveAsync(Actor actor, string channelId, CancellationToken ct = default) =>
        ChangeStatusAsync(actor, channelId, resolve: true, ct);

    public Task<Outcome<SupportChatView>> ReopenAsync(Actor actor, string channelId, CancellationToken ct = default) =>
        ChangeStatusAsync(actor, channelId, resolve: false, ct);

    private async Task<Outcome<SupportChatView>> ChangeStatusAsync(Actor actor, string channelId, bool resolve, CancellationToken ct)
    {
        var action = resolve ? InboxAction.ResolveSupportChat : InboxAction.ReopenSupportChat;
        var checkedChannel = await access.ForAsync(actor, channelId, action, ct);
        if (checkedChannel.Failure is { } failure) return failure;
        if (!checkedChannel.Value!.IsSupport) return Failure.NotFound($"No support chat {channelId}.");

        await using var write = await writes.BeginAsync(actor, channelId, ct);
        var chat = write.Channel;
        var alreadyThere = resolve ? chat.Status == SupportStatus.Resolved : chat.Status != SupportStatus.Resolved;
        if (!alreadyThere)
        {
            var by = await write.ByAsync(ct);
            if (resolve) chat.Resolve(by.Id, write.At);
            else chat.Reopen();
            write.Announce(resolve ? ChatEventTypes.SupportChatResolved : ChatEventTypes.SupportChatReopened,
                new SupportChatChanged(await write.PersonAsync(chat.CustomerId!, ct), by.Id));
            await write.NoteAsync($"{by.Name} {(resolve ? "resolved" : "reopened")} this chat.", ct);
            write.Audit(resolve ? AuditActions.SupportChatResolved : AuditActions.SupportChatReopened);
            await write.CommitAsync(ct);
        }
        return (await ViewsAsync(write.Db, actor, [chat], ct))[0];
    }

    /// <summary>Customers, previews and the caller's unread counts for a page of chats, in one query.</summary>
    private static async Task<List<SupportChatView>> ViewsAsync(InboxDbContext db, Actor actor, IReadOnlyList<Channel> chats, CancellationToken ct)
    {
        var ids = chats.Select(c => c.Id).ToList();
        // The customer by a join on its key: a First() over users in the projection becomes a window
        // over the whole users table (a third of a second at 100,000 customers).
        var extras = await (
                from x in db.Channels.AsNoTracking().Where(c => ids.Contains(c.Id)).WithFactsFor(db, actor.UserId)
                join u in db.Users on x.Channel.CustomerId equals u.Id
                select new { x.Channel.Id, Customer = new UserSummary(u.Id, u.Name, u.UserName!), x.NewestContent, x.Unread })
            .ToDictionaryAsync(x => x.Id, ct);

        return chats.Select(c =>
        {
            var extra = extras[c.Id];
            return new SupportChatView(c.Id, c.CompanyId!, c.CustomName, extra.Customer, c.CreatedAt, c.LastMessageAt, c.LastActivityAt, c.Status!.Value,
                c.ResolvedAt, c.ResolvedById, extra.Unread, UnreadCounts.Preview(extra.NewestContent), c.EventPosition);
        }).ToList();
    }
}
