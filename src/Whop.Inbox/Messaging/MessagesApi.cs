using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Files;
using Whop.Inbox.Identity.Rights;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Messaging;

/// <summary><c>/messages</c> and <c>/reactions</c>, as Whop's API has them.</summary>
public static class MessagesApi
{
    public sealed record AttachmentRef(string? Id);
    public sealed record PollOption(string? Id, string? Text);
    public sealed record Poll(List<PollOption>? Options);

    /// <summary>
    /// Whop's body; <c>client_message_id</c> is ours (an idempotency key, so a retried send is not sent twice),
    /// and so is <c>visibility</c>: <c>team</c> makes an internal note in a support chat.
    /// </summary>
    public sealed record CreateMessageRequest(string? ChannelId, string? Content, string? ReplyingToMessageId,
        List<AttachmentRef?>? Attachments, Poll? Poll, bool? AutoDetectLinks, string? ClientMessageId = null, string? Visibility = null);

    /// <summary>The <c>visibility</c> field: <c>everyone</c> (the default) or <c>team</c>.</summary>
    public static Outcome<MessageVisibility?> ParseVisibility(string? value) =>
        ParseChoice(value, "visibility", ("everyone", MessageVisibility.Everyone), ("team", MessageVisibility.Team));

    public sealed record UpdateMessageRequest(string? Content, bool? IsPinned, List<AttachmentRef?>? Attachments);

    public sealed record ReactionCountResponse(int Count, string Emoji);

    /// <summary>
    /// Whop's Message; channel_id and visibility (<c>everyone</c>, or <c>team</c> for an internal note) are
    /// ours. Polls and view counts are not supported (null/empty). <c>attachments</c> (ours, as Whop's
    /// request has them) are the message's files.
    /// </summary>
    public sealed record MessageResponse(
        string Id, string ChannelId, string Content, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool IsEdited, bool IsPinned,
        IReadOnlyList<string> Mentions, bool MentionsEveryone, MessageType MessageType, object? Poll, IReadOnlyList<object> PollVotes,
        IReadOnlyList<ReactionCountResponse> ReactionCounts, string? ReplyingToMessageId, UserResponse User, int? ViewCount,
        MessageVisibility Visibility, IReadOnlyList<FilesApi.FileResponse> Attachments)
    {
        public static MessageResponse From(MessageView m) => new(m.Id, m.ChannelId, m.Content, m.CreatedAt, m.UpdatedAt, m.IsEdited,
            m.IsPinned, m.Mentions, m.MentionsEveryone, m.MessageType, null, [], m.ReactionCounts.Select(r => new ReactionCountResponse(r.Count, r.Emoji)).ToList(),
            m.ReplyingToMessageId, UserResponse.From(m.User), null, m.Visibility, m.Files.Select(FilesApi.FileResponse.From).ToList());
    }

    public sealed record CreateReactionRequest(string? ResourceId, string? Emoji, string? PollOptionId);

    public sealed record ReactionResponse(string Id, string Emoji, string ResourceId, UserResponse User, DateTimeOffset CreatedAt)
    {
        public static ReactionResponse From(ReactionView r) => new(r.Id, r.Emoji, r.MessageId, UserResponse.From(r.User), r.CreatedAt);
    }

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/messages").WithTags("Messages");
        messages.MapGet("/", ListAsync).WithSummary("A conversation's messages by creation time (direction asc, the default, or desc).");
        messages.MapGet("/{id}", GetAsync).WithSummary("Retrieve a message.");
        messages.MapPost("/", CreateAsync)
            .WithSummary($"Send a message: Markdown, 1 to {Message.MaxContentLength} characters after trimming. Ours: client_message_id " +
                "makes a retry return the first message instead of sending another; visibility \"team\" writes an internal note " +
                "in a support chat, which only the company's team reads.");
        messages.MapPatch("/{id}", UpdateAsync).WithSummary(
            "Edit your message's content or its attachments (the whole new list; files left out are deleted), or pin it (moderators).");
        messages.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a message: its author, a DM's admins, or the team in support chats.");

        var reactions = api.MapGroup("/reactions").WithTags("Reactions");
        reactions.MapGet("/", ListReactionsAsync).WithSummary("A message's reactions, oldest first.");
        reactions.MapPost("/", AddReactionAsync).WithSummary("React to a message; the same emoji twice is one reaction.");
        reactions.MapGet("/{id}", GetReactionAsync).WithSummary("Retrieve a reaction.");
        reactions.MapDelete("/{id}", RemoveReactionAsync).WithSummary("Remove a reaction by its id, or your reaction with ?emoji= from a message id.");
        return api;
    }

    public static Task<Results<Ok<PageResponse<MessageResponse>>, ApiProblem>> ListAsync(Actor actor, MessageService service, CancellationToken ct,
        [FromQuery(Name = "channel_id")] string? channelId = null, string? direction = null,
        int? first = null, string? after = null, int? last = null, string? before = null) =>
        service.ListAsync(actor, channelId, direction, new PageRequest(first, after, last, before), ct)
            .ToResultAsync(page => page.ToResponse(MessageResponse.From));

    public static Task<Results<Ok<MessageResponse>, ApiProblem>> GetAsync(string id, Actor actor, MessageService service, CancellationToken ct) =>
        service.GetAsync(actor, id, ct).ToResultAsync(MessageResponse.From);

    public static async Task<Results<Ok<MessageResponse>, ApiProblem>> CreateAsync(CreateMessageRequest? request, Actor actor,
        MessageService service, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        if (request.Poll is not null) return ApiProblems.From(Failure.Rejected("Polls are not supported by this server.", "poll"));
        var visibility = ParseVisibility(request.Visibility);
        if (visibility.Failure is { } invalid) return ApiProblems.From(invalid);
        return await service.CreateAsync(actor, request.ChannelId, request.Content, request.ReplyingToMessageId, request.ClientMessageId,
                visibility.Value ?? MessageVisibility.Everyone, AttachmentIds(request.Attachments), ct)
            .ToResultAsync(MessageResponse.From);
    }

    public static async Task<Results<Ok<MessageResponse>, ApiProblem>> UpdateAsync(string id, UpdateMessageRequest? request, Actor actor,
        MessageService service, CancellationToken ct)
    {
        return await service.UpdateAsync(actor, id, request?.Content, request?.IsPinned, AttachmentIds(request?.Attachments), ct)
            .ToResultAsync(MessageResponse.From);
    }

    /// <summary><c>attachments: [{id}]</c> as the ids the service takes (null: not given, so an edit leaves them).</summary>
    public static IReadOnlyList<string?>? AttachmentIds(List<AttachmentRef?>? attachments) => attachments?.Select(a => a?.Id).ToList();

    public static Task<Results<Ok<bool>, ApiProblem>> DeleteAsync(string id, Actor actor, MessageService service, CancellationToken ct) =>
        service.DeleteAsync(actor, id, ct).ToResultAsync(_ => true);

    public static Task<Results<Ok<PageResponse<ReactionResponse>>, ApiProblem>> ListReactionsAsync(Actor actor, ReactionService service,
        CancellationToken ct, [FromQuery(Name = "resource_id")] string? resourceId = null,
        int? first = null, string? after = null, int? last = null, string? before = null) =>
        service.ListAsync(actor, resourceId, new PageRequest(first, after, last, before), ct).ToResultAsync(page => page.ToResponse(ReactionResponse.From));

    public static async Task<Results<Ok<ReactionResponse>, ApiProblem>> AddReactionAsync(CreateReactionRequest? request, Actor actor,
        ReactionService service, CancellationToken ct)
    {
        if (request?.PollOptionId is not null) return ApiProblems.From(Failure.Rejected("Polls are not supported by this server.", "poll_option_id"));
        return await service.AddAsync(actor, request?.ResourceId, request?.Emoji, ct).ToResultAsync(ReactionResponse.From);
    }

    public static Task<Results<Ok<ReactionResponse>, ApiProblem>> GetReactionAsync(string id, Actor actor, ReactionService service, CancellationToken ct) =>
        service.GetAsync(actor, id, ct).ToResultAsync(ReactionResponse.From);

    public static Task<Results<Ok<bool>, ApiProblem>> RemoveReactionAsync(string id, Actor actor, ReactionService service, CancellationToken ct,
        string? emoji = null) =>
        service.RemoveAsync(actor, id, emoji, ct).ToResultAsync(_ => true);
}
