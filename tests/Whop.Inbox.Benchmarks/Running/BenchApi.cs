using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Whop.Inbox.Benchmarks.Data;

namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// The benchmark's view of the running app: an HTTP client with the bootstrap API key (admin of the
/// company), access tokens minted through the real API, and look-ups straight from the database
/// (in SQL both providers understand).
/// </summary>
public sealed class BenchApi(Uri baseAddress, string apiKey, BenchStore store) : IDisposable
{
    public Uri BaseAddress => baseAddress;
    public BenchStore Store => store;

    /// <summary>Loopback keeps a few warm connections; requests never wait on the handler's own limits.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new("Bearer", apiKey) },
    };

    /// <summary><c>POST /api/v1/access_tokens</c>: a token that acts as the user (all scopes) for two hours.</summary>
    public async Task<string> AccessTokenAsync(string userId)
    {
        var body = new Dictionary<string, object> { ["user_id"] = userId, ["expires_at"] = DateTimeOffset.UtcNow.AddHours(2) };
        var response = await Http.PostAsJsonAsync("/api/v1/access_tokens", body);
        // As a client does: busy (more at once than one caller's share of the app's bound) is asked again after Retry-After.
        while (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response.Dispose();
            response = await Http.PostAsJsonAsync("/api/v1/access_tokens", body);
        }
        using var answered = response;
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Tokens for many users, a few requests at a time.</summary>
    public async Task<string[]> AccessTokensAsync(IReadOnlyList<string> userIds)
    {
        var tokens = new string[userIds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, userIds.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, _) => tokens[i] = await AccessTokenAsync(userIds[i]));
        return tokens;
    }

    public async Task<Dictionary<string, string>> UserIdsAsync(IEnumerable<string> userNames)
    {
        var names = userNames.ToArray();
        await using var db = await store.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT user_name, id FROM users WHERE user_name IN ({BenchStore.InList(command, names)})";
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new Dictionary<string, string>();
        while (await reader.ReadAsync()) ids[reader.GetString(0)] = reader.GetString(1);
        return ids;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var db = await store.OpenAsync();
        return (T)(await BenchStore.ScalarAsync(db, sql, parameters))!;
    }

    /// <summary>One GET, read to the end: how long it took, in milliseconds.</summary>
    public static async Task<double> TimeGetAsync(HttpClient http, string path) => (await TimeGetCountedAsync(http, path)).Ms;

    /// <summary>One GET, read to the end: how long it took, and how many SQL statements the app says it made for it.</summary>
    public static async Task<(double Ms, int? Statements)> TimeGetCountedAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {path} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (elapsed, response.Headers.TryGetValues(StatementsHeader, out var values) && int.TryParse(values.FirstOrDefault(), out var n) ? n : null);
    }

    /// <summary>The app's per-request statement count (on with <c>Inbox__StatementDiagnostics</c>).</summary>
    public const string StatementsHeader = "Inbox-Statements";

    public void Dispose() => Http.Dispose();
}
