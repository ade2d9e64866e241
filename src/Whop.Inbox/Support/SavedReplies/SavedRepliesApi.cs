using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Support.SavedReplies;

/// <summary>Ours: <c>/saved_replies</c>, the team's saved replies (the company's shared ones and the caller's own).</summary>
public static class SavedRepliesApi
{
    public sealed record CreateSavedReplyRequest(string? CompanyId, string? Name, string? Content, bool? Shared);

    public sealed record UpdateSavedReplyRequest(string? Name, string? Content, bool? Shared);

    /// <summary>A saved reply; <c>owner_id</c> is the team member a personal one belongs to (null when shared).</summary>
    public sealed record SavedReplyResponse(string Id, string CompanyId, string Name, string Content, bool Shared, string? OwnerId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public static SavedReplyResponse From(SavedReplyView r) => new(r.Id, r.CompanyId, r.Name, r.Content, r.Shared, r.OwnerId, r.CreatedAt, r.UpdatedAt);
    }

    public static RouteGroupBuilder MapSavedRepliesApi(this RouteGroupBuilder api)
    {
        var replies = api.MapGroup("/saved_replies").WithTags("Saved replies");
        replies.MapGet("/", ListAsync)
            .WithSummary("Ours: the company's shared saved replies and the caller's own, by name; query= keeps those whose name or content contains it.");
        replies.MapPost("/", CreateAsync)
            .WithSummary("Ours: save a reply. shared: true is the company's (admins and API keys); false (a person's default) is the caller's own.");
        replies.MapGet("/{id}", GetAsync).WithSummary("Ours: retrieve a saved reply.");
        replies.MapPatch("/{id}", UpdateAsync).WithSummary("Ours: change a saved reply's name, content, or whether it is shared (shared: admins and API keys).");
        replies.MapDelete("/{id}", DeleteAsync).WithSummary("Ours: delete a saved reply.");
        return api;
    }

    public static Task<Results<Ok<PageResponse<SavedReplyResponse>>, ApiProblem>> ListAsync(Actor actor, SavedReplyService replies, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null, string? query = null,
        int? first = null, string? after = null, int? last = null, string? before = null) =>
        replies.ListAsync(actor, companyId, query, new PageRequest(first, after, last, before), ct)
            .ToResultAsync(page => page.ToResponse(SavedReplyResponse.From));

    public static async Task<Results<Ok<SavedReplyResponse>, ApiProblem>> CreateAsync(CreateSavedReplyRequest? request, Actor actor,
        SavedReplyService replies, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        return await replies.CreateAsync(actor, request.CompanyId, request.Name, request.Content, request.Shared, ct).ToResultAsync(SavedReplyResponse.From);
    }

    public static Task<Results<Ok<SavedReplyResponse>, ApiProblem>> GetAsync(string id, Actor actor, SavedReplyService replies, CancellationToken ct) =>
        replies.GetAsync(actor, id, ct).ToResultAsync(SavedReplyResponse.From);

    public static async Task<Results<Ok<SavedReplyResponse>, ApiProblem>> UpdateAsync(string id, UpdateSavedReplyRequest? request, Actor actor,
        SavedReplyService replies, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        return await replies.UpdateAsync(actor, id, request.Name, request.Content, request.Shared, ct).ToResultAsync(SavedReplyResponse.From);
    }

    public static Task<Results<Ok<bool>, ApiProblem>> DeleteAsync(string id, Actor actor, SavedReplyService replies, CancellationToken ct) =>
        replies.DeleteAsync(actor, id, ct).ToResultAsync(_ => true);
}
