using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Support;

/// <summary><c>/support_channels</c>: Whop's create, retrieve and list, plus the inbox calls that are ours.</summary>
public static class SupportChannelsApi
{
    public sealed record CreateSupportChannelRequest(string? CompanyId, string? UserId, string? CustomName);

    /// <summary>Whop's SupportChannel; status, unread_count, last_message_preview and created_at are ours.</summary>
    public sealed record SupportChannelResponse(
        string Id, string? CompanyId, string? CustomName, UserResponse? CustomerUser, DateTimeOffset? LastMessageAt,
        DateTimeOffset? ResolvedAt, string Status, int UnreadCount, string? LastMessagePreview, DateTimeOffset CreatedAt)
    {
        public static SupportChannelResponse From(SupportChatView c) => new(c.Id, c.CompanyId, c.CustomName, UserResponse.From(c.Customer),
            c.LastMessageAt, c.ResolvedAt, c.Status.ToString().ToLowerInvariant(), c.UnreadCount, c.LastMessagePreview, c.CreatedAt);
    }

    public sealed record UnreadCountsResponse(int Open, int Waiting, int Resolved, int All);

    public sealed record MarkReadResponse(string ChannelId, DateTimeOffset LastViewedAt);

    public static RouteGroupBuilder MapSupportChannelsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/support_channels").WithTags("Support channels");
        group.MapPost("/", CreateAsync).WithSummary("Open the customer's support chat with the company, or return the one that exists.");
        group.MapGet("/", ListAsync).WithSummary("List support chats: filter by open, status, view and customer; order by activity or creation.");
        group.MapGet("/unread_counts", UnreadCountsAsync).WithSummary("Ours: how many chats per status have messages the caller has not read.");
        group.MapGet("/{id}", GetAsync).WithSummary("Retrieve a support chat.");
        group.MapPost("/{id}/resolve", (string id, ClaimsPrincipal user, SupportChats chats, CancellationToken ct) =>
            Respond(chats.ResolveAsync(Actor.From(user), id, ct))).WithSummary("Ours: resolve (moderators and admins).");
        group.MapPost("/{id}/reopen", (string id, ClaimsPrincipal user, SupportChats chats, CancellationToken ct) =>
            Respond(chats.ReopenAsync(Actor.From(user), id, ct))).WithSummary("Ours: reopen (moderators and admins).");
        group.MapPost("/{id}/mark_read", MarkReadAsync).WithSummary("Ours: mark the chat read for the caller.");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateSupportChannelRequest? request, ClaimsPrincipal user, SupportChats chats, CancellationToken ct) =>
        (await chats.OpenAsync(Actor.From(user), request?.CompanyId, request?.UserId, request?.CustomName, ct))
            .ToResult(c => TypedResults.Ok(SupportChannelResponse.From(c)));

    private static Task<IResult> GetAsync(string id, ClaimsPrincipal user, SupportChats chats, CancellationToken ct) =>
        Respond(chats.GetAsync(Actor.From(user), id, ct));

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal user, SupportChats chats, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null, bool? open = null, string? status = null, string? view = null,
        string? order = null, string? direction = null, [FromQuery(Name = "customer_id")] string? customerId = null,
        int? first = null, string? after = null, int? last = null, string? before = null)
    {
        var parsedStatus = ParseChoice(status, "status", ("open", SupportStatus.Open), ("waiting", SupportStatus.Waiting), ("resolved", SupportStatus.Resolved));
        var parsedView = ParseChoice(view, "view", ("admin", SupportView.Admin), ("customer", SupportView.Customer), ("all", SupportView.All));
        var parsedOrder = ParseChoice(order, "order", ("last_post_sent_at", SupportOrder.LastPostSentAt), ("created_at", SupportOrder.CreatedAt));
        var parsedDirection = ParseChoice(direction, "direction", ("desc", true), ("asc", false));
        if ((parsedStatus.Failure ?? parsedView.Failure ?? parsedOrder.Failure ?? parsedDirection.Failure) is { } invalid)
            return ApiProblems.From(invalid);

        var query = new SupportChatQuery(companyId, open, parsedStatus.Value, parsedView.Value,
            parsedOrder.Value ?? SupportOrder.LastPostSentAt, parsedDirection.Value ?? true, customerId);
        return (await chats.ListAsync(Actor.From(user), query, new PageRequest(first, after, last, before), ct))
            .ToResult(page => TypedResults.Ok(page.ToResponse(SupportChannelResponse.From)));
    }

    private static async Task<IResult> UnreadCountsAsync(ClaimsPrincipal user, SupportChats chats, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null) =>
        (await chats.UnreadCountsAsync(Actor.From(user), companyId, ct)).ToResult(c => TypedResults.Ok(new UnreadCountsResponse(
            c[SupportStatus.Open], c[SupportStatus.Waiting], c[SupportStatus.Resolved], c.Values.Sum())));

    private static async Task<IResult> MarkReadAsync(string id, ClaimsPrincipal user, ReadMarker reads, CancellationToken ct) =>
        (await reads.MarkReadAsync(Actor.From(user), id, ct)).ToResult(at => TypedResults.Ok(new MarkReadResponse(id, at)));

    private static async Task<IResult> Respond(Task<Outcome<SupportChatView>> outcome) =>
        (await outcome).ToResult(c => TypedResults.Ok(SupportChannelResponse.From(c)));
}
