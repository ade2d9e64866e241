using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.Support.Assignment;

/// <summary>
/// How many of a company's support chats in one status a team member has, kept on write with the status
/// tallies (<see cref="UnreadBookkeeping"/>). With <see cref="SupportStatusTally"/> it makes the views'
/// counts one read: Mine is a row, Unassigned is all the chats less every assignee's.
/// </summary>
public sealed class SupportAssigneeTally
{
    private SupportAssigneeTally() { }

    public string CompanyId { get; private set; } = "";
    public string AssigneeId { get; private set; } = "";
    public SupportStatus Status { get; private set; }
    public int Chats { get; private set; }
}

/// <summary>The inbox's views in one status (or all): chats assigned to me, to nobody, and all of them.</summary>
public sealed record ViewCounts(int Mine, int Unassigned, int All)
{
    public static ViewCounts None { get; } = new(0, 0, 0);

    public static ViewCounts operator +(ViewCounts a, ViewCounts b) => new(a.Mine + b.Mine, a.Unassigned + b.Unassigned, a.All + b.All);
}

public static class AssignmentCounts
{
    /// <summary>The views' counts per status for one team member (every status present): one read of the tallies.</summary>
    public static async Task<Dictionary<SupportStatus, ViewCounts>> PerStatusAsync(InboxDbContext db, string companyId, string? me,
        CancellationToken ct = default)
    {
        var rows = await db.SupportStatusTallies.AsNoTracking()
            .Where(t => t.CompanyId == companyId)
            .Select(t => new
            {
                t.Status,
                t.AllChats,
                Assigned = db.SupportAssigneeTallies.Where(a => a.CompanyId == companyId && a.Status == t.Status).Sum(a => (int?)a.Chats) ?? 0,
                Mine = db.SupportAssigneeTallies.Where(a => a.CompanyId == companyId && a.Status == t.Status && a.AssigneeId == me)
                    .Select(a => a.Chats).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var counts = rows.ToDictionary(r => r.Status, r => new ViewCounts(r.Mine, r.AllChats - r.Assigned, r.AllChats));
        foreach (var status in Enum.GetValues<SupportStatus>()) counts.TryAdd(status, ViewCounts.None);
        return counts;
    }

    /// <summary>
    /// The support chats of the company where the person has mentions they have not read (the Mentions
    /// view's badge): a count over their few mention rows, by the index on them.
    /// </summary>
    public static Task<int> UnreadMentionsAsync(InboxDbContext db, string companyId, string me, CancellationToken ct = default) =>
        db.ChannelMembers.AsNoTracking()
            .Where(m => m.UserId == me && m.LastMentionedAt != null && m.UnreadMentions > 0)
            .CountAsync(m => db.Channels.Any(c => c.Id == m.ChannelId && c.Kind == ChannelKind.Support && c.CompanyId == companyId), ct);
}
