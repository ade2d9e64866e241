using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Polls;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Messaging;

/// <summary>An emoji reaction, or a poll vote (<see cref="Emoji"/> null, <see cref="PollOptionId"/> the option), as Whop's API has both.</summary>
public sealed record ReactionView(string Id, string? Emoji, string MessageId, UserSummary User, DateTimeOffset CreatedAt, string? PollOptionId = null);

/// <summary>
/// Emoji reactions and poll votes on messages. Reacting and voting are writing: they need the right to write in the channel.
/// </summary>
public sealed class ReactionService(IDbContextFactory<InboxDbContext> contexts, ChannelAccess access, ConversationWrites writes, TimeProvider clock)
{
    public async Task<Outcome<Page<ReactionView>>> ListAsync(Actor actor, string? messageId, PageRequest page, CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        if (string.IsNullOrWhiteSpace(messageId)) return Failure.Invalid("resource_id", "resource_id is required: the message's id.");
        var message = await MessageAsync(actor, messageId, write: false, ct);
        if (message.Failure is { } failure) return failure;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var reactions = await db.Reactions.AsNoTracking().Where(r => r.MessageId == messageId)
            .PageAsync(r => r.CreatedAt, r => r.Id, descending: false, page, ct);
        var users = await db.SummariesAsync(reactions.Items.Select(r => r.UserId), ct);
        return reactions.Map(r => View(r, users[r.UserId]));
    }

    public async Task<Outcome<ReactionView>> GetAsync(Actor actor, string reactionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var reaction = await db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == reactionId, ct);
        if (reaction is null)
        {
            var vote = await db.PollVotes.AsNoTracking().SingleOrDefaultAsync(v => v.Id == reactionId, ct);
            if (vote is null || (await MessageAsync(actor, vote.MessageId, write: false, ct)).Failure is not null)
                return Failure.NotFound($"No reaction {reactionId}.");
            return View(vote, (await db.SummariesAsync([vote.UserId], ct))[vote.UserId]);
        }
        if ((await MessageAsync(actor, reaction.MessageId, write: false, ct)).Failure is not null) return Failure.NotFound($"No reaction {reactionId}.");
        var users = await db.SummariesAsync([reaction.UserId], ct);
        return View(reaction, users[reaction.UserId]);
    }

    /// <summary>The caller's vote in a message's poll: one per person, so a vote for another option moves it there.</summary>
    public async Task<Outcome<ReactionView>> VoteAsync(Actor actor, string? messageId, string? optionId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(optionId)) return Failure.Rejected("poll_option_id must name one of the poll's options.", "poll_option_id");
        var voted = await ChangeVoteAsync(actor, messageId, optionId, NoPoll("poll_option_id"), ct);
        if (voted.Failure is { } failure) return failure;
        return View(voted.Value.Vote!, voted.Value.By);
    }

    /// <summary>Withdraws the caller's vote in a message's poll; done (true) when there was none.</summary>
    public async Task<Outcome<bool>> WithdrawVoteAsync(Actor actor, string messageId, CancellationToken ct = default) =>
        await WithdrawVoteAsync(actor, messageId, NoPoll("resource_id"), ct);

    private async Task<Outcome<bool>> WithdrawVoteAsync(Actor actor, string messageId, Failure noPoll, CancellationToken ct)
    {
        var withdrawn = await ChangeVoteAsync(actor, messageId, optionId: null, noPoll, ct);
        return withdrawn.Failure is { } failure ? failure : true;
    }

    private static Failure NoPoll(string field) => Failure.Rejected("This message has no poll to vote in.", field);

    /// <summary>
    /// Moves the caller's vote to <paramref name="optionId"/> (null: withdraws it). Under the conversation's lock the vote
    /// row and the message's counts change together, so two votes at once (on any instance, either database) each move
    /// the counts once; the same vote again changes nothing and announces nothing.
    /// </summary>
    private async Task<Outcome<(PollVote? Vote, UserSummary By)>> ChangeVoteAsync(Actor actor, string? messageId, string? optionId, Failure noPoll,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(messageId)) return Failure.Invalid("resource_id", "resource_id is required: the message's id.");
        var found = await MessageAsync(actor, messageId, write: true, ct);
        if (found.Failure is { } failure) return failure;
        if (found.Value.Message.PollOptions is null) return noPoll;
        if (optionId is not null && !found.Value.Message.HasPollOption(optionId))
            return Failure.Rejected($"The poll has no option \"{optionId}\".", "poll_option_id");

        await using var write = await writes.BeginAsync(actor, found.Value.Channel.Id, ct);
        var by = await write.ByAsync(ct);
        var message = await write.Db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.DeletedAt == null, ct);
        if (message is null) return Failure.NotFound($"No message {messageId}.");
        var vote = await write.Db.PollVotes.SingleOrDefaultAsync(v => v.MessageId == messageId && v.UserId == by.Id, ct);
        if (vote?.OptionId == optionId) return (vote, by);

        message.MoveVote(vote?.OptionId, optionId);
        var changed = optionId ?? vote!.OptionId;
        if (optionId is null) write.Db.PollVotes.Remove(vote!);
        else if (vote is null) write.Db.PollVotes.Add(vote = new PollVote(messageId, by.Id, optionId, write.At));
        else vote.MoveTo(optionId, write.At);
        write.Announce(ChatEventTypes.ReactionChanged, new ReactionChanged(messageId, Emoji: null, by.Id, Added: optionId is not null,
            await CountsAsync(write.Db, messageId, ct), changed, PollView.Of(message)!.Votes), ConversationWrite.ReachOf(message));
        await write.CommitAsync(ct);
        return (optionId is null ? null : vote, by);
    }

    /// <summary>Adds the caller's reaction; the same emoji twice is the same reaction.</summary>
    public async Task<Outcome<ReactionView>> AddAsync(Actor actor, string? messageId, string? emoji, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(messageId)) return Failure.Invalid("resource_id", "resource_id is required: the message's id.");
        emoji = emoji?.Trim();
        if (string.IsNullOrEmpty(emoji)) return Failure.Invalid("emoji", "emoji is required.");
        if (emoji.Length > Reaction.MaxEmojiLength) return Failure.Invalid("emoji", $"emoji can be at most {Reaction.MaxEmojiLength} characters.");
        if (StoredText.Check("emoji", emoji) is { } unreadable) return unreadable;
        var message = await MessageAsync(actor, messageId, write: true, ct);
        if (message.Failure is { } failure) return failure;

        await using var write = await writes.BeginAsync(actor, message.Value!.Channel.Id, ct);
        var by = await write.ByAsync(ct);
        // Under the conversation's lock: the same reaction added twice at once is added once, and announced once.
        var existing = await write.Db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.MessageId == messageId && r.UserId == by.Id && r.Emoji == emoji, ct);
        if (existing is null)
        {
            existing = new Reaction(messageId, by.Id, emoji, write.At);
            write.Db.Reactions.Add(existing);
            await write.Db.SaveChangesAsync(ct);
            write.Announce(ChatEventTypes.ReactionChanged,
                new ReactionChanged(messageId, emoji, by.Id, Added: true, await CountsAsync(write.Db, messageId, ct)),
                ConversationWrite.ReachOf(message.Value.Message));
            await write.CommitAsync(ct);
        }
        return View(existing, by);
    }

    /// <summary>
    /// Removes a reaction: by its id (the caller's own, or any for those who moderate the channel), or,
    /// given a message id and an emoji, the caller's reaction with that emoji.
    /// </summary>
    public async Task<Outcome<bool>> RemoveAsync(Actor actor, string id, string? emoji, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        Reaction? reaction;
        if (id.StartsWith(PublicId.Message, StringComparison.Ordinal))
        {
            // Without an emoji, a message with a poll means the caller's vote in it.
            if (string.IsNullOrWhiteSpace(emoji))
                return await WithdrawVoteAsync(actor, id, Failure.Invalid("emoji", "Give the emoji to remove from the message."), ct);
            if (StoredText.Check("emoji", emoji) is { } unreadable) return unreadable;
            var companyId = await db.Messages.Where(m => m.Id == id).Join(db.Channels, m => m.ChannelId, c => c.Id, (m, c) => c.CompanyId)
                .SingleOrDefaultAsync(ct);
            var me = await db.ActingUserIdAsync(actor, companyId, clock.UtcNowMicros(), ct);
            reaction = await db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.MessageId == id && r.UserId == me && r.Emoji == emoji.Trim(), ct);
        }
        else
        {
            reaction = await db.Reactions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct);
            if (reaction is null && await db.PollVotes.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, ct) is { } vote)
                return await WithdrawVoteByIdAsync(db, actor, vote, ct);
        }
        if (reaction is null) return Failure.NotFound($"No reaction {id}.");

        var message = await MessageAsync(actor, reaction.MessageId, write: false, ct);
        if (message.Failure is not null) return Failure.NotFound($"No reaction {id}.");
        var channel = message.Value.Channel;
        var own = reaction.UserId == await db.ActingUserIdAsync(actor, channel.CompanyId, clock.UtcNowMicros(), ct);
        var action = own ? ChannelAccess.WriteActionFor(channel, actor) : ChannelAccess.ModerateActionFor(channel);
        if (await access.ForAsync(actor, channel.Id, action, ct) is { Failure: not null })
            return Failure.Forbidden("Only the person who reacted, or a moderator, can remove a reaction.");
        await using var write = await writes.BeginAsync(actor, channel.Id, ct);
        if (await write.Db.Reactions.Where(r => r.Id == reaction.Id).ExecuteDeleteAsync(ct) == 0) return true;
        write.Announce(ChatEventTypes.ReactionChanged, new ReactionChanged(reaction.MessageId, reaction.Emoji, reaction.UserId, Added: false,
            await CountsAsync(write.Db, reaction.MessageId, ct)), ConversationWrite.ReachOf(message.Value.Message));
        await write.CommitAsync(ct);
        return true;
    }

    /// <summary>A vote named by its id: only the person who voted withdraws it (a moderator does not change how someone voted).</summary>
    private async Task<Outcome<bool>> WithdrawVoteByIdAsync(InboxDbContext db, Actor actor, PollVote vote, CancellationToken ct)
    {
        var message = await MessageAsync(actor, vote.MessageId, write: false, ct);
        if (message.Failure is not null) return Failure.NotFound($"No reaction {vote.Id}.");
        if (vote.UserId != await db.ActingUserIdAsync(actor, message.Value.Channel.CompanyId, clock.UtcNowMicros(), ct))
            return Failure.Forbidden("Only the person who voted can withdraw a vote.");
        return await WithdrawVoteAsync(actor, vote.MessageId, ct);
    }

    /// <summary>A message's counts after the change, announced with it so no client has to count.</summary>
    private static async Task<IReadOnlyList<ReactionCount>> CountsAsync(InboxDbContext db, string messageId, CancellationToken ct) =>
        await db.Reactions.Where(r => r.MessageId == messageId)
            .GroupBy(r => r.Emoji)
            .Select(g => new { Emoji = g.Key, Count = g.Count(), First = g.Min(r => r.CreatedAt) })
            .OrderBy(g => g.First)
            .Select(g => new ReactionCount(g.Emoji, g.Count))
            .ToListAsync(ct);

    private async Task<Outcome<(Message Message, Channel Channel)>> MessageAsync(Actor actor, string messageId, bool write, CancellationToken ct)
    {
        var found = await access.ReadableMessageAsync(actor, messageId, ct);
        if (found.Failure is { } notFound) return notFound;
        var channel = found.Value.Channel;
        if (write && await access.CheckAsync(actor, channel, c => ChannelAccess.WriteActionFor(c, actor), ct) is { } refused) return refused;
        return found;
    }

    private static ReactionView View(Reaction r, UserSummary user) => new(r.Id, r.Emoji, r.MessageId, user, r.CreatedAt);

    private static ReactionView View(PollVote v, UserSummary user) => new(v.Id, null, v.MessageId, user, v.CreatedAt, v.OptionId);
}
