using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Admission;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Files;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging;

public sealed record ReactionCount(string Emoji, int Count);

/// <summary>A poll option, and how many have voted for it.</summary>
public sealed record PollOptionView(string Id, string Text, int Votes);

/// <summary>How many have voted for a poll option (Whop's <c>poll_votes</c> entry).</summary>
public sealed record PollVoteCount(string OptionId, int Count);

/// <summary>A message's poll as every client sees it: its options in order, with their counts.</summary>
public sealed record PollView(IReadOnlyList<PollOptionView> Options)
{
    public static PollView? Of(Message message) => message.PollOptions is not { } options ? null
        : new(options.Select((text, i) => new PollOptionView(Polls.PollDraft.IdOf(i), text, message.PollVoteCounts![i])).ToList());

    /// <summary>Every option's count, in order: what a vote's event carries.</summary>
    public IReadOnlyList<PollVoteCount> Votes => Options.Select(o => new PollVoteCount(o.Id, o.Votes)).ToList();

    /// <summary>The same poll with the counts a vote's event brought.</summary>
    public PollView WithVotes(IReadOnlyList<PollVoteCount> votes) =>
        new(Options.Select(o => o with { Votes = votes.FirstOrDefault(v => v.OptionId == o.Id)?.Count ?? o.Votes }).ToList());
}

/// <summary>A message as every client sees it.</summary>
public sealed record MessageView(
    string Id, string ChannelId, string Content, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    bool IsEdited, bool IsPinned, MessageType MessageType, string? ReplyingToMessageId, UserSummary User,
    IReadOnlyList<ReactionCount> ReactionCounts, IReadOnlyList<string> Mentions, bool MentionsEveryone,
    MessageVisibility Visibility = MessageVisibility.Everyone, PollView? Poll = null, IReadOnlyList<Files.FileView>? Attachments = null)
{
    public bool IsNote => Visibility == MessageVisibility.Team;

    /// <summary>The files on the message, in the order they were uploaded.</summary>
    public IReadOnlyList<Files.FileView> Files => Attachments ?? [];
}

/// <summary>One send as its caller asked it, its content trimmed and checked: what group commit writes.</summary>
public sealed record Send(Actor Actor, string ChannelId, string Content, string? ReplyingToMessageId = null, string? ClientMessageId = null,
    MessageVisibility Visibility = MessageVisibility.Everyone);

/// <summary>Sending, reading, editing, pinning and deleting messages, each checked against the rights table.</summary>
public sealed class MessageService
{
    private readonly IDbContextFactory<InboxDbContext> contexts;
    private readonly ChannelAccess access;
    private readonly ConversationWrites writes;
    private readonly Support.Assignment.Assignments assignments;
    private readonly FileAttachments files;
    private readonly Observability.InboxMetrics metrics;
    private readonly DatabaseAdmission admission;
    private readonly GroupCommit<QueuedSend> _sends;

    public MessageService(IDbContextFactory<InboxDbContext> contexts, ChannelAccess access, ConversationWrites writes,
        Support.Assignment.Assignments assignments, FileAttachments files, Observability.InboxMetrics metrics, DatabaseDialect dialect,
        DatabaseAdmission admission)
    {
        this.contexts = contexts;
        this.access = access;
        this.writes = writes;
        this.assignments = assignments;
        this.files = files;
        this.metrics = metrics;
        this.admission = admission;
        // SQLite has one writer, so a second batch would only wait for the first; PostgreSQL writes two at once
        // (one can run while the other waits for its commit or a lock).
        _sends = new GroupCommit<QueuedSend>(writers: dialect.Provider == DatabaseProvider.Sqlite ? 1 : 2, WriteTogetherAsync,
            q => q.Answer.Task.IsCompleted);
    }

    /// <summary>A send waiting for its batch, and the answer its caller awaits.</summary>
    private sealed class QueuedSend(Send send, CancellationToken cancelled)
    {
        public Send Send { get; } = send;
        public CancellationToken Cancelled { get; } = cancelled;
        public TaskCompletionSource<Outcome<MessageView>> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>What one send wrote (<see cref="Posted"/>), or found already written by a first attempt (<see cref="Earlier"/>).</summary>
    private sealed record Written(Message? Posted, MessageView? Earlier);

    public async Task<Outcome<Page<MessageView>>> ListAsync(Actor actor, string? channelId, string? direction, PageRequest page,
        CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        if (direction is not (null or "asc" or "desc")) return Failure.Invalid("direction", "direction must be asc or desc.");
        var reader = await access.ReaderAsync(actor, channelId, ct);
        if (reader.Failure is { } failure) return failure;
        var seesNotes = reader.Value!.SeesNotes;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var messages = await db.Messages.AsNoTracking()
            .Where(m => m.ChannelId == channelId && m.DeletedAt == null && (seesNotes || m.Visibility == MessageVisibility.Everyone))
            .PageAsync(m => m.CreatedAt, m => m.Id, descending: direction == "desc", page, ct);
        var views = await MessageViews.ForAsync(db, messages.Items, ct);
        return messages.Map(m => views[m.Id]);
    }

    public async Task<Outcome<MessageView>> GetAsync(Actor actor, string messageId, CancellationToken ct = default)
    {
        var found = await access.ReadableMessageAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await MessageViews.ForAsync(db, [found.Value.Message], ct))[messageId];
    }

    public Task<Outcome<MessageView>> CreateAsync(Actor actor, string? channelId, string? content, string? replyingToMessageId,
        CancellationToken ct = default) =>
        CreateAsync(actor, channelId, content, replyingToMessageId, clientMessageId: null, ct: ct);

    /// <summary>
    /// Sends a message: committed (and announced to subscribers) before this returns. With a
    /// <paramref name="clientMessageId"/>, a retry by the same author in the same channel returns the
    /// first message instead of sending a second. With <see cref="MessageVisibility.Team"/>, an internal
    /// note in a support chat: the team's alone, and it moves neither the chat's status nor its activity.
    /// <paramref name="attachments"/> are uploaded files' ids (<c>file_</c>), attached in the same transaction;
    /// a message with files may have no text. A message without files or a poll (a note too) is written
    /// with the others that arrive with it, in one commit (<see cref="SendTogether"/>).
    /// </summary>
    /// <param name="poll">A poll's options as the caller wrote them (see <see cref="Polls.PollDraft.Check(IReadOnlyList{ValueTuple{string, string}})"/>); the content is its question.</param>
    public async Task<Outcome<MessageView>> CreateAsync(Actor actor, string? channelId, string? content, string? replyingToMessageId,
        string? clientMessageId, MessageVisibility visibility = MessageVisibility.Everyone, IReadOnlyList<(string? Id, string? Text)>? poll = null,
        IReadOnlyList<string?>? attachments = null, CancellationToken ct = default)
    {
        attachments ??= [];
        if (ValidateContent(content, withFiles: attachments.Count > 0) is { } invalid) return invalid;
        string[]? pollOptions = null;
        if (poll is not null)
        {
            var checkedPoll = Polls.PollDraft.Check(poll);
            if (checkedPoll.Failure is { } badPoll) return badPoll;
            pollOptions = checkedPoll.Value;
        }
        if (clientMessageId is { Length: 0 or > Message.MaxClientMessageIdLength } || clientMessageId?.Trim() != clientMessageId)
            return Failure.Invalid("client_message_id", $"client_message_id must be 1 to {Message.MaxClientMessageIdLength} characters, without surrounding spaces.");
        if (StoredText.Check("client_message_id", clientMessageId) is { } badKey) return badKey;
        if (string.IsNullOrWhiteSpace(channelId)) return Failure.Invalid("channel_id", "channel_id is required.");

        var send = new Send(actor, channelId, (content ?? "").Trim(), replyingToMessageId, clientMessageId, visibility);
        if (pollOptions is null && attachments.Count == 0)
        {
            // Whoever writes the batch writes this send on its connection: a page's send takes its place in
            // admission here, before it queues (refused at once when the instance is full), until it is answered.
            using var admitted = admission.AdmitHandedOn();
            var queued = new QueuedSend(send, ct);
            await _sends.SubmitAsync(queued);
            return await queued.Answer.Task;
        }
        return await SendAloneAsync(send, pollOptions, attachments, ct);
    }

    /// <summary>
    /// Writes <paramref name="sends"/> as one batch: one transaction, one commit (one writer's turn on
    /// SQLite, one notifying commit on PostgreSQL). Each send keeps its own rights check, idempotency and
    /// events, in the order given within a conversation; one refused is answered its own refusal and the
    /// others commit. Every answer comes after the commit. What <see cref="CreateAsync(Actor, string?, string?, string?, string?, MessageVisibility, IReadOnlyList{ValueTuple{string, string}}?, IReadOnlyList{string}?, CancellationToken)"/>
    /// does with the sends that arrive together. For tests, which choose what shares a batch: it bypasses
    /// the queue and admission, so the app itself sends through <c>CreateAsync</c> only.
    /// </summary>
    internal IReadOnlyList<Task<Outcome<MessageView>>> SendTogether(IReadOnlyList<Send> sends)
    {
        var queued = sends.Select(s => new QueuedSend(s, CancellationToken.None)).ToList();
        _ = WriteTogetherAsync(queued);
        return queued.Select(q => q.Answer.Task).ToList();
    }

    /// <summary>Sends that arrived together, written as one batch; every one answered (its outcome or its exception), never throws.</summary>
    private async Task WriteTogetherAsync(IReadOnlyList<QueuedSend> queued)
    {
        // Each send was admitted as it queued, for its own caller, not the writer's.
        DatabaseAdmission.ActAsApp();
        // A caller that gave up while waiting is not written: nothing was done for it.
        foreach (var gone in queued.Where(q => q.Cancelled.IsCancellationRequested)) gone.Answer.TrySetCanceled(gone.Cancelled);
        var sends = queued.Where(q => !q.Answer.Task.IsCompleted).ToList();
        if (sends.Count == 1) await AloneAsync(sends[0]);
        else if (sends.Count > 1)
        {
            try
            {
                if (!await WriteBatchAsync(sends))
                {
                    // A statement of the batch failed (a unique violation, a deadlock the database broke, an
                    // outage): its transaction is lost, and nothing of it was answered. Each send is written
                    // again alone, so a failure is answered to the send it belongs to and the others commit.
                    foreach (var send in sends) await AloneAsync(send);
                }
            }
            catch (Exception e)
            {
                // The batch could not begin (the database away), or its commit failed and whether it took is
                // unknown: every send is told, as a send alone would be (a retry with its client_message_id writes it once).
                foreach (var send in sends) send.Answer.TrySetException(e);
            }
        }
    }

    private async Task AloneAsync(QueuedSend queued)
    {
        try
        {
            queued.Answer.TrySetResult(await SendAloneAsync(queued.Send, pollOptions: null, attachments: [], queued.Cancelled));
        }
        catch (Exception e)
        {
            queued.Answer.TrySetException(e);
        }
    }

    /// <summary>
    /// The batch: every conversation locked first (<see cref="ConversationWrites.BeginBatchAsync"/>), then
    /// each send in turn, flushed, then one commit and the answers. False, with nothing answered, when a
    /// statement before the commit failed; an exception when the commit did.
    /// </summary>
    private async Task<bool> WriteBatchAsync(List<QueuedSend> sends)
    {
        var ct = CancellationToken.None;
        var answers = new List<(QueuedSend Send, Func<Outcome<MessageView>> Answer)>(sends.Count);
        var written = 0;
        await using (var batch = await writes.BeginBatchAsync(sends.Select(s => s.Send.ChannelId).ToList(), ct))
        {
            try
            {
                // By company, then conversation, each conversation's sends in the order they came: the companies'
                // tally locks are then taken in one order by every batch.
                foreach (var queued in sends.OrderBy(s => batch.CompanyOf(s.Send.ChannelId) ?? "", StringComparer.Ordinal)
                             .ThenBy(s => s.Send.ChannelId, StringComparer.Ordinal))
                {
                    var send = queued.Send;
                    var write = batch.Join(send.Actor, send.ChannelId);
                    // As a send alone is refused: the conversation gone, or the sender's rights in it.
                    var refused = await write.CheckExistingAsync(send.ChannelId, ActionFor(send), ct);
                    var outcome = refused is null ? await WriteAsync(write, send, pollOptions: null, attachments: [], ct) : refused;
                    if (outcome.Failure is { } failure) answers.Add((queued, () => failure));
                    else if (outcome.Value!.Earlier is { } earlier) answers.Add((queued, () => earlier));
                    else
                    {
                        await write.FlushAsync(ct);
                        batch.Written(write);
                        written++;
                        var posted = outcome.Value.Posted!;
                        answers.Add((queued, () => Sent(write, send, posted)));
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return false;
            }
            await batch.CommitAsync(ct);
        }
        if (written > 0) metrics.SendsCommitted(written);
        foreach (var (queued, answer) in answers) queued.Answer.TrySetResult(answer());
        return true;
    }

    /// <summary>A send in its own transaction, committed before this returns: one with files or a poll, or one that came alone.</summary>
    private async Task<Outcome<MessageView>> SendAloneAsync(Send send, string[]? pollOptions, IReadOnlyList<string?> attachments,
        CancellationToken ct)
    {
        var begun = await writes.BeginAsync(send.Actor, send.ChannelId, ActionFor(send), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        var outcome = await WriteAsync(write, send, pollOptions, attachments, ct);
        if (outcome.Failure is { } failure) return failure;
        if (outcome.Value!.Earlier is { } earlier) return earlier;
        await write.CommitAsync(ct);
        metrics.SendsCommitted(1);
        return Sent(write, send, outcome.Value.Posted!);
    }

    /// <summary>A committed send's answer (counted as sent): the message as its change announced it.</summary>
    private MessageView Sent(ConversationWrite write, Send send, Message posted)
    {
        metrics.MessageSent(write.Channel.Kind, send.Visibility);
        return write.ViewOf(posted);
    }

    /// <summary>What the sender must be allowed in the conversation: a note needs the team's right to write notes.</summary>
    private static Func<Channel, InboxAction> ActionFor(Send send) => c =>
        send.Visibility == MessageVisibility.Team && c.IsSupport ? InboxAction.WriteNote : ChannelAccess.WriteActionFor(c, send.Actor);

    /// <summary>
    /// One send inside its (allowed, locked) change, up to the commit: its refusal, the message it posted, or
    /// the message a first attempt with the same client_message_id already wrote. Every refusal comes
    /// before the change writes anything, so a refused send in a batch leaves nothing behind.
    /// </summary>
    private async Task<Outcome<Written>> WriteAsync(ConversationWrite write, Send send, string[]? pollOptions,
        IReadOnlyList<string?> attachments, CancellationToken ct)
    {
        var (actor, channelId, trimmed, replyingToMessageId, clientMessageId, visibility) = send;
        var note = visibility == MessageVisibility.Team;
        if (note && !write.Channel.IsSupport) return Failure.Rejected("Notes are for support chats: a DM has no team to keep them from.", "visibility");
        var author = await write.ByAsync(ct);
        if (clientMessageId is not null)
        {
            // A retry: the first attempt was written under this same lock (committed, or earlier in this batch), so it is here to return.
            var sent = await write.Db.Messages.AsNoTracking()
                .SingleOrDefaultAsync(m => m.ChannelId == channelId && m.AuthorId == author.Id && m.ClientMessageId == clientMessageId, ct);
            if (sent is not null) return new Written(null, (await write.ViewsAsync([sent], ct))[sent.Id]);
        }
        var attaching = await files.CheckAsync(write.Db, actor, write.Channel, attachments, messageId: null, ct);
        if (attaching.Failure is { } cannotAttach) return cannotAttach;
        // A reply to a note is for the team: a customer may not quote one (to them it does not exist).
        var customer = write.Channel.IsSupport && author.Id == write.Channel.CustomerId;
        if (replyingToMessageId is not null && !await write.Db.Messages.AnyAsync(m => m.Id == replyingToMessageId && m.ChannelId == channelId
                && m.DeletedAt == null && (!customer || m.Visibility == MessageVisibility.Everyone), ct))
        {
            return Failure.Invalid("replying_to_message_id", "replying_to_message_id must be a message in the same channel.");
        }

        var chat = write.Channel;
        var mentions = await MessageMentions.ResolveAsync(write.Db, chat, trimmed, visibility, ct);
        if (note)
        {
            var noted = write.Post(author.Id, trimmed, actor.UserId is null ? MessageType.Automated : MessageType.Regular, replyingToMessageId,
                clientMessageId, MessageVisibility.Team, mentions, pollOptions);
            if (await AttachAsync(write, noted, attaching.Value!, ct) is { } lostNoteFile) return lostNoteFile;
            write.MarkRead(author.Id, noted.CreatedAt);
            return new Written(noted, null);
        }
        var fromCustomer = customer;
        var reopened = false;
        if (fromCustomer && chat.Status == SupportStatus.Resolved)
        {
            // The customer wrote again: the chat needs the team once more.
            write.Announce(ChatEventTypes.SupportChatReopened, new SupportChatChanged(author, author.Id));
            write.Post(author.Id, $"{author.Name} replied, so this chat was reopened.", MessageType.System);
            write.Audit(AuditActions.SupportChatReopened, detail: "customer reply");
            reopened = true;
        }
        // The customer wrote to a snoozed chat: it wakes now, in this write, before their message.
        if (fromCustomer) Support.Snooze.Snoozes.WakeForCustomer(write, author);
        var message = write.Post(author.Id, trimmed, actor.UserId is null ? MessageType.Automated : MessageType.Regular,
            replyingToMessageId, clientMessageId, mentions: mentions, pollOptions: pollOptions);
        if (await AttachAsync(write, message, attaching.Value!, ct) is { } lostFile) return lostFile;
        chat.RecordMessage(message.CreatedAt, fromCustomer);
        await Support.Reports.ResponseTimes.PostedAsync(write, message, fromCustomer, ct);
        // Whoever sends a message has read the conversation up to it (message.created says so; no read event).
        write.MarkRead(author.Id, message.CreatedAt);
        // A chat that reopens while its assignee is away goes to someone who is here (when the company wants that).
        if (reopened) await assignments.AssignNextAsync(write, ct);
        return new Written(message, null);
    }

    /// <summary>
    /// Edits a message's content, its files (<paramref name="attachments"/>: the whole new list; files left
    /// out are deleted) or pins it.
    /// </summary>
    public async Task<Outcome<MessageView>> UpdateAsync(Actor actor, string messageId, string? content, bool? isPinned,
        IReadOnlyList<string?>? attachments = null, CancellationToken ct = default)
    {
        if (content is not null && ValidateContent(content, withFiles: attachments is { Count: > 0 }) is { } invalid) return invalid;
        var found = await access.ReadableMessageAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        var channel = found.Value.Channel;

        await using var write = await writes.BeginAsync(actor, channel.Id, ct);
        // Read again under the lock: of an edit and a delete at once, the second sees the first.
        var message = await write.Db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.DeletedAt == null, ct);
        if (message is null) return Failure.NotFound($"No message {messageId}.");
        if (content is not null || attachments is not null)
        {
            if (message.AuthorId != await write.ActingUserIdAsync(ct)) return Failure.Forbidden("Only the author can edit a message.");
            if (await write.CheckAsync(c => ChannelAccess.WriteActionFor(c, actor), ct) is { } cannotWrite) return cannotWrite;
        }
        if (isPinned is not null && await write.CheckAsync(ChannelAccess.ModerateActionFor, ct) is { } cannotPin) return cannotPin;

        var mentionedBefore = message.Mentions;
        if (content is not null)
        {
            var trimmed = content.Trim();
            message.Edit(trimmed, await MessageMentions.ResolveAsync(write.Db, write.Channel, trimmed, message.Visibility, ct), write.At);
        }
        if (attachments is not null)
        {
            var attaching = await files.CheckAsync(write.Db, actor, write.Channel, attachments, message.Id, ct);
            if (attaching.Failure is { } cannotAttach) return cannotAttach;
            if (attaching.Value!.Count == 0 && string.IsNullOrWhiteSpace(message.Content)) return Failure.Invalid("content", "content must not be empty.");
            if (await FileAttachments.ReplaceAsync(write.Db, message.Id, attaching.Value, ct))
            {
                if (await AttachAsync(write, message, attaching.Value, ct) is { } lostFile) return lostFile;
                message.FilesChanged(write.At);
            }
        }
        if (isPinned is { } pinned && pinned != message.IsPinned) message.SetPinned(pinned, write.At);
        if (!write.Db.ChangeTracker.HasChanges()) return (await write.ViewsAsync([message], ct))[message.Id];
        // Only someone the edit names for the first time is told again.
        write.Edited(message, newlyMentioned: message.Mentions.Except(mentionedBefore));
        await write.CommitAsync(ct);
        return write.ViewOf(message);
    }

    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string messageId, CancellationToken ct = default)
    {
        var found = await access.ReadableMessageAsync(actor, messageId, ct);
        if (found.Failure is { } failure) return failure;
        var (message, channel) = found.Value;

        await using var write = await writes.BeginAsync(actor, channel.Id, ct);
        // An API key acts through its company's integration user: what it sent is its own, and it is named as the one who deleted.
        var deleterId = await write.ActingUserIdAsync(ct);
        var own = deleterId is not null && message.AuthorId == deleterId
            && await write.CheckAsync(c => ChannelAccess.WriteActionFor(c, actor), ct) is null;
        if (!own && await write.CheckAsync(ChannelAccess.ModerateActionFor, ct) is { } cannot) return cannot;

        // Already gone under the lock (deleted a moment ago): deleting is done either way.
        if (await write.Db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.DeletedAt == null, ct) is not { } live) return true;
        write.Delete(live, deleterId);
        await FileAttachments.RemoveAsync(write.Db, live.Id, ct);
        write.Audit(AuditActions.MessageDeleted, message.AuthorId, own ? "by its author" : "by a moderator");
        write.Announce(ChatEventTypes.MessageDeleted, new MessageDeleted(message.Id, message.AuthorId, message.CreatedAt, deleterId),
            ConversationWrite.ReachOf(message));
        await write.CommitAsync(ct);
        return true;
    }


    /// <summary>Attaches checked files to a message this write posts or edits; the refusal when another message took one first.</summary>
    private static async Task<Failure?> AttachAsync(ConversationWrite write, Message message, IReadOnlyList<string> fileIds, CancellationToken ct)
    {
        if (fileIds.Count == 0) return null;
        if (!await FileAttachments.AttachAsync(write.Db, message.Id, fileIds, ct))
            return Failure.Rejected("A file was attached to another message at the same moment.", "attachments");
        write.Attached();
        return null;
    }

    /// <summary>Content is required, except on a message that carries files.</summary>
    internal static Failure? ValidateContent(string? content, bool withFiles = false)
    {
        var trimmed = content?.Trim();
        if (string.IsNullOrEmpty(trimmed)) return withFiles ? null : Failure.Invalid("content", "content must not be empty.");
        if (StoredText.Check("content", trimmed) is { } unreadable) return unreadable;
        if (trimmed.Length > Message.MaxContentLength)
            return Failure.Invalid("content", $"content can be at most {Message.MaxContentLength} characters (it has {trimmed.Length}).");
        return null;
    }
}
