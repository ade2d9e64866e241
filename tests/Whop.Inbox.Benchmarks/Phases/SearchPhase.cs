using System.Text.Json;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// The inbox's search through the REST API, as the moderator (an access token: the team's search, over
/// the company's chats), beside its floor, the plain inbox page: each query in turn (round robin), one
/// request at a time, warm, timed to the last byte, like the HTTP phase.
/// </summary>
public sealed class SearchPhase(BenchApi api, Action<string> say)
{
    public const string FloorName = "plain inbox page (no query): the floor";

    /// <summary><paramref name="Found"/>: the results on the first page (a search that finds nothing measures nothing).</summary>
    public sealed record Figure(string Name, string Query, string Path, Percentiles Latency, int? Statements, int? StatementsMax, int Found);

    public async Task<List<Figure>> RunAsync(string moderatorToken, int warmup, int iterations)
    {
        using var http = new HttpClient { BaseAddress = api.BaseAddress, DefaultRequestHeaders = { Authorization = new("Bearer", moderatorToken) } };
        var queries = await QueriesAsync();
        var found = new Dictionary<string, int>();
        foreach (var (name, query, path) in queries)
        {
            using var json = JsonDocument.Parse(await http.GetStringAsync(path));
            found[name] = json.RootElement.GetProperty("data").GetArrayLength();
            say($"  {name}: {path} ({found[name]} on the first page)");
            // An index the load left empty would make every search fast and wrong.
            if (query.Length > 0 && found[name] == 0) throw new InvalidOperationException($"The search found nothing: {path}");
        }

        for (var i = 0; i < warmup; i++)
            foreach (var q in queries) await BenchApi.TimeGetAsync(http, q.Path);
        var samples = queries.ToDictionary(q => q.Name, _ => new List<double>(iterations));
        var statements = queries.ToDictionary(q => q.Name, _ => new List<int>(iterations));
        for (var i = 0; i < iterations; i++)
        foreach (var q in queries)
        {
            var (ms, count) = await BenchApi.TimeGetCountedAsync(http, q.Path);
            samples[q.Name].Add(ms);
            if (count is { } n) statements[q.Name].Add(n);
        }
        return queries.Select(q => new Figure(q.Name, q.Query, q.Path, Percentiles.Of(samples[q.Name]),
            statements[q.Name] is { Count: > 0 } counts ? counts.Order().ElementAt(counts.Count / 2) : null,
            statements[q.Name] is { Count: > 0 } all ? all.Max() : null, found[q.Name])).ToList();
    }

    private async Task<List<(string Name, string Query, string Path)>> QueriesAsync()
    {
        const string chats = "/api/v1/support_channels";
        var customer = BenchData.CustomerUserName(1);
        var customerName = await api.ScalarAsync<string>("SELECT name FROM users WHERE user_name = @u", ("u", customer));
        var longCustomer = (await api.UserIdsAsync([BenchData.LongChatCustomer]))[BenchData.LongChatCustomer];
        var longChat = await api.ScalarAsync<string>("SELECT id FROM channels WHERE kind = 'support' AND customer_id = @c", ("c", longCustomer));
        // "email" is in two of the generator's 28 sentences (about one message in seven); one of them also has "password".
        const string common = "email";
        (string, string, string) Chats(string name, string query) => (name, query, $"{chats}?query={Uri.EscapeDataString(query)}&first=20");
        return
        [
            (FloorName, "", $"{chats}?first=20"),
            Chats("rare term (a receipt number)", BenchData.RareReceipt),
            Chats("common word", common),
            Chats("operator and word", $"status:open {common}"),
            Chats("negated word", $"{common} -password"),
            Chats($"customer's name ({customer})", customerName),
            ("one chat's messages: common word", common, $"/api/v1/messages?channel_id={longChat}&query={common}&first=50"),
        ];
    }
}
