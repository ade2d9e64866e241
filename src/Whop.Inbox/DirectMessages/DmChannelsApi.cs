using System.Security.Claims;
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
        channels.MapPost("/", async (CreateDmChannelRequest? request, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.CreateAsync(Actor.From(user), request?.WithUserIds, request?.CompanyId, request?.CustomName, ct))
                .ToResult(d => TypedResults.Ok(DmChannelResponse.From(d))))
            .WithSummary("Create a DM with these members (the caller included), or return the one with exactly them.");
        channels.MapGet("/", async (ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct,
                [FromQuery(Name = "company_id")] string? companyId = null,
                int? first = null, string? after = null, int? last = null, string? before = null) =>
                (await dms.ListAsync(Actor.From(user), companyId, new PageRequest(first, after, last, before), ct))
                .ToResult(page => TypedResults.Ok(page.ToResponse(DmChannelResponse.From))))
            .WithSummary("The caller's DMs, most recently active first.");
        channels.MapGet("/{id}", async (string id, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.GetAsync(Actor.From(user), id, ct)).ToResult(d => TypedResults.Ok(DmChannelResponse.From(d))))
            .WithSummary("Retrieve a DM (members only).");
        channels.MapPatch("/{id}", async (string id, UpdateDmChannelRequest? request, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.RenameAsync(Actor.From(user), id, request?.CustomName, ct)).ToResult(d => TypedResults.Ok(DmChannelResponse.From(d))))
            .WithSummary("Rename a DM (its admins).");
        channels.MapDelete("/{id}", async (string id, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.DeleteAsync(Actor.From(user), id, ct)).ToResult(_ => TypedResults.Ok(true)))
            .WithSummary("Delete a DM and its messages (its admins).");
        channels.MapPost("/{id}/mark_read", async (string id, ClaimsPrincipal user, ReadMarker reads, CancellationToken ct) =>
                (await reads.MarkReadAsync(Actor.From(user), id, ct)).ToResult(at => TypedResults.Ok(new { channel_id = id, last_viewed_at = at })))
            .WithSummary("Ours: mark the DM read for the caller.");

        var members = api.MapGroup("/dm_members").WithTags("DM members");
        members.MapGet("/", async (ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct,
                [FromQuery(Name = "channel_id")] string? channelId = null,
                int? first = null, string? after = null, int? last = null, string? before = null) =>
                (await dms.ListMembersAsync(Actor.From(user), channelId, new PageRequest(first, after, last, before), ct))
                .ToResult(page => TypedResults.Ok(page.ToResponse(DmMemberResponse.From))))
            .WithSummary("A DM's members, in the order they were added.");
        members.MapPost("/", async (CreateDmMemberRequest? request, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.AddMemberAsync(Actor.From(user), request?.ChannelId, request?.UserId, ct))
                .ToResult(m => TypedResults.Ok(DmMemberResponse.From(m))))
            .WithSummary("Add a member (the DM's admins); the 51st is refused with 422.");
        members.MapGet("/{id}", async (string id, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.GetMemberAsync(Actor.From(user), id, ct)).ToResult(m => TypedResults.Ok(DmMemberResponse.From(m))))
            .WithSummary("Retrieve a DM member.");
        members.MapPatch("/{id}", async (string id, UpdateDmMemberRequest? request, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.UpdateMemberAsync(Actor.From(user), id, request?.NotificationPreference, request?.Status, ct))
                .ToResult(m => TypedResults.Ok(DmMemberResponse.From(m))))
            .WithSummary("Change a member's notification preference or status.");
        members.MapDelete("/{id}", async (string id, ClaimsPrincipal user, DirectMessageService dms, CancellationToken ct) =>
                (await dms.RemoveMemberAsync(Actor.From(user), id, ct)).ToResult(_ => TypedResults.Ok(true)))
            .WithSummary("Remove a member (the DM's admins), or leave (yourself).");
        return api;
    }
}
