using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

/// <summary>
/// Who a message's <c>@username</c>s mention, decided once when it is written (or edited): only people
/// who may read it. In a note, the company's team; in a support chat's reply, the team and the customer;
/// in a DM, its members. Anyone else's name stays plain text.
/// </summary>
public static partial class MessageMentions
{
    /// <summary>The people mentioned, in the order first named; none (and no query) when the text names nobody.</summary>
    public static async Task<string[]> ResolveAsync(InboxDbContext db, Channel channel, string content, MessageVisibility visibility,
        CancellationToken ct)
    {
        var names = Names(content).Where(n => n != Everyone).Distinct().ToList();
        if (names.Count == 0) return [];
        var users = db.Users.AsNoTracking().Where(u => names.Contains(u.NormalizedUserName!));
        users = channel.IsDm
            ? users.Where(u => db.ChannelMembers.Any(m => m.ChannelId == channel.Id && m.UserId == u.Id))
            : users.Where(u => db.TeamMembers.Any(t => t.CompanyId == channel.CompanyId && t.UserId == u.Id)
                || (visibility == MessageVisibility.Everyone && u.Id == channel.CustomerId));
        var found = await users.Select(u => new { u.Id, Name = u.NormalizedUserName! }).ToListAsync(ct);
        return names.SelectMany(n => found.Where(u => u.Name == n).Select(u => u.Id)).ToArray();
    }

    /// <summary>Whether the text says <c>@everyone</c>.</summary>
    public static bool MentionsEveryone(string content) => Names(content).Contains(Everyone);

    private const string Everyone = "EVERYONE";

    /// <summary>The @names in a message, upper-cased as usernames are normalised.</summary>
    private static IEnumerable<string> Names(string content) =>
        content.Contains('@') ? Pattern().Matches(content).Select(x => x.Groups[1].Value.ToUpperInvariant()) : [];

    [GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_.\-]{0,63})")]
    private static partial Regex Pattern();
}
