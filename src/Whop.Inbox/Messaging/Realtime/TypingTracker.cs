using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// "… is typing" a reply or (the team's alone) a note: ephemeral events, never logged. A start lasts <see cref="Lifetime"/> unless
/// renewed (clients repeat it every few seconds while the person types); when it runs out this
/// instance announces the stop itself, and receivers also drop it at <c>expires_at</c> should that
/// announcement never come (the instance went away).
/// </summary>
public sealed partial class TypingTracker(
    ChannelAccess access,
    ChatEventLog log,
    IDbContextFactory<InboxDbContext> contexts,
    TimeProvider clock,
    ILogger<TypingTracker> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);

    private readonly ConcurrentDictionary<(string ChannelId, string UserId, bool Note), Typist> _typing = new();

    private sealed class Typist(UserSummary user, ChannelSnapshot channel, bool note)
    {
        public UserSummary User { get; } = user;
        public ChannelSnapshot Channel { get; } = channel;
        public bool Note { get; } = note;
        public ITimer? Expiry { get; set; }
        public int Generation { get; set; }
    }

    /// <summary>
    /// The viewer is typing in the channel: a reply (they must be allowed to write there), or with <paramref name="note"/>
    /// an internal note (they must be allowed to write one), which only the team is told of.
    /// </summary>
    public async Task<Outcome<bool>> StartAsync(Actor actor, string? channelId, bool note = false, CancellationToken ct = default)
    {
        if (actor.UserId is not { } userId) return Failure.Rejected("Typing belongs to a person; an API key has none.");
        var channel = await access.ForAsync(actor, channelId, c => note ? InboxAction.WriteNote : ChannelAccess.WriteActionFor(c, actor), ct);
        if (channel.Failure is { } failure) return failure;
        if (note && !channel.Value!.IsSupport) return Failure.Invalid("channel_id", "Only support chats have notes.");

        var key = (channelId!, userId, note);
        if (!_typing.TryGetValue(key, out var typist))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var user = (await db.SummariesAsync([userId], ct))[userId];
            // Whose chat, not where it stands: a typist outlives changes (a resolve, a reopen) that a
            // status taken now would contradict when it is sent again with "stopped".
            typist = _typing.GetOrAdd(key, new Typist(user, ChannelSnapshot.Whose(channel.Value!), note));
        }
        var now = clock.UtcNowMicros();
        lock (typist)
        {
            typist.Expiry?.Dispose();
            _typing[key] = typist; // back in, should its old timer have just run out
            var generation = ++typist.Generation;
            typist.Expiry = clock.CreateTimer(_ => _ = ExpireAsync(key, typist, generation), null, Lifetime, Timeout.InfiniteTimeSpan);
        }
        await log.PublishAsync(new ChatEvent(ChatEventTypes.TypingStarted, channelId!, null, now, typist.Channel,
            new Typing(typist.User, now + Lifetime, note), ReachOf(typist)), ct);
        return true;
    }

    /// <summary>
    /// The viewer stopped typing (sent, or cleared the composer): a reply, a note, or (<paramref name="note"/> null) either.
    /// Stopping when not typing does nothing.
    /// </summary>
    public async Task<Outcome<bool>> StopAsync(Actor actor, string? channelId, bool? note = null, CancellationToken ct = default)
    {
        if (actor.UserId is not { } userId || channelId is null) return false;
        var stopped = false;
        foreach (var kind in note is { } only ? [only] : new[] { false, true })
        {
            if (!_typing.TryRemove((channelId, userId, kind), out var typist)) continue;
            lock (typist) typist.Expiry?.Dispose();
            await PublishStoppedAsync(channelId, typist, ct);
            stopped = true;
        }
        return stopped;
    }

    private async Task ExpireAsync((string ChannelId, string UserId, bool Note) key, Typist typist, int generation)
    {
        // Only the latest start may end it: a renewal that raced this timer wins.
        lock (typist)
        {
            if (typist.Generation != generation || !_typing.TryRemove(KeyValuePair.Create(key, typist))) return;
        }
        try
        {
            await PublishStoppedAsync(key.ChannelId, typist, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogExpiryFailed(e, key.ChannelId);
        }
    }

    private Task PublishStoppedAsync(string channelId, Typist typist, CancellationToken ct) =>
        log.PublishAsync(new ChatEvent(ChatEventTypes.TypingStopped, channelId, null, clock.UtcNowMicros(), typist.Channel,
            new Typing(typist.User, null, typist.Note), ReachOf(typist)), ct);

    // A note is the team's: the customer is never told someone writes one.
    private static EventReach ReachOf(Typist typist) => typist.Note ? EventReach.Team : EventReach.Everyone;

    [LoggerMessage(LogLevel.Warning, "Could not announce that typing stopped in {ChannelId}")]
    private partial void LogExpiryFailed(Exception exception, string channelId);
}
