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

/// <summary>Who may read a message.</summary>
public enum MessageVisibility
{
    Everyone,
    /// <summary>An internal note in a support chat: the company's team only, never its customer.</summary>
    Team,
}

/// <summary>A message (<c>post_</c>). Markdown content; deletion is soft so the audit trail keeps it.</summary>
public sealed class Message
{
    public const int MaxContentLength = 10_000;
    public const int MaxClientMessageIdLength = 64;

    private Message() { }

    public Message(string channelId, string? authorId, string content, MessageType type, string? replyingToMessageId, DateTimeOffset at,
        string? clientMessageId = null, MessageVisibility visibility = MessageVisibility.Everyone, string[]? mentions = null,
        string[]? pollOptions = null)
    {
        Visibility = visibility;
        PollOptions = pollOptions;
        PollVoteCounts = pollOptions is null ? null : new int[pollOptions.Length];
        Mentions = mentions ?? [];
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

    public MessageVisibility Visibility { get; private set; }

    public bool IsNote => Visibility == MessageVisibility.Team;

    /// <summary>
    /// The people the message mentions (<c>@username</c>), resolved when it was written among those who
    /// may read it (see <see cref="MessageMentions"/>): who was mentioned stays as it was, whoever leaves later.
    /// </summary>
    public string[] Mentions { get; private set; } = [];

    public bool IsDeleted => DeletedAt is not null;

    /// <summary>
    /// The poll's options in order, checked by <see cref="Polls.PollDraft"/>; null without a poll. Option i's id is
    /// "i+1": Whop's ids are sequential from "1", so the position is the id.
    /// </summary>
    public string[]? PollOptions { get; private set; }

    /// <summary>Votes per option, beside <see cref="PollOptions"/>: kept by every vote, so no read counts them.</summary>
    public int[]? PollVoteCounts { get; private set; }

    public bool HasPollOption(string optionId) => Polls.PollDraft.IndexOf(optionId, PollOptions?.Length ?? 0) is not null;

    /// <summary>
    /// A person's vote moves from one option to another (null: no vote before, or none after). The caller holds the
    /// conversation's lock and has checked both options exist.
    /// </summary>
    public void MoveVote(string? fromOptionId, string? toOptionId)
    {
        var counts = PollVoteCounts!.ToArray();
        if (fromOptionId is not null) counts[Polls.PollDraft.IndexOf(fromOptionId, counts.Length)!.Value]--;
        if (toOptionId is not null) counts[Polls.PollDraft.IndexOf(toOptionId, counts.Length)!.Value]++;
        PollVoteCounts = counts;
    }

    /// <summary>
    /// Whether this message can be unread: a person's or an integration's, not a system note ("Maya
    /// resolved this chat" asks nobody for anything). The one definition of what unread counts count;
    /// <see cref="Unread.UnreadCounts"/> keeps them and holds the same rule in SQL.
    /// </summary>
    public bool CountsAsUnread => Type != MessageType.System;

    public void Edit(string content, string[] mentions, DateTimeOffset at)
    {
        if (content == Content) return;
        Content = content;
        Mentions = mentions;
        IsEdited = true;
        UpdatedAt = at;
    }

    /// <summary>Its files were replaced: an edit like one of its text.</summary>
    public void FilesChanged(DateTimeOffset at)
    {
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
