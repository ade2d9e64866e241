using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Observability;

namespace Whop.Inbox.Messaging.Writes;

/// <summary>
/// Makes the unit of work (<see cref="ConversationWrite"/>) for one change to a conversation. Every
/// change goes through here: messages, resolve and reopen, renames, members, deletes, reactions and
/// read marks.
/// </summary>
/// <remarks>
/// The lock-order rule, kept here and nowhere else: a change takes its conversation's lock first (or,
/// for a conversation that does not exist yet, a lock named after what makes it unique), and only
/// then touches members, messages and reactions. A support chat's change that moves its company's
/// tallies takes the company's tally lock last, in its final command (see <see cref="Unread.UnreadBookkeeping"/>),
/// and takes nothing after it. Two changes therefore never wait on each other in opposite orders. And
/// while it holds its connection (from the lock to the commit) it asks for no other: everything it
/// reads, the rights included, it reads on its own.
/// </remarks>
public sealed class ConversationWrites(IDbContextFactory<InboxDbContext> contexts, ChannelAccess access, ChatEventLog events,
    Webhooks.WebhookOutbox webhooks, TimeProvider clock, InboxMetrics metrics)
{
    /// <summary>
    /// Begins a change the actor must be allowed to make (<paramref name="actionFor"/>, as <see cref="ChannelAccess"/>
    /// judges it): the rights table is asked about the locked conversation itself, so nothing reads it twice.
    /// </summary>
    public async Task<Outcome<ConversationWrite>> BeginAsync(Actor actor, string channelId, Func<Channel, InboxAction> actionFor,
        CancellationToken ct)
    {
        var write = await BeginAsync(actor, channelId, mustExist: false, ct);
        if (await write.CheckExistingAsync(channelId, actionFor, ct) is not { } refused) return write;
        await write.DisposeAsync();
        return refused;
    }

    /// <summary>Begins a change to a conversation the caller was already allowed: its transaction, with the conversation locked and loaded, tracked.</summary>
    public Task<ConversationWrite> BeginAsync(Actor actor, string channelId, CancellationToken ct) =>
        BeginAsync(actor, channelId, mustExist: true, ct);

    private async Task<ConversationWrite> BeginAsync(Actor actor, string channelId, bool mustExist, CancellationToken ct)
    {
        var trace = InboxTracing.StartWrite(channelId);
        var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await db.Database.BeginTransactionAsync(ct);
            var channel = await db.Dialect.LockChannelAsync(db, channelId, ct);
            if (channel is null && mustExist) throw new InvalidOperationException($"No channel {channelId} to change.");
            return new ConversationWrite(db, actor, channel, access, events, webhooks, clock, metrics, trace);
        }
        catch
        {
            trace?.Dispose();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a batch of changes to <paramref name="channelIds"/> in one transaction (see <see cref="WriteBatch"/>):
    /// all of them locked first, in id order, before any change of the batch does anything else. A change
    /// alone takes one conversation and then, last, a company's tally lock; the batch takes all its
    /// conversations and only then the tally locks, so neither ever waits for what the other holds in the
    /// opposite order.
    /// </summary>
    public async Task<WriteBatch> BeginBatchAsync(IReadOnlyCollection<string> channelIds, CancellationToken ct)
    {
        var trace = InboxTracing.StartWrite(channelId: null);
        var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await db.Database.BeginTransactionAsync(ct);
            var begun = clock.GetTimestamp();
            var channels = await db.Dialect.LockChannelsAsync(db, channelIds.Distinct().Order(StringComparer.Ordinal).ToList(), ct);
            return new WriteBatch(db, channels, begun, trace, (batch, actor, channel) =>
                new ConversationWrite(batch.Db, actor, channel, access, events, webhooks, clock, metrics, trace: null, batch));
        }
        catch
        {
            trace?.Dispose();
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Begins a change that creates a conversation, under a lock named <paramref name="uniqueKey"/>: two
    /// identical creates at once queue on it, and the second finds the first's conversation.
    /// Call <see cref="ConversationWrite.Create"/> with the new conversation.
    /// </summary>
    public async Task<ConversationWrite> BeginNewAsync(Actor actor, string uniqueKey, CancellationToken ct)
    {
        var trace = InboxTracing.StartWrite(channelId: null);
        var db = await contexts.CreateDbContextAsync(ct);
        try
        {
            await db.Database.BeginTransactionAsync(ct);
            await db.Dialect.LockKeyAsync(db, uniqueKey, ct);
            return new ConversationWrite(db, actor, channel: null, access, events, webhooks, clock, metrics, trace);
        }
        catch
        {
            trace?.Dispose();
            await db.DisposeAsync();
            throw;
        }
    }
}
