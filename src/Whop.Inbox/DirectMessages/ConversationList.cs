using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.DirectMessages;

public sealed record ConversationRow(string ChannelId, ChannelKind Kind, string Title, string? Preview, DateTimeOffset LastActivityAt,
    int UnreadCount, int MemberCount);

/// <summary>
/// A person's conversations, most recently active first: their DMs, and, for customers, their
/// support chats (team members work those from the inbox, as the seeds ask).
/// </summary>
public sealed class ConversationList(IDbContextFactory<InboxDbContext> contexts)
{
    public const int PageSize = 100;

    public async Task<IReadOnlyList<ConversationRow>> ForAsync(Actor actor, string? companyId, CancellationToken ct = default)
    {
        if (actor.UserId is null) return [];
        var userId = actor.UserId;
        await using var db = await contexts.CreateDbContextAsync(ct);

        var rows = await db.ChannelMembers.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Channels, m => m.ChannelId, c => c.Id, (m, c) => new { m, c })
            .Where(x => (x.c.Kind == ChannelKind.Dm || x.c.CustomerId == userId)
                        && (companyId == null || x.c.CompanyId == companyId))
            .OrderByDescending(x => x.c.LastActivityAt).ThenByDescending(x => x.c.Id)
            .Take(PageSize)
            .Select(x => x.c)
            .WithFactsFor(db, userId)
            .Select(x => new
            {
                x.Channel.Id,
                x.Channel.Kind,
                x.Channel.CustomName,
                x.Channel.LastActivityAt,
                x.Channel.MemberCount,
                CompanyName = db.Companies.Where(co => co.Id == x.Channel.CompanyId).Select(co => co.Name).FirstOrDefault(),
                x.NewestContent,
                x.Unread,
            })
            .ToListAsync(ct);
        var firstOthers = await DmTitles.FirstOthersAsync(db, rows.Where(r => r.Kind == ChannelKind.Dm && r.CustomName is null).Select(r => r.Id).ToList(),
            userId, ct);

        return rows.Select(r => new ConversationRow(r.Id, r.Kind,
            r.CustomName ?? (r.Kind == ChannelKind.Support
                ? $"{r.CompanyName} support"
                : DmTitles.Title(firstOthers[r.Id].ToList(), r.MemberCount - 1, whenAlone: "Just you")),
            UnreadCounts.Preview(r.NewestContent),
            r.LastActivityAt, r.Unread, r.MemberCount)).ToList();
    }
}
