using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

public enum MemberStatus
{
    Requested,
    Accepted,
    Hidden,
    Closed,
    Archived,
}

public enum NotificationPreference
{
    All,
    Mentions,
    None,
}

/// <summary>
/// A user's place in a channel: DM members, the customer of a support chat, and team members
/// once they have read a support chat (the row holds their read state).
/// </summary>
public sealed class ChannelMember
{
    private ChannelMember() { }

    public ChannelMember(string channelId, string userId, DateTimeOffset createdAt)
    {
        Id = PublicId.New(PublicId.ChannelMember);
        ChannelId = channelId;
        UserId = userId;
        CreatedAt = createdAt;
    }

    public string Id { get; private set; } = "";
    public string ChannelId { get; private set; } = "";
    public string UserId { get; private set; } = "";
    public MemberStatus Status { get; private set; } = MemberStatus.Accepted;
    public NotificationPreference NotificationPreference { get; private set; } = NotificationPreference.All;

    /// <summary>The read state: messages after this are unread for this member.</summary>
    public DateTimeOffset? LastViewedAt { get; private set; }

    /// <summary>
    /// How many messages after <see cref="LastViewedAt"/> this member has not read (by others, not
    /// deleted, not system notes): kept on write by each change to the conversation, never counted on read.
    /// </summary>
    public int UnreadCount { get; private set; }

    /// <summary>Messages mentioning this member that they have not read: kept on write, zero once they read the conversation.</summary>
    public int UnreadMentions { get; private set; }

    /// <summary>When this member was last mentioned here (null: never): the inbox's Mentions view lists by it.</summary>
    public DateTimeOffset? LastMentionedAt { get; private set; }

    /// <summary>When the member was added; member lists are ordered by it.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    public void MarkViewed(DateTimeOffset at)
    {
        if (LastViewedAt is null || at > LastViewedAt) LastViewedAt = at;
    }

    public void SetStatus(MemberStatus status) => Status = status;
    public void SetNotificationPreference(NotificationPreference preference) => NotificationPreference = preference;
}
