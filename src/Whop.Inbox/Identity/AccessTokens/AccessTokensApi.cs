using System.Security.Claims;
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
            .WithSummary("Issue a short-lived token that acts as one user with a subset of scopes (API keys only).");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateAccessTokenRequest? request, ClaimsPrincipal user,
        AccessTokenService tokens, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        var outcome = await tokens.IssueAsync(Actor.From(user), request.CompanyId, request.UserId, request.ScopedActions, request.ExpiresAt, ct);
        return outcome.ToResult(t => TypedResults.Ok(new AccessTokenResponse(t.Token, t.ExpiresAt)));
    }
}
