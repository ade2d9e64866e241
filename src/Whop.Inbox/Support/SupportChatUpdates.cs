using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;
using Whop.Inbox.Support.Snooze;

namespace Whop.Inbox.Support;

/// <summary>
/// What a <c>PATCH /support_channels/{id}</c> changes: each field absent (left as it is) or present. A new
/// field of the chat the team sets goes here, in <see cref="SupportChatUpdates.UpdateAsync"/> and in the API's request.
/// </summary>
public sealed record SupportChatUpdate(
    Optional<string?> AssigneeId = default,
    Optional<IReadOnlyList<string?>> LabelIds = default,
    Optional<ChatPriority> Priority = default,
    SnoozeRequest? Snooze = null)
{
    public bool IsEmpty => !AssigneeId.IsPresent && !LabelIds.IsPresent && !Priority.IsPresent && Snooze is null;
}

/// <summary>
/// Applies a <see cref="SupportChatUpdate"/> as ONE change to the chat: one lock, one transaction. Every field is
/// checked (the rights for it, then its value) before anything is written, so a bad one changes nothing; each
/// field that changes writes its own event, team note and audit entry, as when it is set alone.
/// </summary>
public sealed class SupportChatUpdates(ConversationWrites writes, Snoozes snoozes)
{
    public async Task<Outcome<SupportChatView>> UpdateAsync(Actor actor, string chatId, SupportChatUpdate update, CancellationToken ct = default)
    {
        if (update.IsEmpty) return Failure.Invalid("assignee_id", "Give at least one of assignee_id, label_ids, priority, snooze.");
        if (update.Snooze is { } asked && snoozes.Check(asked) is { } badTime) return badTime;
        var actions = ActionsFor(update);
        var begun = await writes.BeginAsync(actor, chatId, c => c.IsSupport ? actions[0] : ChannelAccess.ReadActionFor(c), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        if (!write.Channel.IsSupport)
            return Failure.Rejected("Only support chats have an assignee, labels, a priority and a snooze; this is a DM.", FirstField(update));
        foreach (var action in actions.Skip(1))
        {
            if (await write.CheckAsync(_ => action, ct) is { } notThis) return notThis;
        }

        // Every value first: nothing is written unless all of them will do.
        var assignee = update.AssigneeId.IsPresent ? await Assignments.AssigneeAsync(write, update.AssigneeId.Value, ct) : default;
        if (assignee.Failure is { } badAssignee) return badAssignee;
        var labels = update.LabelIds.IsPresent ? await Labels.Labels.ResolveAsync(write, update.LabelIds.Value ?? [], ct) : default;
        if (labels.Failure is { } badLabels) return badLabels;

        var changed = false;
        if (update.AssigneeId.IsPresent) changed |= await Assignments.ReassignAsync(write, assignee.Value, ct);
        if (update.LabelIds.IsPresent) changed |= await Labels.Labels.ChangeAsync(write, labels.Value!, ct);
        if (update.Priority.IsPresent) changed |= await Priorities.ChangeAsync(write, update.Priority.Value, ct);
        // Last, as it may still refuse (a resolved chat): nothing above is committed then.
        if (update.Snooze is { } snooze && await snoozes.ApplyAsync(write, snooze, ct) is { } notSnoozed) return notSnoozed;
        if (changed || update.Snooze is not null) await write.CommitAsync(ct);
        return (await SupportChats.ViewsAsync(write.Db, actor, [write.Channel], _ => true, ct))[0];
    }

    private static string FirstField(SupportChatUpdate update) =>
        update.AssigneeId.IsPresent ? "assignee_id" : update.LabelIds.IsPresent ? "label_ids"
        : update.Priority.IsPresent ? "priority" : Snoozes.Field;

    /// <summary>The rights the update needs, one per field present, in the order the fields apply.</summary>
    private static List<InboxAction> ActionsFor(SupportChatUpdate update)
    {
        var actions = new List<InboxAction>();
        if (update.AssigneeId.IsPresent) actions.Add(InboxAction.AssignSupportChat);
        if (update.LabelIds.IsPresent) actions.Add(InboxAction.LabelSupportChat);
        if (update.Priority.IsPresent) actions.Add(InboxAction.PrioritizeSupportChat);
        if (update.Snooze is not null) actions.Add(InboxAction.SnoozeSupportChat);
        return actions;
    }
}
