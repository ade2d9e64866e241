using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Support.Assignment;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.Bulk;

/// <summary>One chat's part of a bulk change: its id, and why it did not happen (null when it did).</summary>
public sealed record BulkItemResult(string ChatId, Failure? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Changing many support chats at once (the inbox's selection, <c>POST /support_channels/bulk</c>). Nothing
/// here is new power: each chat goes through its own service call, as if changed alone, with its own
/// lock, rights check, event, note, audit entry and kept counts, committed on its own. One chat refused
/// or already as asked (a colleague resolved it a moment ago) is reported and the others go on; a
/// request that is wrong as a whole (no chats, too many, the same chat twice, an assignee off the team)
/// is refused before any chat changes.
/// </summary>
public sealed partial class BulkActions(
    SupportChats chats,
    Assignments assignments,
    Labels.Labels labels,
    Snoozes snoozes,
    InboxRights rights,
    DefaultCompany defaultCompany,
    DatabaseStatus database,
    ILogger<BulkActions> logger)
{
    /// <summary>The most chats one bulk change names.</summary>
    public const int MaxChats = 100;

    /// <summary>
    /// Whether the actor may use bulk changes in the company's inbox: whoever may list it (its team).
    /// Which chats they may change is each chat's own question.
    /// </summary>
    public Task<bool> CanAsync(Actor actor, string companyId, CancellationToken ct = default) =>
        rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct);

    /// <summary>
    /// Applies <paramref name="action"/> to each chat in turn and reports each, in the order given. The
    /// company (whose inbox the chats are picked from) defaults to the credential's, or the default one.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<BulkItemResult>>> RunAsync(Actor actor, string? companyId, IReadOnlyList<string>? chatIds,
        BulkAction action, CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await CanAsync(actor, companyId, ct)) return Failure.Forbidden("Only the company's team can change its chats in bulk.");
        if (Check(chatIds) is { } invalid) return invalid;
        if (await CheckAsync(actor, action, companyId, ct) is { } refused) return refused;

        var results = new List<BulkItemResult>(chatIds!.Count);
        foreach (var chatId in chatIds)
        {
            results.Add(new BulkItemResult(chatId, await ApplyAsync(actor, chatId, action, ct)));
        }
        var done = results.Count(r => r.Succeeded);
        LogBulk(action.Name, done, results.Count - done, companyId);
        return results;
    }

    /// <summary>1 to <see cref="MaxChats"/> ids, none blank, none twice.</summary>
    private static Failure? Check(IReadOnlyList<string>? chatIds)
    {
        if (chatIds is null) return Failure.Invalid("ids", "ids is required: the support chats to change, 1 to 100.");
        if (chatIds.Count is 0 or > MaxChats)
            return Failure.Invalid("ids", $"ids must name 1 to {MaxChats} support chats; it names {chatIds.Count}.");
        if (chatIds.Any(string.IsNullOrWhiteSpace)) return Failure.Invalid("ids", "ids has an empty entry.");
        var twice = chatIds.GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? null : Failure.Invalid("ids", $"ids names {twice.Key} more than once.");
    }

    /// <summary>What can be known wrong with the action's fields before any chat: once for all of them.</summary>
    private async Task<Failure?> CheckAsync(Actor actor, BulkAction action, string companyId, CancellationToken ct) => action switch
    {
        BulkAction.Assign assign => await assignments.CheckAssigneeAsync(companyId, assign.AssigneeId, ct),
        BulkAction.Label label => await CheckLabelsAsync(actor, companyId, label.LabelIds, ct),
        BulkAction.Unlabel unlabel => await CheckLabelsAsync(actor, companyId, unlabel.LabelIds, ct),
        BulkAction.Snooze snooze => snoozes.Check(snooze.Request),
        _ => null,
    };

    /// <summary>1 or more labels, each the company's: <c>label_ids[i]</c> names the first that is not.</summary>
    private async Task<Failure?> CheckLabelsAsync(Actor actor, string companyId, IReadOnlyList<string> labelIds, CancellationToken ct)
    {
        if (labelIds.Count is 0 or > Labels.Labels.MaxPerChat)
            return Failure.Invalid("label_ids", $"label_ids must name 1 to {Labels.Labels.MaxPerChat} labels.");
        var known = await labels.ListAsync(actor, companyId, ct);
        if (known.Failure is { } refused) return refused;
        var ids = known.Value!.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var unknown = labelIds.Select((id, i) => (id, i)).FirstOrDefault(x => !ids.Contains(x.id));
        return unknown.id is null ? null
            : Failure.Rejected($"label_ids[{unknown.i}] must be a label of this company; {unknown.id} is not.", $"label_ids[{unknown.i}]");
    }

    /// <summary>One chat's change, through the same service call a change of that chat alone makes.</summary>
    private async Task<Failure?> ApplyAsync(Actor actor, string chatId, BulkAction action, CancellationToken ct)
    {
        try
        {
            var outcome = action switch
            {
                BulkAction.Assign assign => await assignments.AssignAsync(actor, chatId, assign.AssigneeId, ct, IfAlready.Conflict),
                BulkAction.Resolve => await chats.ResolveAsync(actor, chatId, ct, IfAlready.Conflict),
                BulkAction.Reopen => await chats.ReopenAsync(actor, chatId, ct, IfAlready.Conflict),
                BulkAction.Label label => await labels.AddAsync(actor, chatId, label.LabelIds, ct),
                BulkAction.Unlabel unlabel => await labels.RemoveAsync(actor, chatId, unlabel.LabelIds, ct),
                BulkAction.Snooze snooze => await snoozes.SnoozeAsync(actor, chatId, snooze.Request, ct),
                _ => throw new ArgumentOutOfRangeException(nameof(action), action, "No such bulk action."),
            };
            return outcome.Failure;
        }
        catch (Exception e) when (database.Report(e))
        {
            // Busy (a page's connection refused by the bound) or away: this chat did not change; the next may.
            return Failure.Unavailable(Data.DatabaseFaults.Busy(e)?.Message ?? "The database is not available right now; try again in a moment.");
        }
    }

    [LoggerMessage(LogLevel.Information, "Bulk {Action} in {CompanyId}: {Done} done, {NotDone} not")]
    private partial void LogBulk(string action, int done, int notDone, string companyId);
}
