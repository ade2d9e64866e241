using Microsoft.AspNetCore.Http.HttpResults;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Support.Search;

/// <summary>
/// Search on the API: <c>query</c> on <c>GET /support_channels</c> and <c>GET /messages</c> (ours). The lists keep their
/// shape; a found chat adds <c>matched_message</c>, a found message <c>snippet</c>.
/// </summary>
public static class SearchApi
{
    /// <summary>The message a chat was found by; <c>snippet</c> is HTML: the text encoded, the matched words in <c>&lt;mark&gt;</c>.</summary>
    public sealed record MatchedMessageResponse(string Id, DateTimeOffset CreatedAt, string Snippet);

    public static async Task<Results<Ok<PageResponse<SupportChannelsApi.SupportChannelResponse>>, ApiProblem>> SearchChatsAsync(Actor actor,
        SupportSearch search, string? companyId, string query, PageRequest page, CancellationToken ct) =>
        await search.ChatsAsync(actor, companyId, query, page, ct).ToResultAsync(found => found.ToResponse(m =>
            SupportChannelsApi.SupportChannelResponse.From(m.Chat) with
            {
                MatchedMessage = m.Message is { } message ? new MatchedMessageResponse(message.Id, message.CreatedAt, message.Snippet) : null,
            }));

    public static Task<Results<Ok<PageResponse<MessagesApi.MessageResponse>>, ApiProblem>> SearchMessagesAsync(Actor actor, SupportSearch search,
        string? channelId, string query, PageRequest page, CancellationToken ct) =>
        search.MessagesAsync(actor, channelId, query, page, ct)
            .ToResultAsync(found => found.ToResponse(m => MessagesApi.MessageResponse.From(m.Message) with { Snippet = m.Snippet }));
}
