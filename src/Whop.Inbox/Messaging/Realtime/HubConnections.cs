using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// The hub connections this instance holds open with an API key, by key. A connection is
/// authenticated once, when it opens, so revoking a key must also close what it already opened:
/// the revocation is announced to every instance (see <see cref="Data.DatabaseDialect.AnnounceKeyRevokedAsync"/>)
/// and each closes its own.
/// </summary>
public sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _byApiKey = new();

    public void Track(string apiKeyId, HubCallerContext connection) =>
        _byApiKey.GetOrAdd(apiKeyId, _ => new()).TryAdd(connection.ConnectionId, connection);

    public void Forget(string apiKeyId, string connectionId)
    {
        if (_byApiKey.TryGetValue(apiKeyId, out var connections)) connections.TryRemove(connectionId, out _);
    }

    /// <summary>Closes every connection the key opened here; returns how many.</summary>
    public int CloseAll(string apiKeyId)
    {
        if (!_byApiKey.TryRemove(apiKeyId, out var connections)) return 0;
        foreach (var connection in connections.Values) connection.Abort();
        return connections.Count;
    }
}
