using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using System.Globalization;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Reports;
using Whop.Inbox.Support.Priority;
using Whop.Inbox.Support.Bulk;
using Whop.Inbox.Support.Search;
using System.Text.Json.Serialization;
using Whop.Inbox.Team;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Support;

/// <summary><c>/support_channels</c>: Whop's create, retrieve and list, plus the inbox calls that are ours.</summary>
public static class SupportChannelsApi
{
    public sealed record CreateSupportChannelRequest(string? CompanyId, string? UserId, string? CustomName);

    /// <summary>
    /// Whop's SupportChannel; status, unread_count, last_message_preview, created_at, assignee_id, labels, priority and
    /// the snooze are ours (assignee_id null, labels empty and priority none for a caller outside the team). A snoozed
    /// chat has status <c>snoozed</c> and either <c>snoozed_until</c> (its wake-up time) or
    /// <c>snooze_until_customer_replies: true</c> (<c>snoozed_until</c> null); awake, both are null and false.
    /// </summary>
    public sealed record SupportChannelResponse(
        string Id, string? CompanyId, string? CustomName, UserResponse? CustomerUser, DateTimeOffset? LastMessageAt,
        DateTimeOffset? ResolvedAt, string Status, int UnreadCount, string? LastMessagePreview, DateTimeOffset CreatedAt, string? AssigneeId,
        IReadOnlyList<LabelView> Labels, ChatPriority Priority, DateTimeOffset? SnoozedUntil, bool SnoozeUntilCustomerReplies,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SearchApi.MatchedMessageResponse? MatchedMessage = null)
    {
        public static SupportChannelResponse From(SupportChatView c) => new(c.Id, c.CompanyId, c.CustomName, UserResponse.From(c.Customer),
            c.LastMessageAt, c.ResolvedAt, c.Status.ToString().ToLowerInvariant(), c.UnreadCount, c.LastMessagePreview, c.CreatedAt, c.Assignee?.Id,
            c.Labels, c.Priority, c.SnoozedUntil, c.SnoozedUntilCustomerReplies);
    }

    /// <summary>
    /// Ours: any of <c>assignee_id</c> (a team member's user id, or null to unassign), <c>label_ids</c> (the chat's
    /// labels, the whole list), <c>priority</c> (none, low, medium, high, urgent) and <c>snooze</c>
    /// (<c>{"until": "&lt;ISO time&gt;"}</c>, <c>{"until_customer_replies": true}</c>, or null to wake the chat now),
    /// applied as one change.
    /// </summary>
    public sealed record UpdateSupportChannelRequest(Optional<string?> AssigneeId, Optional<IReadOnlyList<string?>?> LabelIds,
        Optional<string?> Priority, Optional<SnoozeBody?> Snooze);
    /// <summary>Ours: a chat's snooze, in a PATCH. <c>until</c> is an ISO 8601 time with its offset.</summary>
    public sealed record SnoozeBody(string? Until, bool? UntilCustomerReplies)
    {
        /// <summary>The request the body makes, or why it makes none.</summary>
        public static Outcome<SnoozeRequest> Parse(SnoozeBody? body)
        {
            if (body is null) return new SnoozeRequest.WakeNow();
            if (body.Until is not null && body.UntilCustomerReplies == true)
                return Failure.Invalid(Snoozes.Field, "snooze takes until or until_customer_replies, not both.");
            if (body.UntilCustomerReplies == true) return new SnoozeRequest.UntilCustomerReplies();
            if (body.Until is null)
                return Failure.Invalid(Snoozes.Field, "snooze needs until (an ISO 8601 time) or until_customer_replies: true; null wakes the chat.");
            // An offset is required: a time without one means a different moment in every time zone.
            if (!DateTimeOffset.TryParse(body.Until, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || !HasOffset(body.Until))
                return Failure.Invalid(Snoozes.UntilField, "snooze.until must be an ISO 8601 time with its offset, e.g. 2026-12-08T09:00:00Z.");
            return new SnoozeRequest.Until(at);
        }

        private static bool HasOffset(string value)
        {
            var time = value.AsSpan().Trim();
            var t = time.IndexOfAny('T', 't');
            if (t < 0) return false;
            var clock = time[(t + 1)..];
            return clock.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || clock.IndexOfAny('+', '-') > 0;
        }
    }

    public sealed record AssignmentSettingsRequest(string? CompanyId, bool? AutoAssign);

    public sealed record AssignmentSettingsResponse(string CompanyId, bool AutoAssign);

    public sealed record UnreadCountsResponse(int Open, int Waiting, int Resolved, int Snoozed, int All);

    public static RouteGroupBuilder MapSupportChannelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/support_channels").WithTags("Support channels");
        group.MapPost("/", CreateAsync).WithSummary("Open the customer's support chat with the company, or return the one that exists.");
        group.MapGet("/", ListAsync).WithSummary("List support chats: filter by open, status, view and customer; order by activity or creation. " +
            "Ours: query searches messages and customers (see docs/search.md); each chat then carries matched_message.");
        group.MapGet("/unread_counts", UnreadCountsAsync).WithSummary("Ours: how many chats per status have messages the caller has not read.");
        group.MapGet("/{id}", GetAsync).WithSummary("Retrieve a support chat.");
        group.MapPatch("/{id}", UpdateAsync)
            .WithSummary("Ours: change the chat's assignee_id, label_ids, priority and snooze (any of them) in one change.");
        group.MapGet("/settings", GetSettingsAsync).WithSummary("Ours: the company's assignment setting (auto_assign).");
        group.MapPatch("/settings", SetSettingsAsync).WithSummary("Ours: turn automatic assignment on or off (admins and API keys).");
        group.MapPost("/{id}/resolve", ResolveAsync).WithSummary("Ours: resolve (moderators and admins).");
        group.MapPost("/{id}/reopen", ReopenAsync).WithSummary("Ours: reopen (moderators and admins).");
        group.MapPost("/{id}/mark_read", MarkReadAsync).WithSummary("Ours: mark the chat read for the caller.");
        api.MapLabelsApi();
        api.MapReportsApi();
        group.MapSupportChannelsBulkApi();
        return api;
    }

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> CreateAsync(CreateSupportChannelRequest? request, Actor actor,
        SupportChats chats, CancellationToken ct) =>
        chats.OpenAsync(actor, request?.CompanyId, request?.UserId, request?.CustomName, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> GetAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.GetAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static async Task<Results<Ok<PageResponse<SupportChannelResponse>>, ApiProblem>> ListAsync(
        Actor actor, SupportChats chats, SupportSearch search, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null, bool? open = null, string? status = null, string? view = null,
        string? order = null, string? direction = null, [FromQuery(Name = "customer_id")] string? customerId = null,
        [FromQuery(Name = "assignee_id")] string? assigneeId = null, [FromQuery(Name = "label")] string[]? label = null,
        string? priority = null, [FromQuery(Name = "sort_by_priority")] bool? sortByPriority = null,
        int? first = null, string? after = null, int? last = null, string? before = null, string? query = null)
    {
        if (query is not null) return await SearchApi.SearchChatsAsync(actor, search, companyId, query, new PageRequest(first, after, last, before), ct);
        var parsedStatus = ParseChoice(status, "status", ("open", SupportStatus.Open), ("waiting", SupportStatus.Waiting), ("resolved", SupportStatus.Resolved),
            ("snoozed", SupportStatus.Snoozed));
        var parsedView = ParseChoice(view, "view", ("admin", SupportView.Admin), ("customer", SupportView.Customer), ("all", SupportView.All));
        var parsedOrder = ParseChoice(order, "order", ("last_post_sent_at", SupportOrder.LastPostSentAt), ("created_at", SupportOrder.CreatedAt));
        var parsedDirection = ParseChoice(direction, "direction", ("desc", true), ("asc", false));
        var parsedPriority = priority is null ? default : ChatPriorities.Parse(priority);
        if ((parsedStatus.Failure ?? parsedView.Failure ?? parsedOrder.Failure ?? parsedDirection.Failure ?? parsedPriority.Failure) is { } invalid)
            return ApiProblems.From(invalid);
        if (label?.Any(string.IsNullOrWhiteSpace) == true) return ApiProblems.From(Failure.Invalid("label", "label must be a label id."));

        if (assigneeId is not null && string.IsNullOrWhiteSpace(assigneeId))
            return ApiProblems.From(Failure.Invalid("assignee_id", "assignee_id must be me, none or a user id."));
        var filters = new SupportChatQuery(companyId, open, parsedStatus.Value, parsedView.Value,
            parsedOrder.Value ?? SupportOrder.LastPostSentAt, parsedDirection.Value ?? true, customerId, AssigneeFilter.Parse(assigneeId),
            label is { Length: > 0 } ? [.. label.Distinct()] : null, priority is null ? null : parsedPriority.Value, sortByPriority ?? false);
        return await chats.ListAsync(actor, filters, new PageRequest(first, after, last, before), ct)
            .ToResultAsync(page => page.ToResponse(SupportChannelResponse.From));
    }

    public static async Task<Results<Ok<SupportChannelResponse>, ApiProblem>> UpdateAsync(string id, UpdateSupportChannelRequest? request,
        Actor actor, SupportChatUpdates updates, CancellationToken ct)
    {
        if (request is null || request is { AssigneeId.IsPresent: false, LabelIds.IsPresent: false, Priority.IsPresent: false, Snooze.IsPresent: false })
            return ApiProblems.From(Failure.Invalid("assignee_id", "Give at least one of assignee_id, label_ids, priority, snooze."));
        if (request.LabelIds is { IsPresent: true, Value: null })
            return ApiProblems.From(Failure.Invalid("label_ids", "label_ids must be a list of label ids; [] takes every label off."));
        var priority = default(Optional<ChatPriority>);
        if (request.Priority.IsPresent)
        {
            var parsed = ChatPriorities.Parse(request.Priority.Value);
            if (parsed.Failure is { } badPriority) return ApiProblems.From(badPriority);
            priority = new Optional<ChatPriority>(parsed.Value);
        }
        SnoozeRequest? snooze = null;
        if (request.Snooze.IsPresent)
        {
            var parsed = SnoozeBody.Parse(request.Snooze.Value);
            if (parsed.Failure is { } badSnooze) return ApiProblems.From(badSnooze);
            snooze = parsed.Value;
        }
        var update = new SupportChatUpdate(
            request.AssigneeId,
            request.LabelIds.IsPresent ? new Optional<IReadOnlyList<string?>>(request.LabelIds.Value!) : default,
            priority,
            snooze);
        return await updates.UpdateAsync(actor, id, update, ct).ToResultAsync(SupportChannelResponse.From);
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
            c[SupportStatus.Open], c[SupportStatus.Waiting], c[SupportStatus.Resolved], c[SupportStatus.Snoozed], c.Values.Sum()));

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> ResolveAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.ResolveAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<SupportChannelResponse>, ApiProblem>> ReopenAsync(string id, Actor actor, SupportChats chats, CancellationToken ct) =>
        chats.ReopenAsync(actor, id, ct).ToResultAsync(SupportChannelResponse.From);

    public static Task<Results<Ok<MarkReadResponse>, ApiProblem>> MarkReadAsync(string id, Actor actor, ReadMarker reads, CancellationToken ct) =>
        reads.MarkReadAsync(actor, id, ct).ToResultAsync(at => new MarkReadResponse(id, at));
}
