using Whop.Inbox.Common;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Identity.Rights;

/// <summary>What the caller may do in one conversation, as the rights table answers it.</summary>
public sealed record ChannelAbilities(
    bool Read,
    bool Write,
    bool Moderate,
    bool Resolve,
    bool Reopen,
    bool Rename,
    bool ManageMembers,
    bool Leave)
{
    public static ChannelAbilities None { get; } = new(false, false, false, false, false, false, false, false);

    /// <summary>Internal notes only the team sees (support chats, team members): the composer's Note mode.</summary>
    public bool Note { get; init; }

    /// <summary>Snoozing the support chat and waking it (the header's Snooze menu, the key <c>z</c>).</summary>
    public bool Snooze { get; init; }

    /// <summary>The answers for a caller whose standing towards <paramref name="channel"/> is known.</summary>
    public static ChannelAbilities From(Actor actor, Channel channel, Standing standing)
    {
        bool Can(InboxAction action) => InboxRights.Allows(actor, action, standing);
        return new ChannelAbilities(
            Read: Can(ChannelAccess.ReadActionFor(channel)),
            Write: Can(ChannelAccess.WriteActionFor(channel, actor)),
            Moderate: Can(ChannelAccess.ModerateActionFor(channel)),
            Resolve: channel.IsSupport && Can(InboxAction.ResolveSupportChat),
            Reopen: channel.IsSupport && Can(InboxAction.ReopenSupportChat),
            Rename: channel.IsDm && Can(InboxAction.RenameOrDeleteDm),
            ManageMembers: channel.IsDm && Can(InboxAction.ManageDmMembers),
            Leave: channel.IsDm && standing.HasFlag(Standing.DmMember))
        {
            Note = channel.IsSupport && Can(InboxAction.WriteNote),
            Snooze = channel.IsSupport && Can(InboxAction.SnoozeSupportChat),
        };
    }
}

/// <summary>
/// "What may I do here?": one question per conversation, answered from the rights table. Pages ask
/// it instead of reading standings themselves; the server checks every action again anyway.
/// </summary>
public sealed class ChannelCapabilities(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, ChannelAccess access)
{
    /// <summary>
    /// The question as the API asks it (<c>GET /api/v1/channels/{id}/capabilities</c>): not found when
    /// the caller may not read the conversation, as every other call answers.
    /// </summary>
    public async Task<Outcome<ChannelAbilities>> AskAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        var channel = await access.ReadableAsync(actor, channelId, ct);
        if (channel.Failure is { } failure) return failure;
        return await ForAsync(actor, channel.Value!, ct);
    }

    public async Task<ChannelAbilities> ForAsync(Actor actor, string? channelId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(channelId) || !actor.IsAuthenticated) return ChannelAbilities.None;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var channel = await db.Channels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId, ct);
        return channel is null ? ChannelAbilities.None : await ForAsync(actor, channel, ct);
    }

    public async Task<ChannelAbilities> ForAsync(Actor actor, Channel channel, CancellationToken ct = default) =>
        ChannelAbilities.From(actor, channel, await rights.ChannelStandingAsync(actor, channel, ct));
}
