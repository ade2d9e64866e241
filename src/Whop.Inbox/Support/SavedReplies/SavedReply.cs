using Whop.Inbox.Data;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Support.SavedReplies;

/// <summary>
/// A saved reply (<c>reply_</c>): a text the team inserts into a support chat's composer instead of typing it
/// again. Shared ones are the company's (kept by its admins and API keys); a personal one belongs to one team
/// member and only they see it.
/// </summary>
public sealed class SavedReply
{
    public const int MaxNameLength = 80;

    /// <summary>
    /// Longer than any saved reply may be: a message's own limit. A reply is the start of a message, and its
    /// placeholders grow when they are filled in, so a reply is kept strictly shorter than a whole message.
    /// </summary>
    public const int ContentLimit = Message.MaxContentLength;

    private SavedReply() { }

    public SavedReply(string companyId, string? ownerId, string name, string content, string? createdById, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.SavedReply);
        CompanyId = companyId;
        OwnerId = ownerId;
        Rename(name);
        Content = content;
        CreatedById = createdById;
        CreatedAt = at;
        UpdatedAt = at;
    }

    public string Id { get; private set; } = "";
    public string CompanyId { get; private set; } = "";

    /// <summary>The team member a personal reply belongs to; null for the company's shared replies.</summary>
    public string? OwnerId { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>The name as the list sorts it (lower-cased), the same on both databases whatever their collation.</summary>
    public string SortKey { get; private set; } = "";

    public string Content { get; private set; } = "";
    public string? CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool Shared => OwnerId is null;

    public static string SortKeyOf(string name) => name.ToLowerInvariant();

    /// <summary>Changes what was given; true when anything changed (then <see cref="UpdatedAt"/> moves).</summary>
    public bool Change(string? name, string? content, bool? shared, string? newOwnerId, DateTimeOffset at)
    {
        var changed = false;
        if (name is not null && name != Name)
        {
            Rename(name);
            changed = true;
        }
        if (content is not null && content != Content)
        {
            Content = content;
            changed = true;
        }
        if (shared is { } toShared && toShared != Shared)
        {
            OwnerId = toShared ? null : newOwnerId;
            changed = true;
        }
        if (changed) UpdatedAt = at;
        return changed;
    }

    private void Rename(string name)
    {
        Name = name;
        SortKey = SortKeyOf(name);
    }
}
