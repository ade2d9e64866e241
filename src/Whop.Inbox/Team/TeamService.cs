using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Team;

public sealed record TeamMemberView(string Id, string CompanyId, UserSummary User, TeamRole Role, DateTimeOffset CreatedAt);

/// <summary>Adding people to a company's team, changing their role, removing them: admins only, always audited.</summary>
public sealed class TeamService(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, DefaultCompany defaultCompany,
    Support.Assignment.Assignments assignments, TimeProvider clock)
{
    public async Task<Outcome<IReadOnlyList<TeamMemberView>>> ListAsync(Actor actor, string? companyId, CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await rights.CanAsync(actor, InboxAction.ManageTeam, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var members = await db.TeamMembers.AsNoTracking().Where(m => m.CompanyId == companyId)
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);
        var users = await db.SummariesAsync(members.Select(m => m.UserId), ct);
        return members.Select(m => View(m, users[m.UserId])).ToList();
    }

    /// <summary>
    /// People who could join the team: users matching what was typed (see <see cref="UserTypeAhead"/>)
    /// who are not on the company's team yet. Empty when nothing was typed.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<UserSummary>>> SearchCandidatesAsync(Actor actor, string? companyId, string? text,
        CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await rights.CanAsync(actor, InboxAction.ManageTeam, companyId, ct)) return Failure.Forbidden();
        if (UserTypeAhead.Clean(text) is not { } cleaned) return Array.Empty<UserSummary>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking()
            .Where(u => !db.TeamMembers.Any(m => m.CompanyId == companyId && m.UserId == u.Id))
            .Matching(db.Dialect, cleaned)
            .ToListAsync(ct);
    }

    public async Task<Outcome<TeamMemberView>> AddAsync(Actor actor, string? companyId, string? userReference, TeamRole? role, CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (string.IsNullOrWhiteSpace(userReference)) return Failure.Invalid("user_id", "user_id is required.");
        if (role is null) return Failure.Invalid("role", "role is required: admin or moderator.");
        if (!await rights.CanAsync(actor, InboxAction.ManageTeam, companyId, ct)) return Failure.Forbidden();

        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.FindByReferenceForAsync(actor, companyId, userReference, ct);
        if (user is null) return Failure.NotFound($"No user {userReference}.");
        var existing = await db.TeamMembers.SingleOrDefaultAsync(m => m.CompanyId == companyId && m.UserId == user.Id, ct);
        if (existing is not null)
        {
            return existing.Role == role
                ? View(existing, Summary(user))
                : await ChangeRoleAsync(actor, existing.Id, role, ct);
        }

        var now = clock.UtcNowMicros();
        var member = new TeamMember(companyId, user.Id, role.Value, now);
        db.TeamMembers.Add(member);
        db.Record(actor, AuditActions.TeamMemberAdded, companyId, now, targetUserId: user.Id, detail: RoleName(role.Value));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return Failure.Rejected($"{user.Name} was added to the team a moment ago.", "user_id");
        }
        return View(member, Summary(user));
    }

    public async Task<Outcome<TeamMemberView>> ChangeRoleAsync(Actor actor, string memberId, TeamRole? role, CancellationToken ct = default)
    {
        if (role is null) return Failure.Invalid("role", "role is required: admin or moderator.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var member = await FindForUpdateAsync(db, actor, memberId, ct);
        if (member.Failure is { } failure) return failure;
        var m = member.Value!;
        if (m.Role == role) return View(m, (await db.SummariesAsync([m.UserId], ct))[m.UserId]);
        if (m.Role == TeamRole.Admin && await IsLastAdminAsync(db, m, ct))
            return Failure.Rejected("This is the company's last admin; make someone else admin first.", "role");

        var now = clock.UtcNowMicros();
        m.ChangeRole(role.Value);
        db.Record(actor, AuditActions.TeamRoleChanged, m.CompanyId, now, targetUserId: m.UserId, detail: RoleName(role.Value));
        await db.SaveChangesAsync(ct);
        await ChatEventLog.AnnounceAccessChangedAsync(db, m.UserId, ct);
        await transaction.CommitAsync(ct);
        return View(m, (await db.SummariesAsync([m.UserId], ct))[m.UserId]);
    }

    public async Task<Outcome<bool>> RemoveAsync(Actor actor, string memberId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var member = await FindForUpdateAsync(db, actor, memberId, ct);
        if (member.Failure is { } failure) return failure;
        var m = member.Value!;
        if (m.Role == TeamRole.Admin && await IsLastAdminAsync(db, m, ct))
            return Failure.Rejected("This is the company's last admin; make someone else admin first.");

        db.TeamMembers.Remove(m);
        db.Record(actor, AuditActions.TeamMemberRemoved, m.CompanyId, clock.UtcNowMicros(), targetUserId: m.UserId, detail: RoleName(m.Role));
        await db.SaveChangesAsync(ct);
        // Their inbox and support-chat subscriptions, on every instance, end now rather than at the next check.
        await ChatEventLog.AnnounceAccessChangedAsync(db, m.UserId, ct);
        await transaction.CommitAsync(ct);
        // Off the team, they can have no chat: each goes back to nobody (after the removal, so none is given them meanwhile).
        await assignments.UnassignLeaverAsync(actor, m.CompanyId, m.UserId, ct);
        return true;
    }

    /// <summary>Takes the company's team lock too, so two admins demoting each other at once cannot leave none.</summary>
    private async Task<Outcome<TeamMember>> FindForUpdateAsync(InboxDbContext db, Actor actor, string memberId, CancellationToken ct)
    {
        var companyId = await db.TeamMembers.Where(m => m.Id == memberId).Select(m => m.CompanyId).SingleOrDefaultAsync(ct);
        if (companyId is null || !await rights.CanAsync(actor, InboxAction.ManageTeam, companyId, ct))
            return Failure.NotFound($"No team member {memberId}.");
        await db.Dialect.LockKeyAsync(db, $"team:{companyId}", ct);
        return await db.TeamMembers.SingleAsync(m => m.Id == memberId, ct);
    }

    private static Task<bool> IsLastAdminAsync(InboxDbContext db, TeamMember member, CancellationToken ct) =>
        db.TeamMembers.AllAsync(m => m.CompanyId != member.CompanyId || m.Role != TeamRole.Admin || m.Id == member.Id, ct);

    private static TeamMemberView View(TeamMember m, UserSummary user) => new(m.Id, m.CompanyId, user, m.Role, m.CreatedAt);
    private static UserSummary Summary(User u) => new(u.Id, u.Name, u.UserName!);
    private static string RoleName(TeamRole role) => role == TeamRole.Admin ? "admin" : "moderator";
}
