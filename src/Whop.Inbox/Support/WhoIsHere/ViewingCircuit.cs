using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Whop.Inbox.Support.WhoIsHere;

/// <summary>
/// A page's chats open (one circuit's <see cref="Viewing"/>s): they count only while the page's connection is up, so a
/// closed tab or a lost connection drops out at once rather than when the circuit is given up minutes later; a
/// closed circuit ends them for good.
/// </summary>
public sealed class ViewingCircuit : CircuitHandler
{
    private readonly Lock _gate = new();
    private readonly List<Viewing> _open = [];
    private bool _down;

    /// <summary>Counts the viewing while the page is connected; hand back the same object to <see cref="Forget"/> it.</summary>
    public void Track(Viewing viewing)
    {
        lock (_gate)
        {
            _open.Add(viewing);
            if (_down) viewing.Suspend();
        }
    }

    public void Forget(Viewing viewing)
    {
        lock (_gate) _open.Remove(viewing);
        viewing.Dispose();
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct)
    {
        lock (_gate)
        {
            _down = true;
            foreach (var viewing in _open) viewing.Suspend();
        }
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct)
    {
        lock (_gate)
        {
            _down = false;
            foreach (var viewing in _open) viewing.Resume();
        }
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
    {
        List<Viewing> all;
        lock (_gate)
        {
            all = [.. _open];
            _open.Clear();
        }
        foreach (var viewing in all) viewing.Dispose();
        return Task.CompletedTask;
    }
}
