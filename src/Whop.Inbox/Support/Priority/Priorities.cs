using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Support.Priority;

/// <summary>
/// A support chat's priority, set by the team (the header, the row's menu, the keys 1–4 and 0). Each change is
/// one <see cref="ConversationWrite"/>: the chat, an event for the team, a note only the team sees and an audit entry.
/// </summary>
public sealed class Priorities(ConversationWrites writes)
{
    public async Task<Outcome<SupportChatView>> SetAsync(Actor actor, string chatId, ChatPriority priority, CancellationToken ct = default)
    {
        var begun = await writes.BeginAsync(actor, chatId, c => c.IsSupport ? InboxAction.PrioritizeSupportChat : ChannelAccess.ReadActionFor(c), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        if (!write.Channel.IsSupport) return Failure.Rejected("Only support chats have a priority; this is a DM.", "priority");
        if (await ChangeAsync(write, priority, ct)) await write.CommitAsync(ct);
        return (await SupportChats.ViewsAsync(write.Db, actor, [write.Channel], _ => true, ct))[0];
    }

    /// <summary>Inside a change: the chat's priority becomes <paramref name="priority"/>; false (nothing written) when it is already.</summary>
    internal static async Task<bool> ChangeAsync(ConversationWrite write, ChatPriority priority, CancellationToken ct)
    {
        var chat = write.Channel;
        var before = chat.Priority;
        if (before == priority) return false;
        chat.Prioritize(priority);
        var by = await write.ByAsync(ct);
        write.Announce(ChatEventTypes.SupportChatPrioritized, new SupportChatPrioritized(before, priority, by.Id), EventReach.Team);
        await write.NoteAsync(priority == ChatPriority.None
            ? $"{by.Name} removed the priority."
            : $"{by.Name} set the priority to {priority.Describe().ToLowerInvariant()}.", ct, MessageVisibility.Team);
        write.Audit(AuditActions.SupportChatPrioritized, detail: $"{before.WireName()} → {priority.WireName()}");
        return true;
    }
}
