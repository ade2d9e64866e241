using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Components.Shared;

/// <summary>
/// The cycle every live list goes through (the DM list, the embedded DMs list; the inbox shares its
/// redraw interval): subscribe, load, hold events while loading (a load may or may not include them,
/// so it runs again after), apply the others in place, coalesce the redraws, dispose. The component
/// gives it how to load, how to apply an event (saying whether only a reload can tell), and how to
/// run on its own dispatcher.
/// </summary>
public sealed class LiveListCycle : IDisposable
{
    /// <summary>At most this many redraws of a list per second and a bit, however many events come.</summary>
    public static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(150);

    private readonly Func<Func<Task>, Task> _invoke;
    private readonly Func<Task> _load;
    private readonly Func<ChatEvent, bool> _apply;
    private readonly Action _redraw;
    private readonly Coalescer _redraws;
    private ChatSubscription? _events;
    private bool _loaded;
    private bool _loading;
    private bool _reloadPending;

    /// <param name="invoke">The component's <c>InvokeAsync</c>: events arrive on other threads.</param>
    /// <param name="load">Reads the list afresh.</param>
    /// <param name="apply">Applies an event to the list in place; true when only a reload can tell what it changed.</param>
    /// <param name="redraw">The component's <c>StateHasChanged</c>.</param>
    public LiveListCycle(Func<Func<Task>, Task> invoke, Func<Task> load, Func<ChatEvent, bool> apply, Action redraw)
    {
        (_invoke, _load, _apply, _redraw) = (invoke, load, apply, redraw);
        _redraws = new Coalescer(RedrawInterval, () => _invoke(FlushAsync));
    }

    /// <summary>Follows first, then loads: whatever happens in between arrives as an event and is not lost.</summary>
    public async Task StartAsync(Func<Func<ChatEvent, Task>, Task<ChatSubscription?>> subscribe)
    {
        _events?.Dispose();
        _events = await subscribe(OnEventAsync);
        await ReloadAsync();
    }

    /// <summary>Reads the list again now (after a change made here, such as a rename).</summary>
    public async Task ReloadAsync()
    {
        _reloadPending = false;
        _loading = true;
        try
        {
            await _load();
            _loaded = true;
        }
        finally
        {
            _loading = false;
        }
    }

    private Task OnEventAsync(ChatEvent evt)
    {
        if (evt.Type is ChatEventTypes.TypingStarted or ChatEventTypes.TypingStopped) return Task.CompletedTask;
        return _invoke(() =>
        {
            // The list being read may or may not include this event: read it again after.
            if (!_loaded || _loading) _reloadPending = true;
            else _reloadPending |= _apply(evt);
            _redraws.Poke();
            return Task.CompletedTask;
        });
    }

    private async Task FlushAsync()
    {
        if (_reloadPending) await ReloadAsync();
        _redraw();
    }

    public void Dispose()
    {
        _events?.Dispose();
        _redraws.Dispose();
    }
}
