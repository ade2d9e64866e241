namespace Whop.Inbox.Common;

/// <summary>
/// A background service that does one round of upkeep now and then: the first a moment after the server
/// started listening, then every <see cref="Interval"/>. A round that fails is logged by the service and the next
/// tries again. The first round waits for the start because each round compiles its queries the first time,
/// on the same cores the start needs.
/// </summary>
public abstract class PeriodicRounds(IHostApplicationLifetime lifetime, TimeProvider clock) : BackgroundService
{
    /// <summary>How long after the server started listening the first round runs.</summary>
    public static readonly TimeSpan FirstRoundAfterStart = TimeSpan.FromSeconds(2);

    /// <summary>The app's clock, which sets the rounds' interval.</summary>
    protected TimeProvider Clock { get; } = clock;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One round of the work.</summary>
    protected abstract Task RoundAsync(CancellationToken stop);

    /// <summary>Logs a round that failed (the next tries again).</summary>
    protected abstract void RoundFailed(Exception e);

    protected sealed override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            await StartedAsync(stop);
            // The moment is the machine's, not the app's clock: it leaves the start its cores.
            await Task.Delay(FirstRoundAfterStart, stop);
            using var timer = new PeriodicTimer(Interval, Clock);
            do
            {
                try
                {
                    await RoundAsync(stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    RoundFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private Task StartedAsync(CancellationToken stop)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stop);
    }
}
