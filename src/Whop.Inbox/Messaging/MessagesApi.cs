using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json.Serialization;
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
    public sealed record Poll(List<PollOption>? Options)
    {
        /// <summary>The options as written, for the service to check (missing ones are a poll without options).</summary>
        public IReadOnlyList<(string? Id, string? Text)> AsInput() => (Options ?? []).Select(o => (o?.Id, o?.Text)).ToList();
    }

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

    public sealed record PollOptionResponse(string Id, string Text);

    public sealed record PollResponse(IReadOnlyList<PollOptionResponse> Options)
    {
        public static PollResponse? From(PollView? poll) => poll is null ? null : new(poll.Options.Select(o => new PollOptionResponse(o.Id, o.Text)).ToList());
    }

    /// <summary>Whop's poll vote count: every option of the poll, in order, with those that have none at 0.</summary>
    public sealed record PollVoteResponse(int Count, string OptionId)
    {
        public static IReadOnlyList<PollVoteResponse> From(PollView? poll) => poll?.Options.Select(o => new PollVoteResponse(o.Votes, o.Id)).ToList() ?? [];
    }

    /// <summary>
    /// Whop's Message; channel_id and visibility (<c>everyone</c>, or <c>team</c> for an internal note) are
    /// ours. View counts are not supported (null). <c>attachments</c> (ours, as Whop's request has them) are
    /// the message's files.
    /// </summary>
    public sealed record MessageResponse(
        string Id, string ChannelId, string Content, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool IsEdited, bool IsPinned,
        IReadOnlyList<string> Mentions, bool MentionsEveryone, MessageType MessageType, PollResponse? Poll, IReadOnlyList<PollVoteResponse> PollVotes,
        IReadOnlyList<ReactionCountResponse> ReactionCounts, string? ReplyingToMessageId, UserResponse User, int? ViewCount,
        MessageVisibility Visibility, IReadOnlyList<FilesApi.FileResponse> Attachments,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Snippet = null)
    {
        public static MessageResponse From(MessageView m) => new(m.Id, m.ChannelId, m.Content, m.CreatedAt, m.UpdatedAt, m.IsEdited,
            m.IsPinned, m.Mentions, m.MentionsEveryone, m.MessageType, PollResponse.From(m.Poll), PollVoteResponse.From(m.Poll),
            m.ReactionCounts.Select(r => new ReactionCountResponse(r.Count, r.Emoji)).ToList(),
            m.ReplyingToMessageId, UserResponse.From(m.User), null, m.Visibility, m.Files.Select(FilesApi.FileResponse.From).ToList());
    }

    public sealed record CreateReactionRequest(string? ResourceId, string? Emoji, string? PollOptionId);

    /// <summary>Whop's Reaction: an emoji, or a poll vote (emoji null); <c>poll_option_id</c>, the option voted for, is ours.</summary>
    public sealed record ReactionResponse(string Id, string? Emoji, string ResourceId, UserResponse User, DateTimeOffset CreatedAt, string? PollOptionId)
    {
        public static ReactionResponse From(ReactionView r) => new(r.Id, r.Emoji, r.MessageId, UserResponse.From(r.User), r.CreatedAt, r.PollOptionId);
    }

    public static RouteGroupBuilder MapMessagesApi(this RouteGroupBuilder api)
    {
        var messages = api.MapGroup("/messages").WithTags("Messages");
        messages.MapGet("/", ListAsync).WithSummary("A conversation's messages by creation time (direction asc, the default, or desc). " +
            "Ours: query finds the conversation's messages that match (newest first, each with a snippet; see docs/search.md).");
        messages.MapGet("/{id}", GetAsync).WithSummary("Retrieve a message.");
        messages.MapPost("/", CreateAsync)
            .WithSummary($"Send a message: Markdown, 1 to {Message.MaxContentLength} characters after trimming. Ours: client_message_id " +
                "makes a retry return the first message instead of sending another; visibility \"team\" writes an internal note " +
                "in a support chat, which only the company's team reads. poll {options: [{id, text}]} (2 to 10, ids from \"1\") makes it a poll.");
        messages.MapPatch("/{id}", UpdateAsync).WithSummary(
            "Edit your message's content or its attachments (the whole new list; files left out are deleted), or pin it (moderators).");
        messages.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a message: its author, a DM's admins, or the team in support chats.");

        var reactions = api.MapGroup("/reactions").WithTags("Reactions");
        reactions.MapGet("/", ListReactionsAsync).WithSummary("A message's reactions, oldest first.");
        reactions.MapPost("/", AddReactionAsync).WithSummary("React to a message (the same emoji twice is one reaction), or vote in its poll with " +
            "poll_option_id (one vote per person: a vote for another option moves it).");
        reactions.MapGet("/{id}", GetReactionAsync).WithSummary("Retrieve a reaction.");
        reactions.MapDelete("/{id}", RemoveReactionAsync).WithSummary("Remove a reaction or a vote by its id, your reaction with ?emoji= from a " +
            "message id, or your vote in the message's poll from its id without an emoji.");
        return api;
    }

    public static Task<Results<Ok<PageResponse<MessageResponse>>, ApiProblem>> ListAsync(Actor actor, MessageService service,
        Support.Search.SupportSearch search, CancellationToken ct,
        [FromQuery(Name = "channel_id")] string? channelId = null, string? direction = null,
        int? first = null, string? after = null, int? last = null, string? before = null, string? query = null) =>
        query is not null
            ? Support.Search.SearchApi.SearchMessagesAsync(actor, search, channelId, query, new PageRequest(first, after, last, before), ct)
            : service.ListAsync(actor, channelId, direction, new PageRequest(first, after, last, before), ct)
                .ToResultAsync(page => page.ToResponse(MessageResponse.From));

    public static Task<Results<Ok<MessageResponse>, ApiProblem>> GetAsync(string id, Actor actor, MessageService service, CancellationToken ct) =>
        service.GetAsync(actor, id, ct).ToResultAsync(MessageResponse.From);

    public static async Task<Results<Ok<MessageResponse>, ApiProblem>> CreateAsync(CreateMessageRequest? request, Actor actor,
        MessageService service, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        var visibility = ParseVisibility(request.Visibility);
        if (visibility.Failure is { } invalid) return ApiProblems.From(invalid);
        return await service.CreateAsync(actor, request.ChannelId, request.Content, request.ReplyingToMessageId, request.ClientMessageId,
                visibility.Value ?? MessageVisibility.Everyone, request.Poll?.AsInput(), AttachmentIds(request.Attachments), ct)
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
        if (request?.PollOptionId is not null)
        {
            if (request.Emoji is not null) return ApiProblems.From(Failure.Rejected("Give an emoji or a poll_option_id, not both.", "poll_option_id"));
            return await service.VoteAsync(actor, request.ResourceId, request.PollOptionId, ct).ToResultAsync(ReactionResponse.From);
        }
        return await service.AddAsync(actor, request?.ResourceId, request?.Emoji, ct).ToResultAsync(ReactionResponse.From);
    }

    public static Task<Results<Ok<ReactionResponse>, ApiProblem>> GetReactionAsync(string id, Actor actor, ReactionService service, CancellationToken ct) =>
        service.GetAsync(actor, id, ct).ToResultAsync(ReactionResponse.From);

    public static Task<Results<Ok<bool>, ApiProblem>> RemoveReactionAsync(string id, Actor actor, ReactionService service, CancellationToken ct,
        string? emoji = null) =>
        service.RemoveAsync(actor, id, emoji, ct).ToResultAsync(_ => true);
}
