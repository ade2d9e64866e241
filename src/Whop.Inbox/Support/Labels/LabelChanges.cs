namespace Whop.Inbox.Support.Labels;

/// <summary>
/// Tells this instance's open pages that a company's labels were created, renamed, recoloured or deleted, so
/// label menus, chips and filters show them at once. A chat's own labels change through its events instead.
/// </summary>
public sealed class LabelChanges
{
    private readonly Lock _gate = new();
    private Action<string>[] _handlers = [];

    /// <summary>Calls <paramref name="handler"/> with the company's id after each change; dispose to stop.</summary>
    public IDisposable Subscribe(Action<string> handler)
    {
        lock (_gate) _handlers = [.. _handlers, handler];
        return new Subscription(this, handler);
    }

    internal void Changed(string companyId)
    {
        foreach (var handler in Volatile.Read(ref _handlers)) handler(companyId);
    }

    private void Unsubscribe(Action<string> handler)
    {
        lock (_gate) _handlers = [.. _handlers.Where(h => h != handler)];
    }

    private sealed class Subscription(LabelChanges owner, Action<string> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
