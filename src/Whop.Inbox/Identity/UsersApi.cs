using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity;

/// <summary>Ours: syncing the embedding app's users.</summary>
public static class UsersApi
{
    public sealed record UpsertUserRequest(string? ExternalId, string? Username, string? Name, string? Email, string? CompanyId);

    public sealed record UserDetailResponse(string Id, string? Name, string Username, string? Email, string? ExternalId, DateTimeOffset CreatedAt)
    {
        public static UserDetailResponse From(SyncedUser u) => new(u.User.Id, u.User.Name, u.User.Username, u.Email, u.ExternalId, u.CreatedAt);
    }

    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapPost("/", UpsertAsync).WithSummary("Create or update a user from the embedding app (idempotent on external_id, else username).");
        users.MapGet("/{id}", GetAsync).WithSummary("Retrieve a user by id or username.");
        return api;
    }

    /// <summary>201 when the user is new, 200 when it existed.</summary>
    public static async Task<Results<Created<UserDetailResponse>, Ok<UserDetailResponse>, ApiProblem>> UpsertAsync(UpsertUserRequest? request,
        Actor actor, UserSync sync, CancellationToken ct)
    {
        var outcome = await sync.UpsertAsync(actor, request?.CompanyId, request?.ExternalId, request?.Username, request?.Name, request?.Email, ct);
        if (outcome.Failure is { } failure) return ApiProblems.From(failure);
        var user = outcome.Value!;
        return user.Created
            ? TypedResults.Created($"{ApiSetup.BasePath}/users/{user.User.Id}", UserDetailResponse.From(user))
            : TypedResults.Ok(UserDetailResponse.From(user));
    }

    public static Task<Results<Ok<UserDetailResponse>, ApiProblem>> GetAsync(string id, Actor actor, UserSync sync, CancellationToken ct) =>
        sync.GetAsync(actor, id, ct).ToResultAsync(UserDetailResponse.From);
}
