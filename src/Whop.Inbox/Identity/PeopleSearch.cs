using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity;

/// <summary>
/// Finding people to message or add to a DM. Only people of the company are offered, as
/// <see cref="UserDirectory.VisibleTo"/> defines them: its team, the users who have a conversation in it,
/// the users its backend synced (a person made through <c>POST /api/v1/users</c> is offered before their
/// first chat), and on the default company everyone nobody else has claimed. A DM picker must not become
/// a directory of another company's users.
/// </summary>
public sealed class PeopleSearch(IDbContextFactory<InboxDbContext> contexts)
{
    public const int Limit = 8;

    public async Task<IReadOnlyList<UserSummary>> FindAsync(Actor actor, string companyId, string? term, IReadOnlyCollection<string>? excluding = null,
        CancellationToken ct = default)
    {
        if (actor.UserId is null && actor.Credential != Credential.ApiKey) return [];
        if (UserTypeAhead.Clean(term) is not { } cleaned) return [];
        var skip = excluding?.ToList() ?? [];
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.VisibleTo(db, companyId)
            .Where(u => u.Id != actor.UserId && !skip.Contains(u.Id))
            .Matching(db.Dialect, cleaned, Limit)
            .ToListAsync(ct);
    }
}
