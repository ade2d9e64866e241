using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Support.Bulk;

/// <summary>Ours: <c>POST /support_channels/bulk</c>, one action on up to 100 chats, answered per chat.</summary>
public static class BulkApi
{
    /// <summary>
    /// <c>ids</c> (1 to 100 support chat ids, each once), <c>action</c>, and the action's fields:
    /// <c>assignee_id</c> for <c>assign</c> (a team member's user id, or null to unassign; it must be present),
    /// <c>label_ids</c> for <c>label</c> and <c>unlabel</c>, <c>snooze</c> for <c>snooze</c> (as in the PATCH:
    /// <c>{"until": …}</c>, <c>{"until_customer_replies": true}</c>, or null to wake).
    /// <c>company_id</c>: whose inbox, by default the credential's. No parameter has a default value: the API
    /// reference reads defaults as JSON and cannot read a <see cref="Optional{T}"/> one.
    /// </summary>
    public sealed record BulkRequest(IReadOnlyList<string>? Ids, string? Action, Optional<string?> AssigneeId, string? CompanyId,
        IReadOnlyList<string>? LabelIds, Optional<SupportChannelsApi.SnoozeBody?> Snooze);

    /// <summary>
    /// One chat's result: <c>status</c> is the HTTP status the same change of that chat alone would have
    /// answered (200 done; 403, 404, 409 already as asked, 422, 503), and <c>error</c>, on all but 200,
    /// the <c>error</c> object of that answer's problem: <c>{type, message, param}</c>.
    /// </summary>
    public sealed record BulkItemResponse(string Id, int Status, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ApiError? Error)
    {
        public static BulkItemResponse From(BulkItemResult result) => result.Failure is { } failure
            ? new(result.ChatId, ApiProblems.StatusOf(failure.Kind), ApiProblems.ErrorOf(failure))
            : new(result.ChatId, StatusCodes.Status200OK, null);
    }

    /// <summary>The results, one per id, in the order of <c>ids</c>.</summary>
    public sealed record BulkResponse(IReadOnlyList<BulkItemResponse> Results);

    /// <summary>The actions a bulk change takes, as the wire names them.</summary>
    public static readonly IReadOnlyList<string> Actions = ["assign", "label", "unlabel", "snooze", "resolve", "reopen"];

    public static RouteGroupBuilder MapSupportChannelsBulkApi(this RouteGroupBuilder supportChannels)
    {
        supportChannels.MapPost("/bulk", BulkAsync)
            .WithSummary("Ours: assign, label, unlabel, snooze, resolve or reopen up to 100 support chats at once; 200 with each chat's own result, in order.");
        return supportChannels;
    }

    public static async Task<Results<Ok<BulkResponse>, ApiProblem>> BulkAsync(BulkRequest? request, Actor actor, BulkActions bulk,
        CancellationToken ct)
    {
        var action = Parse(request);
        if (action.Failure is { } invalid) return ApiProblems.From(invalid);
        return await bulk.RunAsync(actor, request!.CompanyId, request.Ids, action.Value!, ct)
            .ToResultAsync(results => new BulkResponse(results.Select(BulkItemResponse.From).ToList()));
    }

    /// <summary>The action and its fields, or the first thing wrong with them (naming the field): before anything changes.</summary>
    public static Outcome<BulkAction> Parse(BulkRequest? request) => request?.Action switch
    {
        null when request is null => Failure.Invalid("ids", "A body is required: {\"ids\": [...], \"action\": ...}."),
        null or "" => Failure.Invalid("action", $"action is required: one of {string.Join(", ", Actions)}."),
        "assign" when !request.AssigneeId.IsPresent =>
            Failure.Invalid("assignee_id", "assignee_id is required for assign: a team member's user id, or null to unassign."),
        "assign" => new BulkAction.Assign(request.AssigneeId.Value),
        "label" or "unlabel" when request.LabelIds is null =>
            Failure.Invalid("label_ids", $"label_ids is required for {request.Action}: the labels' ids."),
        "label" => new BulkAction.Label(request.LabelIds!),
        "unlabel" => new BulkAction.Unlabel(request.LabelIds!),
        "snooze" when !request.Snooze.IsPresent =>
            Failure.Invalid("snooze", "snooze is required for snooze: {\"until\": \"<ISO time>\"}, {\"until_customer_replies\": true}, or null to wake."),
        "snooze" => SnoozeOf(request.Snooze.Value),
        "resolve" => new BulkAction.Resolve(),
        "reopen" => new BulkAction.Reopen(),
        var other => Failure.Invalid("action", $"action must be one of {string.Join(", ", Actions)}; not {other}."),
    };

    private static Outcome<BulkAction> SnoozeOf(SupportChannelsApi.SnoozeBody? body)
    {
        var parsed = SupportChannelsApi.SnoozeBody.Parse(body);
        return parsed.Failure is { } invalid ? invalid : new BulkAction.Snooze(parsed.Value!);
    }
}
