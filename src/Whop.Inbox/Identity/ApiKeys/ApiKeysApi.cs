using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>Ours (Whop has no such call): company API keys for admins and automation.</summary>
public static class ApiKeysApi
{
    public sealed record CreateApiKeyRequest(string? Name, string? CompanyId);

    public sealed record ApiKeyResponse(string Id, string Name, string Prefix, DateTimeOffset CreatedAt,
        DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? Secret = null)
    {
        public static ApiKeyResponse From(ApiKeySummary k, string? secret = null) =>
            new(k.Id, k.Name, k.Prefix, k.CreatedAt, k.LastUsedAt, k.RevokedAt, secret);
    }

    public static RouteGroupBuilder MapApiKeysApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api_keys").WithTags("API keys");
        keys.MapGet("/", ListAsync).WithSummary("List the company's API keys (never their secrets).");
        keys.MapPost("/", CreateAsync).WithSummary("Create an API key; the secret is in this response only.");
        keys.MapDelete("/{id}", RevokeAsync).WithSummary("Revoke an API key; it stops working at once.");
        return api;
    }

    private static async Task<IResult> ListAsync([FromQuery(Name = "company_id")] string? companyId, ClaimsPrincipal user, ApiKeyService keys,
        DefaultCompany defaultCompany, CancellationToken ct)
    {
        var outcome = await keys.ListAsync(Actor.From(user), companyId ?? await CompanyOf(user, defaultCompany, ct), ct);
        return outcome.ToResult(list => TypedResults.Ok(new { data = list.Select(k => ApiKeyResponse.From(k)) }));
    }

    private static async Task<IResult> CreateAsync(CreateApiKeyRequest? request, ClaimsPrincipal user, ApiKeyService keys,
        DefaultCompany defaultCompany, CancellationToken ct)
    {
        var companyId = request?.CompanyId ?? await CompanyOf(user, defaultCompany, ct);
        var outcome = await keys.CreateAsync(Actor.From(user), companyId, request?.Name, ct);
        return outcome.ToResult(created => TypedResults.Created($"{ApiSetup.BasePath}/api_keys/{created.Key.Id}",
            ApiKeyResponse.From(created.Key, created.Secret)));
    }

    private static async Task<IResult> RevokeAsync(string id, [FromQuery(Name = "company_id")] string? companyId, ClaimsPrincipal user, ApiKeyService keys,
        DefaultCompany defaultCompany, CancellationToken ct)
    {
        var outcome = await keys.RevokeAsync(Actor.From(user), companyId ?? await CompanyOf(user, defaultCompany, ct), id, ct);
        return outcome.ToResult(_ => TypedResults.Ok(true));
    }

    private static async Task<string> CompanyOf(ClaimsPrincipal user, DefaultCompany defaultCompany, CancellationToken ct) =>
        user.FindFirstValue(InboxClaims.CompanyId) ?? await defaultCompany.IdAsync(ct);
}
