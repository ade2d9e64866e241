using System.Net;
using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.DirectMessages;

/// <summary>Small steps DM and reaction tests share, all through the public API.</summary>
internal static class DmScenario
{
    public const string Channels = "/api/v1/dm_channels";
    public const string Members = "/api/v1/dm_members";
    public const string Messages = "/api/v1/messages";
    public const string Reactions = "/api/v1/reactions";

    /// <summary>Creates a DM as the client's caller with these others, asserting success.</summary>
    public static Task<JsonNode> CreateDmAsync(this HttpClient client, params string[] withUserIds) =>
        client.PostJsonAsync(Channels, new { with_user_ids = withUserIds }).OkJsonAsync();

    /// <summary>Sends as a client does: refused because the app was busy (many sends at once in some tests), it sends again.</summary>
    public static Task<JsonNode> SendAsync(this HttpClient client, string channelId, string content) =>
        ApiClient.RetryingBusyAsync(() => client.PostJsonAsync(Messages, new { channel_id = channelId, content })).OkJsonAsync();

    /// <summary>The first 100 messages of a channel, oldest first.</summary>
    public static async Task<JsonArray> MessagesAsync(this HttpClient client, string channelId) =>
        (await client.GetAsync($"{Messages}?channel_id={channelId}&first=100").OkJsonAsync())["data"]!.AsArray();

    /// <summary>The first 100 members of a DM, in the order they were added.</summary>
    public static async Task<JsonArray> MembersAsync(this HttpClient client, string channelId) =>
        (await client.GetAsync($"{Members}?channel_id={channelId}&first=100").OkJsonAsync())["data"]!.AsArray();

    public static async Task<string> MemberIdAsync(this HttpClient client, string channelId, string userId) =>
        (await client.MembersAsync(channelId)).Single(m => m!["user_id"]!.GetValue<string>() == userId)!.Id();

    public static string Str(this JsonNode node, string field) => node[field]!.GetValue<string>();

    public static IEnumerable<string> UserIds(this JsonArray members) => members.Select(m => m!["user_id"]!.GetValue<string>());

    /// <summary>The system messages' contents, oldest first.</summary>
    public static IEnumerable<string> SystemContents(this JsonArray messages) =>
        messages.Where(m => m!["message_type"]!.GetValue<string>() == "system").Select(m => m!["content"]!.GetValue<string>());

    /// <summary>
    /// Users who will only ever be named, never act: created through the API with the bootstrap key,
    /// a few at a time, waiting out the per-credential rate limit if a burst of tests drained it.
    /// </summary>
    public static async Task<List<string>> NewUserIdsAsync(this InboxApp app, int count)
    {
        var backend = app.Backend();
        var ids = new string[count];
        using var gate = new SemaphoreSlim(6);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var username = $"bulk-{Guid.NewGuid():N}"[..24];
                for (var attempt = 0; ; attempt++)
                {
                    var created = await backend.PostJsonAsync("/api/v1/users", new { username, name = $"Bulk {username[^6..]}" });
                    if (created.StatusCode == HttpStatusCode.TooManyRequests && attempt < 20)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(created.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1));
                        continue;
                    }
                    ((int)created.StatusCode).ShouldBe(201, await created.Content.ReadAsStringAsync());
                    ids[i] = (await created.JsonAsync()).Id();
                    break;
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. ids];
    }
}
