using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.Labels;

/// <summary>Ours: <c>/labels</c>, the company's labels. The team lists them; admins and API keys keep them.</summary>
public static class LabelsApi
{
    public sealed record LabelResponse(string Id, string CompanyId, string Name, string Color, DateTimeOffset CreatedAt)
    {
        public static LabelResponse From(Label l) => new(l.Id, l.CompanyId, l.Name, l.Color, l.CreatedAt);
    }

    public sealed record LabelsResponse(IReadOnlyList<LabelResponse> Data);

    public sealed record CreateLabelRequest(string? CompanyId, string? Name, string? Color);

    /// <summary>Each field optional: a new name, a new colour, or both.</summary>
    public sealed record UpdateLabelRequest(Optional<string?> Name, Optional<string?> Color);

    public static RouteGroupBuilder MapLabelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/labels").WithTags("Labels");
        group.MapGet("/", ListAsync).WithSummary("Ours: the company's labels, by name (its team).");
        group.MapPost("/", CreateAsync).WithSummary("Ours: create a label {name, color} (admins and API keys).");
        group.MapPatch("/{id}", UpdateAsync).WithSummary("Ours: rename or recolour a label (admins and API keys).");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Ours: delete a label; it leaves every chat (admins and API keys).");
        return api;
    }

    public static async Task<Results<Ok<LabelsResponse>, ApiProblem>> ListAsync(Actor actor, Labels labels, DefaultCompany defaultCompany,
        CancellationToken ct, [FromQuery(Name = "company_id")] string? companyId = null) =>
        await labels.ListAsync(actor, companyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), ct)
            .ToResultAsync(list => new LabelsResponse([.. list.Select(LabelResponse.From)]));

    public static async Task<Results<Ok<LabelResponse>, ApiProblem>> CreateAsync(CreateLabelRequest? request, Actor actor, Labels labels,
        DefaultCompany defaultCompany, CancellationToken ct) =>
        await labels.CreateAsync(actor, request?.CompanyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), request?.Name, request?.Color, ct)
            .ToResultAsync(LabelResponse.From);

    public static Task<Results<Ok<LabelResponse>, ApiProblem>> UpdateAsync(string id, UpdateLabelRequest? request, Actor actor, Labels labels,
        CancellationToken ct) =>
        labels.UpdateAsync(actor, id, request?.Name ?? default, request?.Color ?? default, ct).ToResultAsync(LabelResponse.From);

    public static Task<Results<Ok<LabelResponse>, ApiProblem>> DeleteAsync(string id, Actor actor, Labels labels, CancellationToken ct) =>
        labels.DeleteAsync(actor, id, ct).ToResultAsync(LabelResponse.From);
}
