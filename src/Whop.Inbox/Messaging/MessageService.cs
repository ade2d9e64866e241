using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Messaging;

public sealed record ReactionCount(string Emoji, int Count);

/// <summary>A message as every client sees it.</summary>
public sealed record MessageView(
    string Id, string ChannelId, string Content, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    bool IsEdited, bool IsPinned, MessageType Type, string? ReplyingToMessageId, UserSummary User,
    IReadOnlyList<ReactionCount> ReactionCounts, IReadOnlyList<string> Mentions, bool MentionsEveryone);

/// <summary>Sending, reading, editing, pinning and deleting messages, each checked against the rights table.</summary>
public sealed partial class MessageService(
    IDbContextFactory<InboxDbContext> contexts,
    ChannelAccess access,
    ChatEventLog events,
    TimeProvider clock)
{
    public async Task<Outcome<Page<MessageView>>> ListAsync(Actor actor, string? channelId, string? direction, PageRequest page,
        CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        if (direction is not (null or "asc" or "desc")) return Failure.Invalid("direction", "direction must be asc or desc.");
        var channel = await access.ReadableAsync(actor, channelId, ct);
        if (channel.Failure is { } failure) return failure;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ChannelId == channelId && m.DeletedAt == null)
            .PageAsync(m => m.CreatedAt, m => m.Id, descending: direction == "desc", page, ct);
        var views = await ViewsAsync(db, messages.Items, ct);
        return messages.Map(m => views[m.Id]);
    }

    public async Task<Outcome<MessageView>> GetAsync(Actor actor, string messageId, CancellationToken ct = default)
    {
        var found = await FindAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, [found.Value.Message], ct))[messageId];
    }

    public Task<Outcome<MessageView>> CreateAsync(Actor actor, string? channelId, string? content, string? replyingToMessageId,
        CancellationToken ct = default) =>
        CreateAsync(actor, channelId, content, replyingToMessageId, clientMessageId: null, ct);

    /// <summary>
    /// Sends a message: committed (and announced to subscribers) before this returns. With a
    /// <paramref name="clientMessageId"/>, a retry by the same author in the same channel returns the
    /// first message instead of sending a second.
    /// </summary>
    public async Task<Outcome<MessageView>> CreateAsync(Actor actor, string? channelId, string? content, string? replyingToMessageId,
        string? clientMessageId, CancellationToken ct = default)
    {
        if (ValidateContent(content) is { } invalid) return invalid;
        if (clientMessageId is { Length: 0 or > Message.MaxClientMessageIdLength } || clientMessageId?.Trim() != clientMessageId)
            return Failure.Invalid("client_message_id", $"client_message_id must be 1 to {Message.MaxClientMessageIdLength} characters, without surrounding spaces.");
        if (StoredText.Check("client_message_id", clientMessageId) is { } badKey) return badKey;
        var channel = await access.ForAsync(actor, channelId, c => ChannelAccess.WriteActionFor(c, actor), ct);
        if (channel.Failure is { } failure) return failure;

        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // One writer per channel at a time: activity time, status and ordering stay consistent.
        var locked = await db.Dialect.LockChannelAsync(db, channelId!, ct);

        var at = NextTimestamp(locked);
        var authorId = actor.UserId ?? await db.IntegrationUserIdAsync(locked.CompanyId!, at, ct);
        if (clientMessageId is not null)
        {
            // A retry: the first attempt committed (under this same lock), so it is here to return.
            var sent = await db.Messages.AsNoTracking()
                .SingleOrDefaultAsync(m => m.ChannelId == locked.Id && m.AuthorId == authorId && m.ClientMessageId == clientMessageId, ct);
            if (sent is not null) return (await ViewsAsync(db, [sent], ct))[sent.Id];
        }

        if (replyingToMessageId is not null &&
            !await db.Messages.AnyAsync(m => m.Id == replyingToMessageId && m.ChannelId == locked.Id && m.DeletedAt == null, ct))
        {
            return Failure.Invalid("replying_to_message_id", "replying_to_message_id must be a message in the same channel.");
        }

        var fromCustomer = locked.IsSupport && authorId == locked.CustomerId;
        Message? reopened = null;
        if (fromCustomer && locked.Status == SupportStatus.Resolved)
        {
            // The customer wrote again: the chat needs the team once more.
            var name = await db.Users.Where(u => u.Id == authorId).Select(u => u.Name).SingleAsync(ct);
            reopened = new Message(locked.Id, authorId, $"{name} replied, so this chat was reopened.", MessageType.System, null, at);
            db.Messages.Add(reopened);
            db.Record(actor, AuditActions.SupportChatReopened, locked.CompanyId, at, locked.Id, detail: "customer reply");
            at += Clock.OneMicrosecond;
        }

        var message = new Message(locked.Id, authorId, content!.Trim(), actor.UserId is null ? MessageType.Automated : MessageType.Regular,
            replyingToMessageId, at, clientMessageId);
        db.Messages.Add(message);
        locked.RecordMessage(at, fromCustomer);
        await db.SaveChangesAsync(ct);
        // Whoever sends a message has read the conversation up to it (message.created says so; no read event).
        await db.MarkViewedAsync(locked.Id, authorId, at, ct);
        if (reopened is not null)
        {
            var customer = (await db.SummariesAsync([authorId], ct))[authorId];
            await events.AppendAsync(db, locked.Id, ChatEventTypes.SupportChatReopened, new SupportChatChanged(UserResponse.From(customer), authorId), ct);
            await events.AppendMessageAsync(db, reopened, ChatEventTypes.MessageCreated, ct);
        }
        var view = await events.AppendMessageAsync(db, message, ChatEventTypes.MessageCreated, ct);
        await transaction.CommitAsync(ct);
        return view;
    }

    public async Task<Outcome<MessageView>> UpdateAsync(Actor actor, string messageId, string? content, bool? isPinned,
        CancellationToken ct = default)
    {
        if (content is not null && ValidateContent(content) is { } invalid) return invalid;
        var found = await FindAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        var (message, channel) = found.Value;

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (content is not null)
        {
            if (message.AuthorId != await db.ActingUserIdAsync(actor, channel.CompanyId, clock.UtcNowMicros(), ct))
                return Failure.Forbidden("Only the author can edit a message.");
            if (await access.ForAsync(actor, channel.Id, c => ChannelAccess.WriteActionFor(c, actor), ct) is { Failure: { } cannotWrite })
                return cannotWrite;
        }
        if (isPinned is not null &&
            await access.ForAsync(actor, channel.Id, ChannelAccess.ModerateActionFor(channel), ct) is { Failure: { } cannotPin })
        {
            return cannotPin;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Attach(message);
        var now = clock.UtcNowMicros();
        if (content is not null) message.Edit(content.Trim(), now);
        if (isPinned is { } pinned && pinned != message.IsPinned) message.SetPinned(pinned, now);
        if (!db.ChangeTracker.HasChanges()) return (await ViewsAsync(db, [message], ct))[message.Id];
        await db.SaveChangesAsync(ct);
        var view = await events.AppendMessageAsync(db, message, ChatEventTypes.MessageEdited, ct);
        await transaction.CommitAsync(ct);
        return view;
    }

    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string messageId, CancellationToken ct = default)
    {
        var found = await FindAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        var (message, channel) = found.Value;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.UtcNowMicros();
        // An API key acts through its company's integration user: what it sent is its own, and it is named as the one who deleted.
        var deleterId = await db.ActingUserIdAsync(actor, channel.CompanyId, now, ct);
        var own = deleterId is not null && message.AuthorId == deleterId
            && (await access.ForAsync(actor, channel.Id, c => ChannelAccess.WriteActionFor(c, actor), ct)).Succeeded;
        if (!own && await access.ForAsync(actor, channel.Id, ChannelAccess.ModerateActionFor(channel), ct) is { Failure: { } cannot })
            return cannot;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Attach(message);
        message.Delete(deleterId, now);
        db.Record(actor, AuditActions.MessageDeleted, channel.CompanyId, now, channel.Id, message.AuthorId,
            own ? "by its author" : "by a moderator");
        await db.SaveChangesAsync(ct);
        await events.AppendAsync(db, channel.Id, ChatEventTypes.MessageDeleted,
            new MessageDeleted(message.Id, message.AuthorId, message.CreatedAt, deleterId), ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>Finds a live message in a channel the caller can read.</summary>
    private async Task<Outcome<(Message Message, Channel Channel)>> FindAsync(Actor actor, string messageId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId && m.DeletedAt == null, ct);
        if (message is null) return Failure.NotFound($"No message {messageId}.");
        var channel = await access.ReadableAsync(actor, message.ChannelId, ct);
        if (channel.Failure is not null) return Failure.NotFound($"No message {messageId}.");
        return (message, channel.Value!);
    }

    internal static Failure? ValidateContent(string? content)
    {
        var trimmed = content?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return Failure.Invalid("content", "content must not be empty.");
        if (StoredText.Check("content", trimmed) is { } unreadable) return unreadable;
        if (trimmed.Length > Message.MaxContentLength)
            return Failure.Invalid("content", $"content can be at most {Message.MaxContentLength} characters (it has {trimmed.Length}).");
        return null;
    }

    /// <summary>Strictly after the channel's last message, so two sends in the same microsecond still have an order.</summary>
    private DateTimeOffset NextTimestamp(Channel channel)
    {
        var now = clock.UtcNowMicros();
        return now > channel.LastActivityAt ? now : channel.LastActivityAt + Clock.OneMicrosecond;
    }

    /// <summary>Authors, reaction counts and mentions for a page of messages: three queries, whatever the page size.</summary>
    internal static async Task<Dictionary<string, MessageView>> ViewsAsync(InboxDbContext db, IReadOnlyList<Message> messages,
        CancellationToken ct, bool withReactions = true)
    {
        var ids = messages.Select(m => m.Id).ToList();
        var reactions = ids.Count == 0 || !withReactions ? [] : await db.Reactions.AsNoTracking()
            .Where(r => ids.Contains(r.MessageId))
            .GroupBy(r => new { r.MessageId, r.Emoji })
            .Select(g => new { g.Key.MessageId, g.Key.Emoji, Count = g.Count(), First = g.Min(r => r.CreatedAt) })
            .ToListAsync(ct);
        var mentioned = messages.SelectMany(m => MentionPattern().Matches(m.Content).Select(x => x.Groups[1].Value.ToUpperInvariant()))
            .Where(n => n != "EVERYONE").Distinct().ToList();
        var mentionIds = mentioned.Count == 0 ? [] : await db.Users.AsNoTracking()
            .Where(u => mentioned.Contains(u.NormalizedUserName!))
            .ToDictionaryAsync(u => u.NormalizedUserName!, u => u.Id, ct);
        var authors = await db.SummariesAsync(messages.Select(m => m.AuthorId), ct);

        return messages.ToDictionary(m => m.Id, m =>
        {
            var names = MentionPattern().Matches(m.Content).Select(x => x.Groups[1].Value.ToUpperInvariant()).ToList();
            return new MessageView(m.Id, m.ChannelId, m.Content, m.CreatedAt, m.UpdatedAt, m.IsEdited, m.IsPinned, m.Type,
                m.ReplyingToMessageId,
                m.AuthorId is not null && authors.TryGetValue(m.AuthorId, out var author) ? author : new UserSummary("", "Whop Inbox", "system"),
                reactions.Where(r => r.MessageId == m.Id).OrderBy(r => r.First).Select(r => new ReactionCount(r.Emoji, r.Count)).ToList(),
                names.Select(n => mentionIds.GetValueOrDefault(n)).OfType<string>().Distinct().ToList(),
                names.Contains("EVERYONE"));
        });
    }

    [GeneratedRegex(@"(?<![\w@])@([A-Za-z0-9][A-Za-z0-9_.\-]{0,63})")]
    private static partial Regex MentionPattern();
}
