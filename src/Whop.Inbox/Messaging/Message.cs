using Whop.Inbox.Data;

namespace Whop.Inbox.Messaging;

public enum MessageType
{
    Regular,
    /// <summary>Written by the app itself: membership changes, resolve and reopen.</summary>
    System,
    /// <summary>Sent by an integration through an API key rather than a person.</summary>
    Automated,
}

/// <summary>A message (<c>post_</c>). Markdown content; deletion is soft so the audit trail keeps it.</summary>
public sealed class Message
{
    public const int MaxContentLength = 10_000;
    public const int MaxClientMessageIdLength = 64;

    private Message() { }

    public Message(string channelId, string? authorId, string content, MessageType type, string? replyingToMessageId, DateTimeOffset at,
        string? clientMessageId = null)
    {
        Id = PublicId.New(PublicId.Message);
        ChannelId = channelId;
        AuthorId = authorId;
        Content = content;
        Type = type;
        ReplyingToMessageId = replyingToMessageId;
        CreatedAt = at;
        UpdatedAt = at;
        ClientMessageId = clientMessageId;
    }

    public string Id { get; private set; } = "";
    public string ChannelId { get; private set; } = "";

    /// <summary>Null for system messages.</summary>
    public string? AuthorId { get; private set; }

    public string Content { get; private set; } = "";
    public MessageType Type { get; private set; }
    public string? ReplyingToMessageId { get; private set; }
    public bool IsPinned { get; private set; }
    public bool IsEdited { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>
    /// The sender's idempotency key: a retry with the same key (same channel, same author) returns
    /// this message instead of sending a second one.
    /// </summary>
    public string? ClientMessageId { get; private set; }

    public string? DeletedById { get; private set; }

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>
    /// Whether this message can be unread: a person's or an integration's, not a system note ("Maya
    /// resolved this chat" asks nobody for anything). The one definition of what unread counts count;
    /// <see cref="Unread.UnreadCounts"/> keeps them and holds the same rule in SQL.
    /// </summary>
    public bool CountsAsUnread => Type != MessageType.System;

    public void Edit(string content, DateTimeOffset at)
    {
        if (content == Content) return;
        Content = content;
        IsEdited = true;
        UpdatedAt = at;
    }

    public void SetPinned(bool pinned, DateTimeOffset at)
    {
        IsPinned = pinned;
        UpdatedAt = at;
    }

    public void Delete(string? byUserId, DateTimeOffset at)
    {
        DeletedAt = at;
        DeletedById = byUserId;
        UpdatedAt = at;
    }
}
