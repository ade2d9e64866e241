using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// "… is typing": ephemeral events, never logged. A start lasts <see cref="Lifetime"/> unless
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

    private readonly ConcurrentDictionary<(string ChannelId, string UserId), Typist> _typing = new();

    private sealed class Typist(UserSummary user, ChannelSnapshot channel)
    {
        public UserSummary User { get; } = user;
        public ChannelSnapshot Channel { get; } = channel;
        public ITimer? Expiry { get; set; }
        public int Generation { get; set; }
    }

    /// <summary>The viewer is typing in the channel (they must be allowed to write there).</summary>
    public async Task<Outcome<bool>> StartAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        if (actor.UserId is not { } userId) return Failure.Rejected("Typing belongs to a person; an API key has none.");
        var channel = await access.ForAsync(actor, channelId, c => ChannelAccess.WriteActionFor(c, actor), ct);
        if (channel.Failure is { } failure) return failure;

        var key = (channelId!, userId);
        if (!_typing.TryGetValue(key, out var typist))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var user = (await db.SummariesAsync([userId], ct))[userId];
            // Whose chat, not where it stands: a typist outlives changes (a resolve, a reopen) that a
            // status taken now would contradict when it is sent again with "stopped".
            typist = _typing.GetOrAdd(key, new Typist(user, ChannelSnapshot.Whose(channel.Value!)));
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
            new Typing(typist.User, now + Lifetime)), ct);
        return true;
    }

    /// <summary>The viewer stopped typing (sent, or cleared the composer). Stopping when not typing does nothing.</summary>
    public async Task<Outcome<bool>> StopAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        if (actor.UserId is not { } userId || channelId is null) return false;
        if (!_typing.TryRemove((channelId, userId), out var typist)) return false;
        lock (typist) typist.Expiry?.Dispose();
        await PublishStoppedAsync(channelId, typist, ct);
        return true;
    }

    private async Task ExpireAsync((string ChannelId, string UserId) key, Typist typist, int generation)
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
            new Typing(typist.User, null)), ct);

    [LoggerMessage(LogLevel.Warning, "Could not announce that typing stopped in {ChannelId}")]
    private partial void LogExpiryFailed(Exception exception, string channelId);
}
