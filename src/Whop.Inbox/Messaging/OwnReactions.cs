using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

/// <summary>Which of these messages the viewer has reacted to, and with what: one query for a whole page.</summary>
public sealed class OwnReactions(IDbContextFactory<InboxDbContext> contexts)
{
    public async Task<Dictionary<string, HashSet<string>>> ForAsync(string userId, IEnumerable<string> messageIds, CancellationToken ct = default)
    {
        var ids = messageIds.ToList();
        if (ids.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Reactions.AsNoTracking()
            .Where(r => r.UserId == userId && ids.Contains(r.MessageId))
            .Select(r => new { r.MessageId, r.Emoji })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.MessageId).ToDictionary(g => g.Key, g => g.Select(r => r.Emoji).ToHashSet());
    }
}
