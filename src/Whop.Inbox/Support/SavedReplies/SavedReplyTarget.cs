namespace Whop.Inbox.Support.SavedReplies;

/// <summary>
/// Where saved replies may be inserted: the team's composer in one support chat. The company whose replies are
/// offered, and what the placeholders stand for there (the chat's customer, the agent writing).
/// </summary>
public sealed record SavedReplyTarget(string CompanyId, ReplyPlaceholders.Values Values);
