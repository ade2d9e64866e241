using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Messaging;

/// <summary>Messages as every client sees them (<see cref="MessageView"/>): the one place their author, reactions and mentions are put together.</summary>
public static partial class MessageViews
{
    private static readonly UserSummary NoAuthor = new("", "Whop Inbox", "system");

    /// <summary>
    /// Authors, reaction counts and mentions for a page of messages: at most three queries, whatever the
    /// page size, and fewer when the authors are <paramref name="known"/>, there are no mentions, or the
    /// messages are new (<paramref name="withReactions"/> false: nobody has reacted yet).
    /// </summary>
    public static async Task<Dictionary<string, MessageView>> ForAsync(InboxDbContext db, IReadOnlyList<Message> messages,
        CancellationToken ct, bool withReactions = true, IEnumerable<UserSummary>? known = null)
    {
        var ids = messages.Select(m => m.Id).ToList();
        var reactions = ids.Count == 0 || !withReactions ? [] : await db.Reactions.AsNoTracking()
            .Where(r => ids.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji })
            .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count(), First = g.Min(r => r.CreatedAt) })
            .ToListAsync(ct);
        var mentioned = messages.SelectMany(m => MentionedNames(m.Content)).Where(n => n != "EVERYONE").Distinct().ToList();
        var mentionIds = mentioned.Count == 0 ? [] : await db.Users.AsNoTracking()
            .Where(u => mentioned.Contains(u.NormalizedUserName!))
            .ToDictionaryAsync(u => u.NormalizedUserName!, u => u.Id, ct);
        var authors = (known ?? []).ToDictionary(u => u.Id);
        var unknown = messages.Select(m => m.AuthorId).OfType<string>().Where(id => !authors.ContainsKey(id)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            foreach (var (id, author) in await db.SummariesAsync(unknown, ct)) authors[id] = author;
        }

        return messages.ToDictionary(m => m.Id, m =>
        {
            var names = MentionedNames(m.Content).ToList();
            return new MessageView(m.Id, m.ChannelId, m.Content, m.CreatedAt, m.UpdatedAt, m.IsEdited, m.IsPinned, m.Type,
                m.ReplyingToMessageId,
                m.AuthorId is not null && authors.TryGetValue(m.AuthorId, out var author) ? author : NoAuthor,
                reactions.Where(r => r.MessageId == m.Id).OrderBy(r => r.First).Select(r => new ReactionCount(r.Emoji, r.Count)).ToList(),
                names.Select(n => mentionIds.GetValueOrDefault(n)).OfType<string>().Distinct().ToList(),
                names.Contains("EVERYONE"));
        });
    }

    /// <summary>The @names in a message, upper-cased as usernames are normalised.</summary>
    private static IEnumerable<string> MentionedNames(string content) =>
        MentionPattern().Matches(content).Select(x => x.Groups[1].Value.ToUpperInvariant());

    [GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_.\-]{0,63})")]
    private static partial Regex MentionPattern();
}
