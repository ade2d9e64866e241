using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Identity;

/// <summary>Ours: syncing the embedding app's users, and the company's team.</summary>
public static class UsersApi
{
    public sealed record UpsertUserRequest(string? ExternalId, string? Username, string? Name, string? Email, string? CompanyId);

    public sealed record UserDetailResponse(string Id, string? Name, string Username, string? Email, string? ExternalId, DateTimeOffset CreatedAt)
    {
        public static UserDetailResponse From(SyncedUser u) => new(u.User.Id, u.User.Name, u.User.Username, u.Email, u.ExternalId, u.CreatedAt);
    }

    public sealed record AddTeamMemberRequest(string? CompanyId, string? UserId, TeamRole? Role);
    public sealed record UpdateTeamMemberRequest(TeamRole? Role);

    public sealed record TeamMemberResponse(string Id, string CompanyId, UserResponse User, TeamRole Role, DateTimeOffset CreatedAt)
    {
        public static TeamMemberResponse From(TeamMemberView m) => new(m.Id, m.CompanyId, UserResponse.From(m.User), m.Role, m.CreatedAt);
    }

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", async (UpsertUserRequest? request, ClaimsPrincipal user, UserSync sync, CancellationToken ct) =>
            {
                var outcome = await sync.UpsertAsync(Actor.From(user), request?.CompanyId, request?.ExternalId, request?.Username,
                    request?.Name, request?.Email, ct);
                return outcome.ToResult(u => u.Created
                    ? TypedResults.Created($"{ApiSetup.BasePath}/users/{u.User.Id}", UserDetailResponse.From(u))
                    : TypedResults.Ok(UserDetailResponse.From(u)));
            })
            .WithSummary("Create or update a user from the embedding app (idempotent on external_id, else username).");
        users.MapGet("/{id}", async (string id, ClaimsPrincipal user, UserSync sync, CancellationToken ct) =>
                (await sync.GetAsync(Actor.From(user), id, ct)).ToResult(u => TypedResults.Ok(UserDetailResponse.From(u))))
            .WithSummary("Retrieve a user by id or username.");

        var team = api.MapGroup("/team_members").WithTags("Team");
        team.MapGet("/", async (ClaimsPrincipal user, TeamService service, CancellationToken ct, [FromQuery(Name = "company_id")] string? companyId = null) =>
                (await service.ListAsync(Actor.From(user), companyId, ct))
                .ToResult(list => TypedResults.Ok(new { data = list.Select(TeamMemberResponse.From) })))
            .WithSummary("The company's team (admins only).");
        team.MapPost("/", async (AddTeamMemberRequest? request, ClaimsPrincipal user, TeamService service, CancellationToken ct) =>
                (await service.AddAsync(Actor.From(user), request?.CompanyId, request?.UserId, request?.Role, ct))
                .ToResult(m => TypedResults.Ok(TeamMemberResponse.From(m))))
            .WithSummary("Add a user to the team as admin or moderator (admins only).");
        team.MapPatch("/{id}", async (string id, UpdateTeamMemberRequest? request, ClaimsPrincipal user, TeamService service, CancellationToken ct) =>
                (await service.ChangeRoleAsync(Actor.From(user), id, request?.Role, ct)).ToResult(m => TypedResults.Ok(TeamMemberResponse.From(m))))
            .WithSummary("Change a team member's role (admins only; the last admin stays admin).");
        team.MapDelete("/{id}", async (string id, ClaimsPrincipal user, TeamService service, CancellationToken ct) =>
                (await service.RemoveAsync(Actor.From(user), id, ct)).ToResult(_ => TypedResults.Ok(true)))
            .WithSummary("Remove someone from the team (admins only; not the last admin).");
        return api;
    }
}
