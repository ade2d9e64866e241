using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging.Polls;

/// <summary>
/// One person's vote in one message's poll: one row per person and poll, so a new vote moves it. A reaction in
/// Whop's API (<c>rxn_</c>, <c>poll_option_id</c> instead of an emoji); the counts it moves are kept on the message.
/// </summary>
public sealed class PollVote
{
    private PollVote() { }

    public PollVote(string messageId, string userId, string optionId, DateTimeOffset at)
    {
        Id = PublicId.New(PublicId.Reaction);
        MessageId = messageId;
        UserId = userId;
        OptionId = optionId;
        CreatedAt = at;
    }

    public string Id { get; private set; } = "";
    public string MessageId { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public string OptionId { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    public void MoveTo(string optionId, DateTimeOffset at)
    {
        OptionId = optionId;
        CreatedAt = at;
    }
}
