using Whop.Inbox.Common;
using Whop.Inbox.Support.Snooze;

namespace Whop.Inbox.Support.Bulk;

/// <summary>One chat a bulk change did not change: whose it is, and why not.</summary>
public sealed record BulkMiss(string ChatId, string CustomerName, string Reason);

/// <summary>
/// What the inbox says after a bulk change: how many of the chats changed, and each one that did not,
/// by its customer's name, with the reason (another agent resolved it meanwhile). Or, when the request was
/// refused as a whole, why.
/// </summary>
public sealed record BulkReport(string Summary, int Done, IReadOnlyList<BulkMiss> Misses)
{
    public bool AllDone => Misses.Count == 0 && Done > 0;

    /// <summary>The results, named from the rows as they were when the change began (a row may have left the list since).</summary>
    public static BulkReport Of(BulkAction action, IReadOnlyList<BulkItemResult> results, IReadOnlyList<SupportChatView> chats)
    {
        var names = chats.ToDictionary(c => c.Id, c => c.Customer.Name, StringComparer.Ordinal);
        var misses = results.Where(r => !r.Succeeded)
            .Select(r => new BulkMiss(r.ChatId, names.GetValueOrDefault(r.ChatId, r.ChatId), Reason(r.Failure!)))
            .ToList();
        var done = results.Count - misses.Count;
        var verb = action switch
        {
            BulkAction.Assign { AssigneeId: null } => "Unassigned",
            BulkAction.Assign => "Assigned",
            BulkAction.Resolve => "Resolved",
            BulkAction.Reopen => "Reopened",
            BulkAction.Label { LabelIds.Count: 1 } => "Added the label to",
            BulkAction.Label => "Added the labels to",
            BulkAction.Unlabel { LabelIds.Count: 1 } => "Removed the label from",
            BulkAction.Unlabel => "Removed the labels from",
            BulkAction.Snooze { Request: SnoozeRequest.WakeNow } => "Woke",
            BulkAction.Snooze => "Snoozed",
            _ => "Changed",
        };
        var chatsWord = results.Count == 1 ? "chat" : "chats";
        var summary = misses.Count == 0 ? $"{verb} {done} {chatsWord}." : $"{verb} {done} of {results.Count} {chatsWord}. Not changed:";
        return new BulkReport(summary, done, misses);
    }

    /// <summary>The whole request refused (nothing changed).</summary>
    public static BulkReport Refused(Failure failure) => new($"Nothing changed: {failure.Message}", 0, []);

    private static string Reason(Failure failure) => failure.Kind switch
    {
        FailureKind.NotFound => "You can no longer see this chat.",
        FailureKind.Forbidden => "You may not do this to this chat.",
        _ => failure.Message,
    };
}
