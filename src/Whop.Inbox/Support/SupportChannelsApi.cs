using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Support.Bulk;
using Whop.Inbox.Team;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Support;

/// <summary><c>/support_channels</c>: Whop's create, retrieve and list, plus the inbox calls that are ours.</summary>
public static class SupportChannelsApi
{
    public sealed record CreateSupportChannelRequest(string? CompanyId, string? UserId, string? CustomName);

    /// <summary>
    /// Whop's SupportChannel; status, unread_count, last_message_preview, created_at and assignee_id are ours
    /// (assignee_id is null when nobody has the chat, and always for a caller outside the team).
    /// </summary>
    public sealed record SupportChannelResponse(
        string Id, string? CompanyId, string? CustomName, UserResponse? CustomerUser, DateTimeOffset? LastMessageAt,
        DateTimeOffset? ResolvedAt, string Status, int UnreadCount, string? LastMessagePreview, DateTimeOffset CreatedAt, string? AssigneeId)
    {
        public static SupportChannelResponse From(SupportChatView c) => new(c.Id, c.CompanyId, c.CustomName, UserResponse.From(c.Customer),
            c.LastMessageAt, c.ResolvedAt, c.Status.ToString().ToLowerInvariant(), c.UnreadCount, c.LastMessagePreview, c.CreatedAt, c.Assignee?.Id);
    }

    /// <summary>Ours: <c>assignee_id</c> is a team member's user id, or null to unassign (it must be present).</summary>
    public sealed record UpdateSupportChannelRequest(Optional<string?> AssigneeId);

    public sealed record AssignmentSettingsRequest(string? CompanyId, bool? AutoAssign);

    public sealed record AssignmentSettingsResponse(string CompanyId, bool AutoAssign);

    public sealed record UnreadCountsResponse(int Open, int Waiting, int Resolved, int All);

    public static RouteGroupBuilder MapSupportChannelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/support_channels").WithTags("Support channels");
        group.MapPost("/", CreateAsync).WithSummary("Open the customer's support chat with the company, or return the one that exists.");
        group.MapGet("/", ListAsync).WithSummary("List support chats: filter by open, status, view and customer; order by activity or creation.");
        group.MapGet("/unread_counts", UnreadCountsAsync).WithSummary("Ours: how many chats per status have messages the caller has not read.");
        group.MapGet("/{id}", GetAsync).WithSummary("Retrieve a support chat.");
        group.MapPatch("/{id}", UpdateAsync).WithSummary("Ours: assign the chat to a team member (assignee_id), or to nobody (null).");
        group.MapGet("/settings", GetSettingsAsync).WithSummary("Ours: the company's assignment setting (auto_assign).");
        group.MapPatch("/settings", SetSettingsAsync).WithSummary("Ours: turn automatic assignment on or off (admins and API keys).");
        group.MapPost("/{id}/resolve", ResolveAsync).WithSummary("Ours: resolve (moderators and admins).");
        group.MapPost("/{id}/reopen", ReopenAsync).WithSummary("Ours: reopen (moderators and admins).");
        group.MapPost("/{id}/mark_read", MarkReadAsync).WithSummary("Ours: mark the chat read for the caller.");
        group.MapSupportChannelsBulkApi();
        return api;
    }

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> CreateAsync(CreateSupportChannelRequest? request, Actor actor,
        SupportChats chats, CancellationToken ct) =>
        chats.OpenAsync(actor, request?.CompanyId, request?.UserId, request?.CustomName, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> GetAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.GetAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static async Task<Results<Ok<PageResponse<SupportChannelResponse>>, ApiProblem>> ListAsync(
        Actor actor, SupportChats chats, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null, bool? open = null, string? status = null, string? view = null,
        string? order = null, string? direction = null, [FromQuery(Name = "customer_id")] string? customerId = null,
        [FromQuery(Name = "assignee_id")] string? assigneeId = null,
        int? first = null, string? after = null, int? last = null, string? before = null)
    {
        var parsedStatus = ParseChoice(status, "status", ("open", SupportStatus.Open), ("waiting", SupportStatus.Waiting), ("resolved", SupportStatus.Resolved));
        var parsedView = ParseChoice(view, "view", ("admin", SupportView.Admin), ("customer", SupportView.Customer), ("all", SupportView.All));
        var parsedOrder = ParseChoice(order, "order", ("last_post_sent_at", SupportOrder.LastPostSentAt), ("created_at", SupportOrder.CreatedAt));
        var parsedDirection = ParseChoice(direction, "direction", ("desc", true), ("asc", false));
        if ((parsedStatus.Failure ?? parsedView.Failure ?? parsedOrder.Failure ?? parsedDirection.Failure) is { } invalid)
            return ApiProblems.From(invalid);

        if (assigneeId is not null && string.IsNullOrWhiteSpace(assigneeId))
            return ApiProblems.From(Failure.Invalid("assignee_id", "assignee_id must be me, none or a user id."));
        var query = new SupportChatQuery(companyId, open, parsedStatus.Value, parsedView.Value,
            parsedOrder.Value ?? SupportOrder.LastPostSentAt, parsedDirection.Value ?? true, customerId, AssigneeFilter.Parse(assigneeId));
        return await chats.ListAsync(actor, query, new PageRequest(first, after, last, before), ct)
            .ToResultAsync(page => page.ToResponse(SupportChannelResponse.From));
    }

    public static async Task<Results<Ok<SupportChannelResponse>, ApiProblem>> UpdateAsync(string id, UpdateSupportChannelRequest? request,
        Actor actor, Assignments assignments, CancellationToken ct)
    {
        if (request is not { AssigneeId.IsPresent: true })
            return ApiProblems.From(Failure.Invalid("assignee_id", "assignee_id is required: a team member's user id, or null to unassign."));
        return await assignments.AssignAsync(actor, id, request.AssigneeId.Value, ct).ToResultAsync(SupportChannelResponse.From);
    }

    public static async Task<Results<Ok<AssignmentSettingsResponse>, ApiProblem>> GetSettingsAsync(Actor actor, AssignmentSettings settings,
        DefaultCompany defaultCompany, CancellationToken ct, [FromQuery(Name = "company_id")] string? companyId = null) =>
        await settings.GetAsync(actor, companyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), ct)
            .ToResultAsync(s => new AssignmentSettingsResponse(s.CompanyId, s.AutoAssign));

    public static async Task<Results<Ok<AssignmentSettingsResponse>, ApiProblem>> SetSettingsAsync(AssignmentSettingsRequest? request, Actor actor,
        AssignmentSettings settings, DefaultCompany defaultCompany, CancellationToken ct) =>
        await settings.SetAsync(actor, request?.CompanyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), request?.AutoAssign, ct)
            .ToResultAsync(s => new AssignmentSettingsResponse(s.CompanyId, s.AutoAssign));

    public static Task<Results<Ok<UnreadCountsResponse>, ApiProblem>> UnreadCountsAsync(Actor actor, SupportChats chats, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null) =>
        chats.UnreadCountsAsync(actor, companyId, ct).ToResultAsync(c => new UnreadCountsResponse(
            c[SupportStatus.Open], c[SupportStatus.Waiting], c[SupportStatus.Resolved], c.Values.Sum()));

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> ResolveAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.ResolveAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> ReopenAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.ReopenAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<MarkReadResponse>, ApiProblem>> MarkReadAsync(string id, Actor actor, ReadMarker reads, CancellationToken ct) =>
        reads.MarkReadAsync(actor, id, ct).ToResultAsync(at => new MarkReadResponse(id, at));
}
