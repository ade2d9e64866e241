using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity;

/// <summary>The signed-in person and what the rights table lets them do in the default company.</summary>
public sealed record ViewerInfo(
    Actor Actor,
    string CompanyId,
    string? UserId,
    string Name,
    string UserName,
    TeamRole? Role,
    bool CanListInbox,
    bool CanManageTeam,
    bool CanManageApiKeys,
    bool CanReadAuditTrail)
{
    public bool IsCustomer => Role is null;
}

/// <summary>
/// Works out <see cref="ViewerInfo"/> once per circuit (or request) for the layout and pages. The
/// answers only decide what to show: every action is checked again where it is carried out.
/// </summary>
public sealed class Viewer(
    AuthenticationStateProvider authentication,
    InboxRights rights,
    DefaultCompany defaultCompany,
    IDbContextFactory<InboxDbContext> contexts)
{
    private ViewerInfo? _info;

    public async Task<ViewerInfo> GetAsync(CancellationToken ct = default)
    {
        if (_info is not null) return _info;
        var state = await authentication.GetAuthenticationStateAsync();
        var actor = Actor.From(state.User);
        var companyId = await defaultCompany.IdAsync(ct);

        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = actor.UserId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
                .Select(u => new { u.Name, u.UserName }).SingleOrDefaultAsync(ct);
        var role = actor.UserId is null ? null
            : await db.TeamMembers.Where(m => m.CompanyId == companyId && m.UserId == actor.UserId)
                .Select(m => (TeamRole?)m.Role).SingleOrDefaultAsync(ct);

        var standing = await rights.CompanyStandingAsync(actor, companyId, ct);
        bool Can(InboxAction action) => InboxRights.Allows(actor, action, standing);
        return _info = new ViewerInfo(actor, companyId, actor.UserId, user?.Name ?? "", user?.UserName ?? "", role,
            Can(InboxAction.ListInbox), Can(InboxAction.ManageTeam), Can(InboxAction.ManageApiKeys), Can(InboxAction.ReadAuditTrail));
    }
}
