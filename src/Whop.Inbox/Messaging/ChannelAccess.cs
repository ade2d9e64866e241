using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging;

/// <summary>
/// Loads a channel for an action. A channel the caller may neither see nor act on is "not found"
/// (its existence must not leak: another customer's chat is a 404); one they can see but not act
/// on is "forbidden".
/// </summary>
/// <summary>A conversation the caller may read, and whether they read its internal notes (the team does; the customer never).</summary>
public sealed record Reader(Channel Channel, bool SeesNotes);

public sealed class ChannelAccess(IDbContextFactory<InboxDbContext> contexts, InboxRights rights)
{
    /// <summary>
    /// A conversation the caller may read, with whether its notes are theirs to read: one standing
    /// asked once answers both. Every read of messages goes through here, so no path shows a note to a customer.
    /// </summary>
    public async Task<Outcome<Reader>> ReaderAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(channelId)) return Failure.Invalid("channel_id", "channel_id is required.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null) return NotFound(channelId);
        var (standing, _) = await rights.ChannelStandingAndNameAsync(actor, channel, ct, db);
        if (Judge(actor, channel, ReadActionFor, standing) is { } refused) return refused;
        return new Reader(channel, SeesNotes(actor, channel, standing));
    }

    /// <summary>
    /// A live message the caller can read, with its conversation: in a channel they read, and not a note
    /// unless they are on the team. Anything else is "not found", so a note's existence does not leak.
    /// </summary>
    public async Task<Outcome<(Message Message, Channel Channel)>> ReadableMessageAsync(Actor actor, string messageId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId && m.DeletedAt == null, ct);
        if (message is null) return Failure.NotFound($"No message {messageId}.");
        var reader = await ReaderAsync(actor, message.ChannelId, ct);
        if (reader.Value is not { } readable || (message.IsNote && !readable.SeesNotes)) return Failure.NotFound($"No message {messageId}.");
        return (message, readable.Channel);
    }

    /// <summary>Whether a caller of this standing reads the chat's notes (support chats only have them).</summary>
    public static bool SeesNotes(Actor actor, Channel channel, Standing standing) =>
        channel.IsSupport && InboxRights.Allows(actor, InboxAction.ReadNotes, standing);

    public async Task<Outcome<Channel>> ForAsync(Actor actor, string? channelId, Func<Channel, InboxAction> actionFor,
        CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(channelId)) return Failure.Invalid("channel_id", "channel_id is required.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        if (channel is null) return NotFound(channelId);
        if (await CheckAsync(actor, channel, actionFor, ct) is { } refused) return refused;
        return channel;
    }

    /// <summary>
    /// Whether the actor may take the action on a channel already loaded; null when allowed. A change that
    /// holds the channel's lock passes its own context as <paramref name="on"/>.
    /// </summary>
    public async Task<Failure?> CheckAsync(Actor actor, Channel channel, Func<Channel, InboxAction> actionFor, CancellationToken ct = default,
        InboxDbContext? on = null) =>
        (await CheckAndNameAsync(actor, channel, actionFor, ct, on)).Refused;

    /// <summary>
    /// <see cref="CheckAsync"/>, and the acting person's name from the same query (null for an API key):
    /// a change that goes on to write needs both.
    /// </summary>
    public async Task<(Failure? Refused, UserSummary? Person)> CheckAndNameAsync(Actor actor, Channel channel, Func<Channel, InboxAction> actionFor,
        CancellationToken ct = default, InboxDbContext? on = null)
    {
        var (standing, person) = await rights.ChannelStandingAndNameAsync(actor, channel, ct, on);
        return (Judge(actor, channel, actionFor, standing), person);
    }

    private static Failure? Judge(Actor actor, Channel channel, Func<Channel, InboxAction> actionFor, Standing standing)
    {
        if (InboxRights.Allows(actor, actionFor(channel), standing)) return null;
        // Someone who would see the channel but for their token's scopes knows it exists: 403, not 404.
        var wouldSee = RightsTable.Allows(ReadActionFor(channel), standing, Credential.Session, actor.Scopes);
        return wouldSee ? Failure.Forbidden() : NotFound(channel.Id);
    }

    public static Failure NotFound(string channelId) => Failure.NotFound($"No channel {channelId}.");

    public Task<Outcome<Channel>> ForAsync(Actor actor, string? channelId, InboxAction action, CancellationToken ct = default) =>
        ForAsync(actor, channelId, _ => action, ct);

    public Task<Outcome<Channel>> ReadableAsync(Actor actor, string? channelId, CancellationToken ct = default) =>
        ForAsync(actor, channelId, ReadActionFor, ct);

    public static InboxAction ReadActionFor(Channel channel) =>
        channel.IsSupport ? InboxAction.ReadSupportChat : InboxAction.ReadDm;

    /// <summary>Writing a message: the customer writes as themselves, anyone else on the team as the company.</summary>
    public static InboxAction WriteActionFor(Channel channel, Actor actor) =>
        channel.IsDm ? InboxAction.WriteDm
        : actor.UserId is not null && actor.UserId == channel.CustomerId ? InboxAction.ReplyAsCustomer
        : InboxAction.ReplyAsCompany;

    /// <summary>Deleting someone else's message, and pinning.</summary>
    public static InboxAction ModerateActionFor(Channel channel) =>
        channel.IsSupport ? InboxAction.DeleteAnySupportMessage : InboxAction.DeleteAnyDmMessage;
}
