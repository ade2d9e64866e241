namespace Whop.Inbox.Components.Shared;

/// <summary>
/// Runs an action at most once per interval however often it is poked: the first poke starts the
/// clock and the pokes until it runs ride along. A flood of real-time events becomes a few updates
/// a second, and unlike waiting for quiet, a steady stream still shows.
/// </summary>
public sealed class Coalescer(TimeSpan interval, Func<Task> action) : IDisposable
{
    private int _pending;
    private readonly CancellationTokenSource _disposed = new();

    public void Poke()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 1) return;
        _ = RunSoonAsync();
    }

    private async Task RunSoonAsync()
    {
        try
        {
            await Task.Delay(interval, _disposed.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        // Cleared before running: a poke during the action schedules the next run.
        Interlocked.Exchange(ref _pending, 0);
        await action();
    }

    public void Dispose() => _disposed.Cancel();
}
