using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity;

/// <summary>
/// Finding people to message or add to a DM. Only people of the company are offered: its team, the
/// users who have a conversation in it, the users its backend synced with an id of its own, and on the
/// default company everyone created without any company of their own (a person made through
/// <c>POST /api/v1/users</c> is offered before their first chat). A DM picker must not become a
/// directory of another company's users.
/// </summary>
public sealed class PeopleSearch(IDbContextFactory<InboxDbContext> contexts, DefaultCompany defaultCompany)
{
    public const int Limit = 8;

    public async Task<IReadOnlyList<UserSummary>> FindAsync(Actor actor, string companyId, string? term, IReadOnlyCollection<string>? excluding = null,
        CancellationToken ct = default)
    {
        if (actor.UserId is null && actor.Credential != Credential.ApiKey) return [];
        if (UserTypeAhead.Clean(term) is not { } cleaned) return [];
        var skip = excluding?.ToList() ?? [];
        var isDefault = companyId == await defaultCompany.IdAsync(ct);
        var syncedPrefix = companyId + ":";
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ofCompany = db.Users.Where(u =>
            db.TeamMembers.Any(m => m.CompanyId == companyId && m.UserId == u.Id)
            || db.Channels.Any(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.CustomerId == u.Id)
            || db.ChannelMembers.Any(m => m.UserId == u.Id && db.Channels.Any(c => c.Id == m.ChannelId && c.CompanyId == companyId))
            || (u.ExternalId != null && u.ExternalId.StartsWith(syncedPrefix))
            || (isDefault && u.ExternalId == null
                && !db.TeamMembers.Any(m => m.CompanyId != companyId && m.UserId == u.Id)
                && !db.Channels.Any(c => c.CompanyId != companyId && (c.CustomerId == u.Id || db.ChannelMembers.Any(m => m.ChannelId == c.Id && m.UserId == u.Id)))));
        return await ofCompany
            .Where(u => u.Id != actor.UserId && !skip.Contains(u.Id))
            .Matching(cleaned, Limit)
            .ToListAsync(ct);
    }
}
