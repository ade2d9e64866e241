using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// The cycle every live list goes through (the inbox, the DM list, the embedded DMs list): subscribe,
/// load, hold events while loading (a load may or may not include them, so it runs again after),
/// apply the others in place, coalesce the redraws, dispose. The component gives it how to load, how
/// to apply an event (saying whether only a reload can tell), and how to draw.
/// </summary>
public sealed class LiveListCycle : IDisposable
{
    /// <summary>At most this many redraws of a list per second and a bit, however many events come.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(150);

    private readonly Func<Func<Task>, Task> _invoke;
    private readonly Func<Func<bool>, Task> _load;
    private readonly Func<ChatEvent, bool> _apply;
    private readonly Func<Task> _redraw;
    private readonly Coalescer _redraws;
    private ChatSubscription? _events;
    private bool _loaded;
    private int _loading;
    private int _generation;
    private bool _reloadPending;

    /// <param name="invoke">The component's <c>InvokeAsync</c>: events arrive on other threads.</param>
    /// <param name="load">
    /// Reads the list afresh, and keeps what it read only while the function it is given says it is
    /// still the newest load (a filter changed twice quickly: the later one wins, whichever answers last).
    /// </param>
    /// <param name="apply">Applies an event to the list in place; true when only a reload can tell what it changed.</param>
    /// <param name="redraw">Finishes what the events left to do (a row to read, say) and draws: at most once per <see cref="RedrawInterval"/>.</param>
    public LiveListCycle(Func<Func<Task>, Task> invoke, Func<Func<bool>, Task> load, Func<ChatEvent, bool> apply, Func<Task> redraw)
    {
        (_invoke, _load, _apply, _redraw) = (invoke, load, apply, redraw);
        _redraws = new Coalescer(RedrawInterval, () => _invoke(FlushAsync));
    }

    /// <param name="redraw">The component's <c>StateHasChanged</c>.</param>
    public LiveListCycle(Func<Func<Task>, Task> invoke, Func<Func<bool>, Task> load, Func<ChatEvent, bool> apply, Action redraw)
        : this(invoke, load, apply, () =>
        {
            redraw();
            return Task.CompletedTask;
        })
    {
    }

    /// <summary>Follows first, then loads: whatever happens in between arrives as an event and is not lost.</summary>
    public async Task StartAsync(Func<Func<ChatEvent, Task>, Task<ChatSubscription?>> subscribe)
    {
        await FollowAsync(subscribe);
        await ReloadAsync();
    }

    /// <summary>Follows without loading yet (a page that loads once it knows its filters); events wait for the first load.</summary>
    public async Task FollowAsync(Func<Func<ChatEvent, Task>, Task<ChatSubscription?>> subscribe)
    {
        _events?.Dispose();
        _events = await subscribe(OnEventAsync);
    }

    /// <summary>Reads the list again now (another filter, or after a change made here, such as a rename).</summary>
    public async Task ReloadAsync()
    {
        _reloadPending = false;
        var generation = ++_generation;
        _loading++;
        try
        {
            await _load(() => generation == _generation);
            _loaded = true;
        }
        finally
        {
            _loading--;
        }
    }

    /// <summary>Asks for a redraw soon, with the others (something beside the list changed).</summary>
    public void RedrawSoon() => _redraws.Poke();

    private Task OnEventAsync(ChatEvent evt)
    {
        if (evt.Type is ChatEventTypes.TypingStarted or ChatEventTypes.TypingStopped or ChatEventTypes.ViewersChanged) return Task.CompletedTask;
        return _invoke(() =>
        {
            // The list being read may or may not include this event: read it again after.
            if (!_loaded || _loading > 0) _reloadPending = true;
            else _reloadPending |= _apply(evt);
            _redraws.Poke();
            return Task.CompletedTask;
        });
    }

    private async Task FlushAsync()
    {
        try
        {
            if (_reloadPending) await ReloadAsync();
        }
        catch (Exception e) when (e is not ObjectDisposedException)
        {
            // Nobody awaits a flush: a read that failed (the database away) is tried again with the next event.
            _reloadPending = true;
        }
        await _redraw();
    }

    public void Dispose()
    {
        _events?.Dispose();
        _redraws.Dispose();
    }
}
