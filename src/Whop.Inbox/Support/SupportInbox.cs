using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Support;

public sealed record InboxRow(string ChannelId, string CustomerId, string CustomerName, string CustomerUserName,
    SupportStatus Status, DateTimeOffset LastMessageAt, string? LastMessagePreview);

/// <summary>The team's view of support chats.</summary>
public sealed class SupportInbox(IDbContextFactory<InboxDbContext> contexts, InboxRights rights)
{
    public const int MaxPageSize = 100;

    /// <summary>The newest-activity page of a company's support chats, optionally one status.</summary>
    public async Task<Outcome<IReadOnlyList<InboxRow>>> ListAsync(Actor actor, string companyId, SupportStatus? status,
        int first = 50, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden();
        first = Math.Clamp(first, 1, MaxPageSize);

        await using var db = await contexts.CreateDbContextAsync(ct);
        var chats = db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId);
        if (status is not null) chats = chats.Where(c => c.Status == status);

        var rows = await chats
            .OrderByDescending(c => c.LastMessageAt).ThenByDescending(c => c.Id)
            .Take(first)
            .Join(db.Users, c => c.CustomerId, u => u.Id, (c, u) => new InboxRow(
                c.Id, u.Id, u.Name, u.UserName!, c.Status!.Value, c.LastMessageAt,
                db.Messages.Where(m => m.ChannelId == c.Id && m.DeletedAt == null)
                    .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                    .Select(m => m.Content).FirstOrDefault()))
            .ToListAsync(ct);
        return new Outcome<IReadOnlyList<InboxRow>>(rows, null);
    }
}
