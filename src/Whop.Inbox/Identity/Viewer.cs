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
    bool CanReadAuditTrail,
    bool CanManageEmbedding = false,
    bool CanManageWebhooks = false,
    bool CanManageLabels = false,
    bool CanReadReports = false,
    bool CanAssign = false,
    bool CanLabel = false,
    bool CanPrioritize = false,
    bool CanSnooze = false)
{
    public bool IsCustomer => Role is null;

    /// <summary>Changing picked chats at once: whoever may list the inbox (its team). Which chats they may change is each chat's own question.</summary>
    public bool CanBulkChange => CanListInbox;
}

/// <summary>
/// Works out <see cref="ViewerInfo"/> once per circuit (or request) for the layout and pages. The
/// answers only decide what to show: every action is checked again where it is carried out.
/// </summary>
public sealed class Viewer(
    AuthenticationStateProvider authentication,
    DefaultCompany defaultCompany,
    IDbContextFactory<InboxDbContext> contexts)
{
    private ViewerInfo? _info;

    public async Task<ViewerInfo> GetAsync(CancellationToken ct = default)
    {
        if (_info is not null) return _info;
        var state = await authentication.GetAuthenticationStateAsync();
        return _info = await ForAsync(Actor.From(state.User), await defaultCompany.IdAsync(ct), ct);
    }

    /// <summary>
    /// The same answers for a caller known some other way (an embedded element's access token) in
    /// a given company. Not cached: the caller holds on to it.
    /// </summary>
    public async Task<ViewerInfo> ForAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // The name and the role on the company's team in one query; the standing follows from the role.
        var user = actor.UserId is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId)
                .Select(u => new
                {
                    u.Name,
                    u.UserName,
                    Role = db.TeamMembers.Where(m => m.CompanyId == companyId && m.UserId == u.Id).Select(m => (TeamRole?)m.Role).FirstOrDefault(),
                })
                .SingleOrDefaultAsync(ct);
        var role = user?.Role;

        var standing = InboxRights.CompanyStandingOf(actor, companyId, role);
        bool Can(InboxAction action) => InboxRights.Allows(actor, action, standing);
        return new ViewerInfo(actor, companyId, actor.UserId, user?.Name ?? "", user?.UserName ?? "", role,
            Can(InboxAction.ListInbox), Can(InboxAction.ManageTeam), Can(InboxAction.ManageApiKeys), Can(InboxAction.ReadAuditTrail),
            Can(InboxAction.ManageEmbedding), Can(InboxAction.ManageWebhooks), Can(InboxAction.ManageLabels),
            Can(InboxAction.ReadReports), Can(InboxAction.AssignSupportChat), Can(InboxAction.LabelSupportChat),
            Can(InboxAction.PrioritizeSupportChat), Can(InboxAction.SnoozeSupportChat));
    }
}
