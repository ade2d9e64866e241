using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Identity;

/// <summary>
/// Whether a user exists, from memory once seen: users are never deleted, so an answer of "yes" stays
/// true and an access token's every request after the first needs no database round trip to tell who
/// it is. (What the user may do is still asked of the rights table, which reads their standing.)
/// </summary>
public sealed class KnownUsers(IDbContextFactory<InboxDbContext> contexts)
{
    // Enough for every active user of a large installation; past it the memory starts over.
    private const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<string, byte> _existing = new(StringComparer.Ordinal);

    public async ValueTask<bool> ExistsAsync(string userId, CancellationToken ct = default)
    {
        if (_existing.ContainsKey(userId)) return true;
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Users.AnyAsync(u => u.Id == userId, ct)) return false;
        if (_existing.Count >= MaxRemembered) _existing.Clear();
        _existing.TryAdd(userId, 0);
        return true;
    }
}
