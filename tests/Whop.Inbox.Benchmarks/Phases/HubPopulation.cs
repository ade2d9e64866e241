using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Hub;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>One DM of the hub population and its members (connection indexes).</summary>
public sealed record BenchDm(string Id, int[] Members);

/// <summary>
/// The hub population: customers 0..n-1, each on its own connection with its own access token,
/// subscribed to its DM pair and its group of ten (two subscriptions per connection). With several app
/// instances, connection i is on instance i mod n (negotiation and WebSocket on the same one, as sticky
/// sessions keep them): every pair, and part of every group, then spans instances.
/// </summary>
public sealed class HubPopulation(BenchApi api, Action<string> say, IReadOnlyList<BenchApi>? instances = null) : IAsyncDisposable
{
    private readonly IReadOnlyList<BenchApi> _instances = instances is { Count: > 0 } ? instances : [api];

    public HubConnection[] Connections { get; private set; } = [];

    /// <summary>The app instance a connection is on (0 with one instance).</summary>
    public int InstanceOf(int connection) => connection % _instances.Count;
    public List<BenchDm> Dms { get; } = [];

    public async Task OpenAsync(int count)
    {
        var names = Enumerable.Range(0, count).Select(BenchData.CustomerUserName).ToList();
        var ids = await api.UserIdsAsync(names);
        var userIds = names.Select(n => ids[n]).ToArray();
        Dms.AddRange(await LoadDmsAsync(api, userIds));
        say($"hub: {count} access tokens through the API");
        var tokens = await api.AccessTokensAsync(userIds);

        say($"hub: {count} connections (negotiate, WebSocket, handshake) and {Dms.Count} DMs subscribed" +
            (_instances.Count > 1 ? $", spread over {_instances.Count} instances" : ""));
        var connections = new HubConnection[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var instance = _instances[InstanceOf(i)];
            connections[i] = await HubConnection.ConnectAsync(instance.Http, instance.BaseAddress, tokens[i], i, ct);
        });
        Connections = connections;
        // Subscribe(channelId, afterPosition: null): live events from now on.
        await Parallel.ForEachAsync(Dms, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (dm, _) =>
        {
            foreach (var member in dm.Members)
            {
                // As a client does: a call the app refused because it was busy is made again after the hinted second.
                while (true)
                {
                    try
                    {
                        await Connections[member].InvokeAsync("Subscribe", dm.Id, null);
                        break;
                    }
                    catch (Hub.HubError e) when (e.Message.Contains("busy:", StringComparison.Ordinal))
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
        });
    }

    /// <summary>Keeps every connection alive past the server's client timeout while idle.</summary>
    public void Ping()
    {
        foreach (var connection in Connections) connection.SendPing();
    }

    /// <summary>The pairs and groups of the population <paramref name="userIds"/> (connection indexes are positions in it).</summary>
    public static async Task<List<BenchDm>> LoadDmsAsync(BenchApi api, string[] userIds)
    {
        var dms = new List<BenchDm>();
        var index = userIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        await using var db = await api.Store.OpenAsync();
        // Only the population is in its pairs and groups (the generator keeps everyone else out).
        await using var command = db.CreateCommand();
        command.CommandText = $"""
            SELECT c.id, m.user_id
            FROM channels c JOIN channel_members m ON m.channel_id = c.id
            WHERE c.kind = 'dm' AND c.created_by_id IN ({BenchStore.InList(command, userIds)})
            ORDER BY c.id, m.user_id
            """;
        var members = new List<(string Dm, string User)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) members.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var dm in members.GroupBy(m => m.Dm).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // A pair or group partly outside this run's connections is left out.
            if (dm.All(m => index.ContainsKey(m.User))) dms.Add(new BenchDm(dm.Key, dm.Select(m => index[m.User]).OrderBy(i => i).ToArray()));
        }
        if (dms.Count == 0) throw new InvalidOperationException("No DMs of the hub population were found; generate the data again (--regenerate).");
        return dms;
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(Connections, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (c, _) => await c.DisposeAsync());
        Connections = [];
    }
}
