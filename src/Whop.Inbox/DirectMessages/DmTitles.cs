using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.DirectMessages;

/// <summary>
/// A DM without a name is called after its members: the first three others by date added, then
/// "and N more". One definition for the API, the DM list and the embedded list.
/// </summary>
internal static class DmTitles
{
    public const int NamedMembers = 3;

    /// <summary>For each channel, the names of its first <see cref="NamedMembers"/> members other than <paramref name="me"/>, in order.</summary>
    public static async Task<ILookup<string, string>> FirstOthersAsync(InboxDbContext db, IReadOnlyCollection<string> channelIds, string? me,
        CancellationToken ct)
    {
        // A member is among the first when fewer than three others came before it: a correlated count on
        // the (channel, created_at, id) index, which both databases run (SQLite has no APPLY/LATERAL).
        var rows = await db.ChannelMembers.AsNoTracking()
            .Where(m => channelIds.Contains(m.ChannelId) && m.UserId != me
                && db.ChannelMembers.Count(o => o.ChannelId == m.ChannelId && o.UserId != me
                    && (o.CreatedAt < m.CreatedAt || (o.CreatedAt == m.CreatedAt && string.Compare(o.Id, m.Id) < 0))) < NamedMembers)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.ChannelId, m.CreatedAt, m.Id, u.Name })
            .ToListAsync(ct);
        return rows.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal).ToLookup(m => m.ChannelId, m => m.Name);
    }

    /// <summary>"Ana, Ben and 4 more"; <paramref name="whenAlone"/> when nobody else is in it.</summary>
    public static string Title(IReadOnlyCollection<string> others, int othersInAll, string whenAlone = "")
    {
        if (others.Count == 0) return whenAlone;
        var more = othersInAll - others.Count;
        return string.Join(", ", others) + (more > 0 ? $" and {more} more" : "");
    }
}
