using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.DirectMessages;

/// <summary><c>/dm_channels</c> and <c>/dm_members</c>, as Whop's API has them.</summary>
public static class DmChannelsApi
{
    public sealed record CreateDmChannelRequest(List<string>? WithUserIds, string? CompanyId, string? CustomName);
    public sealed record UpdateDmChannelRequest(string? CustomName);

    /// <summary>Whop's DmChannel; custom_name, company_id, member_count and unread_count are ours.</summary>
    public sealed record DmChannelResponse(string Id, DateTimeOffset CreatedAt, DateTimeOffset? LastMessageAt, string? Name,
        string? CustomName, string? CompanyId, int MemberCount, int UnreadCount)
    {
        public static DmChannelResponse From(DmView d) =>
            new(d.Id, d.CreatedAt, d.LastMessageAt, d.Name, d.CustomName, d.CompanyId, d.MemberCount, d.UnreadCount);
    }

    public sealed record CreateDmMemberRequest(string? ChannelId, string? UserId);
    public sealed record UpdateDmMemberRequest(NotificationPreference? NotificationPreference, MemberStatus? Status);

    /// <summary>Whop's DmMember; user and created_at are ours.</summary>
    public sealed record DmMemberResponse(string Id, string ChannelId, string UserId, MemberStatus Status, DateTimeOffset? LastViewedAt,
        NotificationPreference NotificationPreference, UserResponse User, DateTimeOffset CreatedAt)
    {
        public static DmMemberResponse From(DmMemberView m) => new(m.Id, m.ChannelId, m.UserId, m.Status, m.LastViewedAt,
            m.NotificationPreference, UserResponse.From(m.User), m.CreatedAt);
    }

    public static RouteGroupBuilder MapDmChannelsApi(this RouteGroupBuilder api)
    {
        var channels = api.MapGroup("/dm_channels").WithTags("DM channels");
        channels.MapPost("/", CreateAsync).WithSummary("Create a DM with these members (the caller included), or return the one with exactly them.");
        channels.MapGet("/", ListAsync).WithSummary("The caller's DMs, most recently active first.");
        channels.MapGet("/{id}", GetAsync).WithSummary("Retrieve a DM (members only).");
        channels.MapPatch("/{id}", RenameAsync).WithSummary("Rename a DM (its admins).");
        channels.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a DM and its messages (its admins).");
        channels.MapPost("/{id}/mark_read", MarkReadAsync).WithSummary("Ours: mark the DM read for the caller.");

        var members = api.MapGroup("/dm_members").WithTags("DM members");
        members.MapGet("/", ListMembersAsync).WithSummary("A DM's members, in the order they were added.");
        members.MapPost("/", AddMemberAsync).WithSummary("Add a member (the DM's admins); the 51st is refused with 422.");
        members.MapGet("/{id}", GetMemberAsync).WithSummary("Retrieve a DM member.");
        members.MapPatch("/{id}", UpdateMemberAsync).WithSummary("Change a member's notification preference or status.");
        members.MapDelete("/{id}", RemoveMemberAsync).WithSummary("Remove a member (the DM's admins), or leave (yourself).");
        return api;
    }

    public static Task<Results<Ok<DmChannelResponse>, ApiProblem>> CreateAsync(CreateDmChannelRequest? request, Actor actor,
        DirectMessageService dms, CancellationToken ct) =>
        dms.CreateAsync(actor, request?.WithUserIds, request?.CompanyId, request?.CustomName, ct).ToResultAsync(DmChannelResponse.From);

    public static Task<Results<Ok<PageResponse<DmChannelResponse>>, ApiProblem>> ListAsync(Actor actor, DirectMessageService dms, CancellationToken ct,
        [FromQuery(Name = "company_id")] string? companyId = null, int? first = null, string? after = null, int? last = null, string? before = null) =>
        dms.ListAsync(actor, companyId, new PageRequest(first, after, last, before), ct).ToResultAsync(page => page.ToResponse(DmChannelResponse.From));

    public static Task<Results<Ok<DmChannelResponse>, ApiProblem>> GetAsync(string id, Actor actor, DirectMessageService dms, CancellationToken ct) =>
        dms.GetAsync(actor, id, ct).ToResultAsync(DmChannelResponse.From);

    public static Task<Results<Ok<DmChannelResponse>, ApiProblem>> RenameAsync(string id, UpdateDmChannelRequest? request, Actor actor,
        DirectMessageService dms, CancellationToken ct) =>
        dms.RenameAsync(actor, id, request?.CustomName, ct).ToResultAsync(DmChannelResponse.From);

    public static Task<Results<Ok<bool>, ApiProblem>> DeleteAsync(string id, Actor actor, DirectMessageService dms, CancellationToken ct) =>
        dms.DeleteAsync(actor, id, ct).ToResultAsync(_ => true);

    public static Task<Results<Ok<MarkReadResponse>, ApiProblem>> MarkReadAsync(string id, Actor actor, ReadMarker reads, CancellationToken ct) =>
        reads.MarkReadAsync(actor, id, ct).ToResultAsync(at => new MarkReadResponse(id, at));

    public static Task<Results<Ok<PageResponse<DmMemberResponse>>, ApiProblem>> ListMembersAsync(Actor actor, DirectMessageService dms,
        CancellationToken ct, [FromQuery(Name = "channel_id")] string? channelId = null,
        int? first = null, string? after = null, int? last = null, string? before = null) =>
        dms.ListMembersAsync(actor, channelId, new PageRequest(first, after, last, before), ct).ToResultAsync(page => page.ToResponse(DmMemberResponse.From));

    public static Task<Results<Ok<DmMemberResponse>, ApiProblem>> AddMemberAsync(CreateDmMemberRequest? request, Actor actor,
        DirectMessageService dms, CancellationToken ct) =>
        dms.AddMemberAsync(actor, request?.ChannelId, request?.UserId, ct).ToResultAsync(DmMemberResponse.From);

    public static Task<Results<Ok<DmMemberResponse>, ApiProblem>> GetMemberAsync(string id, Actor actor, DirectMessageService dms, CancellationToken ct) =>
        dms.GetMemberAsync(actor, id, ct).ToResultAsync(DmMemberResponse.From);

    public static Task<Results<Ok<DmMemberResponse>, ApiProblem>> UpdateMemberAsync(string id, UpdateDmMemberRequest? request, Actor actor,
        DirectMessageService dms, CancellationToken ct) =>
        dms.UpdateMemberAsync(actor, id, request?.NotificationPreference, request?.Status, ct).ToResultAsync(DmMemberResponse.From);

    public static Task<Results<Ok<bool>, ApiProblem>> RemoveMemberAsync(string id, Actor actor, DirectMessageService dms, CancellationToken ct) =>
        dms.RemoveMemberAsync(actor, id, ct).ToResultAsync(_ => true);
}
