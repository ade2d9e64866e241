using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;
using static Whop.Inbox.Common.ApiWire;

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

    public static async Task<Results<Ok<ListResponse<ApiKeyResponse>>, ApiProblem>> ListAsync(
        [FromQuery(Name = "company_id")] string? companyId, Actor actor, ApiKeyService keys, DefaultCompany defaultCompany, CancellationToken ct) =>
        await keys.ListAsync(actor, companyId ?? await CompanyOf(actor, defaultCompany, ct), ct)
            .ToResultAsync(list => new ListResponse<ApiKeyResponse>(list.Select(k => ApiKeyResponse.From(k)).ToList()));

    /// <summary>201 with the secret, which is shown this once.</summary>
    public static async Task<Results<Created<ApiKeyResponse>, ApiProblem>> CreateAsync(CreateApiKeyRequest? request, Actor actor,
        ApiKeyService keys, DefaultCompany defaultCompany, CancellationToken ct)
    {
        var companyId = request?.CompanyId ?? await CompanyOf(actor, defaultCompany, ct);
        var outcome = await keys.CreateAsync(actor, companyId, request?.Name, ct);
        if (outcome.Failure is { } failure) return ApiProblems.From(failure);
        var created = outcome.Value!;
        return TypedResults.Created($"{ApiSetup.BasePath}/api_keys/{created.Key.Id}", ApiKeyResponse.From(created.Key, created.Secret));
    }

    public static async Task<Results<Ok<bool>, ApiProblem>> RevokeAsync(string id, [FromQuery(Name = "company_id")] string? companyId, Actor actor,
        ApiKeyService keys, DefaultCompany defaultCompany, CancellationToken ct) =>
        await keys.RevokeAsync(actor, companyId ?? await CompanyOf(actor, defaultCompany, ct), id, ct).ToResultAsync(_ => true);

    /// <summary>An API key's own company; a session's, the default one.</summary>
    private static async Task<string> CompanyOf(Actor actor, DefaultCompany defaultCompany, CancellationToken ct) =>
        actor.CompanyId ?? await defaultCompany.IdAsync(ct);
}
