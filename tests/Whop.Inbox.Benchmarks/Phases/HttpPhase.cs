using System.Text.Json;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// The inbox and a conversation's history through the real REST API, as the moderator (an access
/// token), warm: each endpoint is called in turn (round robin, so they share the same moments of
/// the run), one request at a time, timed from sending to the last byte of the body. With several app
/// instances the requests alternate between them.
/// </summary>
public sealed class HttpPhase(BenchApi api, Action<string> say, IReadOnlyList<Uri>? instances = null)
{
    public sealed record Endpoint(string Name, string Path);

    /// <summary><paramref name="Statements"/>: the SQL statements a request made (the median; <paramref name="StatementsMax"/> the most), from the app's header.</summary>
    public sealed record Figure(string Name, string Path, Percentiles Latency, int? Statements, int? StatementsMax);

    public async Task<List<Figure>> RunAsync(string moderatorToken, int warmup, int iterations)
    {
        var clients = (instances is { Count: > 0 } ? instances : [api.BaseAddress])
            .Select(address => new HttpClient { BaseAddress = address, DefaultRequestHeaders = { Authorization = new("Bearer", moderatorToken) } }).ToList();
        try
        {
            return await RunAsync(clients, warmup, iterations);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    private async Task<List<Figure>> RunAsync(List<HttpClient> clients, int warmup, int iterations)
    {
        var endpoints = await EndpointsAsync(clients[0]);
        foreach (var e in endpoints) say($"  {e.Name}: {e.Path}");

        // One request to one instance, the next to the next.
        var sent = 0;
        HttpClient Next() => clients[sent++ % clients.Count];
        for (var i = 0; i < warmup; i++)
            foreach (var e in endpoints) await BenchApi.TimeGetAsync(Next(), e.Path);
        var samples = endpoints.ToDictionary(e => e.Name, _ => new List<double>(iterations));
        var statements = endpoints.ToDictionary(e => e.Name, _ => new List<int>(iterations));
        for (var i = 0; i < iterations; i++)
        foreach (var e in endpoints)
        {
            var (ms, count) = await BenchApi.TimeGetCountedAsync(Next(), e.Path);
            samples[e.Name].Add(ms);
            if (count is { } n) statements[e.Name].Add(n);
        }
        return endpoints.Select(e => new Figure(e.Name, e.Path, Percentiles.Of(samples[e.Name]),
            statements[e.Name] is { Count: > 0 } counts ? counts.Order().ElementAt(counts.Count / 2) : null,
            statements[e.Name] is { Count: > 0 } all ? all.Max() : null)).ToList();
    }

    private async Task<List<Endpoint>> EndpointsAsync(HttpClient http)
    {
        const string chats = "/api/v1/support_channels";
        var openFirst = $"{chats}?status=open&first=20";
        // Page 50 is reached the way a client does: following end_cursor 49 times (less in a small data set).
        var open = await api.ScalarAsync<long>("SELECT count(*) FROM channels WHERE kind = 'support' AND status = 'open'");
        var deepPages = (int)Math.Clamp(open / 20 - 1, 1, 49);
        var cursor = await FollowAsync(http, openFirst, deepPages);
        var ids = await api.UserIdsAsync([BenchData.CustomerUserName(1), BenchData.LongChatCustomer]);
        var longChat = await api.ScalarAsync<string>("SELECT id FROM channels WHERE kind = 'support' AND customer_id = @c",
            ("c", ids[BenchData.LongChatCustomer]));
        var messageCount = await api.ScalarAsync<long>("SELECT count(*) FROM messages WHERE channel_id = @c AND deleted_at IS NULL", ("c", longChat));
        var newest = $"/api/v1/messages?channel_id={longChat}&direction=desc&first=50";
        // An older page: the 20th back from the newest (or the oldest there is in a short history).
        var olderPages = (int)Math.Clamp(messageCount / 50 - 1, 1, 19);
        var olderCursor = await FollowAsync(http, newest, olderPages);
        say($"  long chat {longChat}: {messageCount:N0} messages; older page = page {olderPages + 1} from the newest");

        return
        [
            new("open chats by last activity, first page", openFirst),
            new($"open chats, page {deepPages + 1} (cursor)", $"{openFirst}&after={Uri.EscapeDataString(cursor)}"),
            new("resolved chats, first page", $"{chats}?status=resolved&first=20"),
            new("one customer's chats", $"{chats}?customer_id={ids[BenchData.CustomerUserName(1)]}&first=20"),
            new("unread counts per status (caller)", $"{chats}/unread_counts"),
            new("conversation: newest 50 messages", newest),
            new($"conversation: older page ({olderPages + 1} back)", $"{newest}&after={Uri.EscapeDataString(olderCursor)}"),
        ];
    }

    /// <summary>Follows <c>page_info.end_cursor</c> <paramref name="pages"/> times from the first page; returns the last cursor.</summary>
    private static async Task<string> FollowAsync(HttpClient http, string firstPage, int pages)
    {
        string? cursor = null;
        for (var p = 0; p < pages; p++)
        {
            var path = cursor is null ? firstPage : $"{firstPage}&after={Uri.EscapeDataString(cursor)}";
            using var json = JsonDocument.Parse(await http.GetStringAsync(path));
            cursor = json.RootElement.GetProperty("page_info").GetProperty("end_cursor").GetString()
                     ?? throw new InvalidOperationException($"The list ended before page {p + 2}: {firstPage}");
        }
        return cursor!;
    }
}
