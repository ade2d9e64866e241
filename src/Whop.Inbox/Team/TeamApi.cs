using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Team;

/// <summary>Ours: <c>/team_members</c>, the company's admins and moderators.</summary>
public static class TeamApi
{
    public sealed record AddTeamMemberRequest(string? CompanyId, string? UserId, TeamRole? Role);
    public sealed record UpdateTeamMemberRequest(TeamRole? Role);

    public sealed record TeamMemberResponse(string Id, string CompanyId, UserResponse User, TeamRole Role, DateTimeOffset CreatedAt)
    {
        public static TeamMemberResponse From(TeamMemberView m) => new(m.Id, m.CompanyId, UserResponse.From(m.User), m.Role, m.CreatedAt);
    }

    public static RouteGroupBuilder MapTeamApi(this RouteGroupBuilder api)
    {
        var team = api.MapGroup("/team_members").WithTags("Team");
        team.MapGet("/", ListAsync).WithSummary("The company's team (admins only).");
        team.MapPost("/", AddAsync).WithSummary("Add a user to the team as admin or moderator (admins only).");
        team.MapPatch("/{id}", ChangeRoleAsync).WithSummary("Change a team member's role (admins only; the last admin stays admin).");
        team.MapDelete("/{id}", RemoveAsync).WithSummary("Remove someone from the team (admins only; not the last admin).");
        return api;
    }

    public static Task<Results<Ok<ListResponse<TeamMemberResponse>>, ApiProblem>> ListAsync(Actor actor, TeamService service, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null) =>
        service.ListAsync(actor, companyId, ct).ToResultAsync(list => new ListResponse<TeamMemberResponse>(list.Select(TeamMemberResponse.From).ToList()));

    public static Task<Results<Ok<TeamMemberResponse>, ApiProblem>> AddAsync(AddTeamMemberRequest? request, Actor actor, TeamService service,
        CancellationToken ct) =>
        service.AddAsync(actor, request?.CompanyId, request?.UserId, request?.Role, ct).ToResultAsync(TeamMemberResponse.From);

    public static Task<Results<Ok<TeamMemberResponse>, ApiProblem>> ChangeRoleAsync(string id, UpdateTeamMemberRequest? request, Actor actor,
        TeamService service, CancellationToken ct) =>
        service.ChangeRoleAsync(actor, id, request?.Role, ct).ToResultAsync(TeamMemberResponse.From);

    public static Task<Results<Ok<bool>, ApiProblem>> RemoveAsync(string id, Actor actor, TeamService service, CancellationToken ct) =>
        service.RemoveAsync(actor, id, ct).ToResultAsync(_ => true);
}
