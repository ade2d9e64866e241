using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Messaging;

/// <summary>Messages as every client sees them (<see cref="MessageView"/>): the one place their author, reactions and mentions are put together.</summary>
public static class MessageViews
{
    private static readonly UserSummary NoAuthor = new("", "Whop Inbox", "system");

    /// <summary>
    /// Authors and reaction counts for a page of messages (mentions were resolved when each was written): at
    /// most two queries, whatever the page size, and fewer when the authors are <paramref name="known"/> or
    /// the messages are new (<paramref name="withReactions"/> false: nobody has reacted yet).
    /// </summary>
    /// <param name="withAttachments">Whether any of them may have files (new messages have none unless their write attached some); as <paramref name="withReactions"/> unless given.</param>
    public static async Task<Dictionary<string, MessageView>> ForAsync(InboxDbContext db, IReadOnlyList<Message> messages,
        CancellationToken ct, bool withReactions = true, IEnumerable<UserSummary>? known = null, bool? withAttachments = null)
    {
        var ids = messages.Select(m => m.Id).ToList();
        // A page's files in one query, never their bytes or thumbnails.
        var files = ids.Count == 0 || !(withAttachments ?? withReactions) ? [] : await db.Files.AsNoTracking()
            .Where(f => f.MessageId != null && ids.Contains(f.MessageId))
            .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id)
            .Select(f => new Files.FileView(f.Id, f.MessageId, f.Filename, f.ContentType, f.Size, f.Width, f.Height))
            .ToListAsync(ct);
        var reactions = ids.Count == 0 || !withReactions ? [] : await db.Reactions.AsNoTracking()
            .Where(r => ids.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji })
            .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count(), First = g.Min(r => r.CreatedAt) })
            .ToListAsync(ct);
        var authors = (known ?? []).ToDictionary(u => u.Id);
        var unknown = messages.Select(m => m.AuthorId).OfType<string>().Where(id => !authors.ContainsKey(id)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            foreach (var (id, author) in await db.SummariesAsync(unknown, ct)) authors[id] = author;
        }

        return messages.ToDictionary(m => m.Id, m => new MessageView(m.Id, m.ChannelId, m.Content, m.CreatedAt, m.UpdatedAt, m.IsEdited,
            m.IsPinned, m.Type, m.ReplyingToMessageId,
            m.AuthorId is not null && authors.TryGetValue(m.AuthorId, out var author) ? author : NoAuthor,
            reactions.Where(r => r.MessageId == m.Id).OrderBy(r => r.First).Select(r => new ReactionCount(r.Emoji, r.Count)).ToList(),
            m.Mentions, MessageMentions.MentionsEveryone(m.Content), m.Visibility, PollView.Of(m),
            files.Where(f => f.MessageId == m.Id).ToList()));
    }
}
