namespace Whop.Inbox.Components.Shared;

/// <summary>
/// Runs an action once after a burst of pokes has settled: a flood of real-time events becomes one
/// reload, not one per event.
/// </summary>
public sealed class Coalescer(TimeSpan quiet, Func<Task> action) : IDisposable
{
    private CancellationTokenSource? _pending;

    public void Poke()
    {
        var previous = Interlocked.Exchange(ref _pending, new CancellationTokenSource());
        previous?.Cancel();
        var token = _pending!.Token;
        _ = Task.Delay(quiet, token).ContinueWith(t => t.IsCanceled ? Task.CompletedTask : action(), TaskScheduler.Default).Unwrap();
    }

    public void Dispose() => Interlocked.Exchange(ref _pending, null)?.Cancel();
}
