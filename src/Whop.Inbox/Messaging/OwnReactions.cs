using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

/// <summary>Which of these messages the viewer has reacted to, and with what, and how they voted: one query each for a whole page.</summary>
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

    /// <summary>The option the viewer voted for in each of these messages' polls (messages without a poll cost nothing).</summary>
    public async Task<Dictionary<string, string>> VotesAsync(string userId, IEnumerable<MessageView> messages, CancellationToken ct = default)
    {
        var ids = messages.Where(m => m.Poll is not null).Select(m => m.Id).ToList();
        if (ids.Count == 0) return [];
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PollVotes.AsNoTracking()
            .Where(v => v.UserId == userId && ids.Contains(v.MessageId))
            .ToDictionaryAsync(v => v.MessageId, v => v.OptionId, ct);
    }
}
