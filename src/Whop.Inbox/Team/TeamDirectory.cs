using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Team;

public sealed record TeamMemberRow(string Id, string UserId, string Name, string UserName, TeamRole Role, DateTimeOffset Since);

/// <summary>A company's team, for admins.</summary>
public sealed class TeamDirectory(IDbContextFactory<InboxDbContext> contexts, InboxRights rights)
{
    public async Task<Outcome<IReadOnlyList<TeamMemberRow>>> ListAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageTeam, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.TeamMembers.AsNoTracking()
            .Where(m => m.CompanyId == companyId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m, u })
            .OrderBy(x => x.m.Role).ThenBy(x => x.u.Name)
            .Select(x => new TeamMemberRow(x.m.Id, x.u.Id, x.u.Name, x.u.UserName!, x.m.Role, x.m.CreatedAt))
            .ToListAsync(ct);
        return new Outcome<IReadOnlyList<TeamMemberRow>>(rows, null);
    }
}
