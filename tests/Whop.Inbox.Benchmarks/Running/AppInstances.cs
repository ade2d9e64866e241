namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// The app processes of one run on one database (one by default; several only on PostgreSQL), each on its own
/// port, with a <see cref="BenchApi"/> each. The first is the one the single-instance phases use.
/// </summary>
public sealed class AppInstances : IAsyncDisposable
{
    private readonly List<(AppProcess App, BenchApi Api)> _instances = [];

    public AppProcess First => _instances[0].App;
    public IReadOnlyList<AppProcess> Apps => _instances.Select(i => i.App).ToList();
    public IReadOnlyList<BenchApi> Apis => _instances.Select(i => i.Api).ToList();
    public IReadOnlyList<int> Pids => _instances.Select(i => i.App.Pid).ToList();
    public int Count => _instances.Count;

    /// <summary>
    /// Starts <paramref name="count"/> instances one after the other (their migrations take turns anyway) and waits until each
    /// is healthy; returns how long the first took.
    /// </summary>
    public static async Task<(AppInstances Instances, TimeSpan FirstStart)> StartAsync(int count, Func<int, AppProcess.Settings> settings,
        Func<Uri, BenchApi> api, TimeSpan timeout)
    {
        var instances = new AppInstances();
        var firstStart = TimeSpan.Zero;
        try
        {
            for (var i = 0; i < count; i++)
            {
                var since = System.Diagnostics.Stopwatch.GetTimestamp();
                var app = AppProcess.Start(settings(i));
                instances._instances.Add((app, api(app.BaseAddress)));
                var took = await app.WaitHealthyAsync(since, timeout);
                if (i == 0) firstStart = took;
            }
            return (instances, firstStart);
        }
        catch
        {
            await instances.DisposeAsync();
            throw;
        }
    }

    /// <summary>Resident memory and managed heap summed over the instances (each after a full collection).</summary>
    public async Task<MemorySample> SampleMemoryAsync()
    {
        var samples = new List<MemorySample>();
        foreach (var (app, api) in _instances) samples.Add(await app.SampleMemoryAsync(api.Http));
        return new MemorySample(samples.Sum(s => s.ResidentBytes), samples.Sum(s => s.ManagedHeapBytes), samples.Sum(s => s.GcCommittedBytes));
    }

    /// <summary>The statements every instance has sent to the database so far.</summary>
    public async Task<long> StatementsAsync()
    {
        long total = 0;
        foreach (var (_, api) in _instances) total += await AppProcess.StatementsAsync(api.Http);
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        // The later instances first: the first one's figures and log end last, as with one instance.
        for (var i = _instances.Count - 1; i >= 0; i--)
        {
            var (app, api) = _instances[i];
            api.Dispose();
            await app.DisposeAsync();
        }
        _instances.Clear();
    }
}
