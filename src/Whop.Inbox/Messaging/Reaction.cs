using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

/// <summary>One user's emoji on one message; the same emoji twice by the same user is one reaction.</summary>
public sealed class Reaction
{
    public const int MaxEmojiLength = 64;

    private Reaction() { }

    public Reaction(string messageId, string userId, string emoji, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.Reaction);
        MessageId = messageId;
        UserId = userId;
        Emoji = emoji;
        CreatedAt = at;
    }

    public string Id { get; private set; } = "";
    public string MessageId { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public string Emoji { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
}
