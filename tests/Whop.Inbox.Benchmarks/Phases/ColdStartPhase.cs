using System.Diagnostics;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// Process start to <c>/healthz</c> 200, against the big database: migrations checked, the company
/// and the key ring found, the event listener connected, Kestrel listening. The operating system's
/// file cache is warm (the app ran just before), as after a restart or a deploy on the same machine.
/// </summary>
public sealed class ColdStartPhase(AppProcess.Settings settings, Action<string> say)
{
    public sealed record Figures(int Starts, Percentiles StartToHealthy);

    public async Task<Figures> RunAsync(int starts)
    {
        var times = new List<double>();
        for (var i = 0; i < starts; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await using var app = AppProcess.Start(settings);
            var healthy = await app.WaitHealthyAsync(started, TimeSpan.FromSeconds(120));
            times.Add(healthy.TotalMilliseconds);
            say($"  start {i + 1}: {healthy.TotalMilliseconds:F0} ms");
        }
        return new Figures(starts, Percentiles.Of(times));
    }
}
