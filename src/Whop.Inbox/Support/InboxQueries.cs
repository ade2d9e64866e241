using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.Support;

/// <summary>
/// What the customer side panel shows. <see cref="MessagesHere"/> counts the chat's messages as its
/// pane shows them, everyone's (the customer's, the team's, automated replies), not the system notes
/// ("… resolved this chat.") and not deleted ones.
/// </summary>
public sealed record CustomerDetails(UserSummary Customer, string? Email, DateTimeOffset Since, int SupportChats, int MessagesHere,
    DateTimeOffset ChatOpenedAt);

/// <summary>The inbox page's own questions: tab counts, the customer type-ahead, the side panel.</summary>
public sealed class InboxQueries(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, ChannelAccess access)
{
    public const int SearchLimit = 8;

    /// <summary>Chats per status in the company: the tallies kept on write, one read.</summary>
    public async Task<Outcome<IReadOnlyDictionary<SupportStatus, int>>> StatusCountsAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await UnreadCounts.ChatsPerStatusAsync(db, companyId, ct);
    }

    /// <summary>Customers of the company whose name or username starts with the term (type-ahead).</summary>
    public async Task<Outcome<IReadOnlyList<UserSummary>>> SearchCustomersAsync(Actor actor, string companyId, string? term, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        if (UserTypeAhead.Clean(term) is not { } cleaned) return Array.Empty<UserSummary>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var customers = await db.Users.AsNoTracking()
            .Where(u => db.Channels.Any(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.CustomerId == u.Id))
            .Matching(db.Dialect, cleaned, SearchLimit)
            .ToListAsync(ct);
        return customers;
    }

    public async Task<Outcome<CustomerDetails>> CustomerDetailsAsync(Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await access.ForAsync(actor, channelId, InboxAction.ReadSupportChat, ct);
        if (channel.Failure is { } failure) return failure;
        var chat = channel.Value!;
        if (!chat.IsSupport) return Failure.NotFound($"No support chat {channelId}.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var details = await db.Users.AsNoTracking().Where(u => u.Id == chat.CustomerId)
            .Select(u => new CustomerDetails(
                new UserSummary(u.Id, u.Name, u.UserName!), u.Email, u.CreatedAt,
                db.Channels.Count(c => c.Kind == ChannelKind.Support && c.CustomerId == u.Id),
                // Kept on write under the chat's lock (messages that can be unread: not system, not deleted).
                chat.MessageCount,
                chat.CreatedAt))
            .SingleAsync(ct);
        return details;
    }


}
