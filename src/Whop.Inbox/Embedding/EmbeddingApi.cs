using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

/// <summary>Ours: the origins allowed to embed a company's elements (admins and the company's API keys).</summary>
public static class EmbeddingApi
{
    public sealed record EmbedOriginsRequest(List<string?>? Origins);

    public sealed record EmbedOriginsResponse(string CompanyId, IReadOnlyList<string> Origins)
    {
        public static EmbedOriginsResponse From(EmbedOriginsView v) => new(v.CompanyId, v.Origins);
    }

    public static RouteGroupBuilder MapEmbeddingApi(this RouteGroupBuilder api)
    {
        var companies = api.MapGroup("/companies/{companyId}/embed_origins").WithTags("Embedding");
        companies.MapGet("/", GetAsync).WithSummary("The web origins allowed to frame the company's chat and DMs-list elements.");
        companies.MapPut("/", SetAsync).WithSummary("Replace the web origins allowed to frame the company's elements (empty: none).");
        return api;
    }

    public static Task<Results<Ok<EmbedOriginsResponse>, ApiProblem>> GetAsync(string companyId, Actor actor, EmbedSettings settings,
        CancellationToken ct) =>
        settings.GetAsync(actor, companyId, ct).ToResultAsync(EmbedOriginsResponse.From);

    public static async Task<Results<Ok<EmbedOriginsResponse>, ApiProblem>> SetAsync(string companyId, EmbedOriginsRequest? request, Actor actor,
        EmbedSettings settings, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        return await settings.SetAsync(actor, companyId, request.Origins, ct).ToResultAsync(EmbedOriginsResponse.From);
    }
}
