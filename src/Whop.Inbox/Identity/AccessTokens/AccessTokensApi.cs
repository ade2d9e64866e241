using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity.AccessTokens;

public static class AccessTokensApi
{
    public sealed record CreateAccessTokenRequest(string? CompanyId, string? UserId, List<string>? ScopedActions, DateTimeOffset? ExpiresAt);

    public sealed record AccessTokenResponse(string Token, DateTimeOffset ExpiresAt);

    public static RouteGroupBuilder MapAccessTokensApi(this RouteGroupBuilder api)
    {
        api.MapPost("/access_tokens", CreateAsync)
            .WithName("CreateAccessToken")
            .WithTags("Access tokens")
            .WithSummary("Issue a short-lived token that acts as one user with a subset of scopes (API keys only).");
        return api;
    }

    public static async Task<Results<Ok<AccessTokenResponse>, ApiProblem>> CreateAsync(CreateAccessTokenRequest? request, Actor actor,
        AccessTokenService tokens, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        return await tokens.IssueAsync(actor, request.CompanyId, request.UserId, request.ScopedActions, request.ExpiresAt, ct)
            .ToResultAsync(t => new AccessTokenResponse(t.Token, t.ExpiresAt));
    }
}
