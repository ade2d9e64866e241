using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Support.Labels;

/// <summary>
/// A company's labels and the labels on its support chats. Admins (and API keys) keep the company's labels;
/// the whole team puts them on chats and takes them off. Every change to a chat's labels is one
/// <see cref="ConversationWrite"/>: the chat's label rows, an event for the team, a system note only the team
/// sees ("Nora added billing.") and an audit entry. A deleted label leaves every chat, each with its own change.
/// </summary>
public sealed partial class Labels(
    IDbContextFactory<InboxDbContext> contexts,
    ConversationWrites writes,
    InboxRights rights,
    LabelChanges changes,
    TimeProvider clock,
    ILogger<Labels> logger)
{
    /// <summary>The most labels one chat carries.</summary>
    public const int MaxPerChat = 20;

    /// <summary>The most labels a company keeps: a menu, not a taxonomy.</summary>
    public const int MaxPerCompany = 200;

    private static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (or its API keys) manage its labels.");

    /// <summary>Whether the actor may create, rename, recolour and delete the company's labels.</summary>
    public Task<bool> CanManageAsync(Actor actor, string companyId, CancellationToken ct = default) =>
        rights.CanAsync(actor, InboxAction.ManageLabels, companyId, ct);

    /// <summary>The company's labels, by name: for its team.</summary>
    public async Task<Outcome<IReadOnlyList<Label>>> ListAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.Forbidden("Only the company's team sees its labels.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var labels = await db.Labels.AsNoTracking().Where(l => l.CompanyId == companyId).ToListAsync(ct);
        return labels.OrderBy(l => l.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    /// <summary>How many chats carry the label: what deleting it takes it from (one count over the label's index), for its admins.</summary>
    public async Task<Outcome<int>> CountChatsAsync(Actor actor, string labelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var companyId = await db.Labels.Where(l => l.Id == labelId).Select(l => l.CompanyId).SingleOrDefaultAsync(ct);
        if (companyId is null || !await rights.CanAsync(actor, InboxAction.ListInbox, companyId, ct)) return Failure.NotFound($"No label {labelId}.");
        if (!await CanManageAsync(actor, companyId, ct)) return NotAllowed;
        return await db.ChatLabels.CountAsync(cl => cl.LabelId == labelId, ct);
    }

    public async Task<Outcome<Label>> CreateAsync(Actor actor, string companyId, string? name, string? color, CancellationToken ct = default)
    {
        if (!await CanManageAsync(actor, companyId, ct)) return NotAllowed;
        var checkedName = Label.CheckName(name);
        if (checkedName.Failure is { } badName) return badName;
        var checkedColor = Label.CheckColor(color);
        if (checkedColor.Failure is { } badColor) return badColor;

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct)) return Failure.NotFound($"No company {companyId}.");
        if (await db.Labels.CountAsync(l => l.CompanyId == companyId, ct) >= MaxPerCompany)
            return Failure.Rejected($"A company keeps at most {MaxPerCompany} labels; delete one first.", "name");
        if (await NameTakenAsync(db, companyId, checkedName.Value!, exceptId: null, ct) is { } taken) return taken;

        var at = clock.UtcNowMicros();
        var label = new Label(companyId, checkedName.Value!, checkedColor.Value!, at);
        db.Labels.Add(label);
        db.Record(actor, AuditActions.LabelCreated, companyId, at, detail: label.Name);
        if (!await SavedAsync(db, ct)) return Duplicate(label.Name);
        changes.Changed(companyId);
        return label;
    }

    /// <summary>Renames or recolours a label (each optional); every chat carrying it shows the change.</summary>
    public async Task<Outcome<Label>> UpdateAsync(Actor actor, string labelId, Optional<string?> name, Optional<string?> color,
        CancellationToken ct = default)
    {
        if (!name.IsPresent && !color.IsPresent) return Failure.Invalid("name", "Give name, color or both.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var label = await db.Labels.SingleOrDefaultAsync(l => l.Id == labelId, ct);
        if (label is null || !await rights.CanAsync(actor, InboxAction.ListInbox, label.CompanyId, ct)) return Failure.NotFound($"No label {labelId}.");
        if (!await CanManageAsync(actor, label.CompanyId, ct)) return NotAllowed;

        string? newName = null, newColor = null;
        if (name.IsPresent)
        {
            var checkedName = Label.CheckName(name.Value);
            if (checkedName.Failure is { } badName) return badName;
            newName = checkedName.Value!;
            if (await NameTakenAsync(db, label.CompanyId, newName, label.Id, ct) is { } taken) return taken;
        }
        if (color.IsPresent)
        {
            var checkedColor = Label.CheckColor(color.Value);
            if (checkedColor.Failure is { } badColor) return badColor;
            newColor = checkedColor.Value!;
        }
        if ((newName is null || newName == label.Name) && (newColor is null || newColor == label.Color)) return label;

        var before = label.Name;
        if (newName is not null) label.Rename(newName);
        if (newColor is not null) label.Recolor(newColor);
        db.Record(actor, AuditActions.LabelChanged, label.CompanyId, clock.UtcNowMicros(),
            detail: before == label.Name ? $"{label.Name}: {label.Color}" : $"{before} → {label.Name}, {label.Color}");
        if (!await SavedAsync(db, ct)) return Duplicate(label.Name);
        changes.Changed(label.CompanyId);
        return label;
    }

    /// <summary>
    /// Deletes a label: it goes from the company's list at once, then leaves each chat that carried it, one
    /// change per chat (its event, so every open inbox row drops the chip, and its note).
    /// </summary>
    public async Task<Outcome<Label>> DeleteAsync(Actor actor, string labelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var label = await db.Labels.SingleOrDefaultAsync(l => l.Id == labelId, ct);
        if (label is null || !await rights.CanAsync(actor, InboxAction.ListInbox, label.CompanyId, ct)) return Failure.NotFound($"No label {labelId}.");
        if (!await CanManageAsync(actor, label.CompanyId, ct)) return NotAllowed;

        var chats = await db.ChatLabels.AsNoTracking().Where(cl => cl.LabelId == labelId).Select(cl => cl.ChannelId).ToListAsync(ct);
        db.Labels.Remove(label);
        db.Record(actor, AuditActions.LabelDeleted, label.CompanyId, clock.UtcNowMicros(), detail: label.Name);
        // The chats' label rows go with it (a cascade); their kept lists and their pages follow, chat by chat.
        await db.SaveChangesAsync(ct);
        changes.Changed(label.CompanyId);

        var gone = label.View;
        foreach (var chatId in chats)
        {
            await using var write = await writes.BeginAsync(actor, chatId, ct);
            if (!write.Channel.LabelIds.Contains(labelId)) continue;
            var rest = await LabelsOfAsync(write, write.Channel.LabelIds.Where(id => id != labelId), ct);
            await ChangeAsync(write, rest, ct, deleted: gone);
            await write.CommitAsync(ct);
        }
        if (chats.Count > 0) LogDeleted(label.Name, chats.Count, label.CompanyId);
        return label;
    }

    /// <summary>Gives the chat exactly these labels (the PATCH's <c>label_ids</c>): one change.</summary>
    public Task<Outcome<SupportChatView>> SetAsync(Actor actor, string chatId, IReadOnlyList<string> labelIds, CancellationToken ct = default) =>
        ChangeAsync(actor, chatId, labelIds, (_, wanted) => wanted, ct);

    /// <summary>Adds these labels to the chat, keeping the ones it has (a bulk <em>label</em>): one change.</summary>
    public Task<Outcome<SupportChatView>> AddAsync(Actor actor, string chatId, IReadOnlyList<string> labelIds, CancellationToken ct = default) =>
        ChangeAsync(actor, chatId, labelIds, (current, wanted) => [.. current, .. wanted], ct);

    /// <summary>Takes these labels off the chat, keeping the others (a bulk <em>unlabel</em>): one change.</summary>
    public Task<Outcome<SupportChatView>> RemoveAsync(Actor actor, string chatId, IReadOnlyList<string> labelIds, CancellationToken ct = default) =>
        ChangeAsync(actor, chatId, labelIds, (current, wanted) => [.. current.Where(l => !wanted.Any(w => w.Id == l.Id))], ct);

    private async Task<Outcome<SupportChatView>> ChangeAsync(Actor actor, string chatId, IReadOnlyList<string> labelIds,
        Func<IReadOnlyList<Label>, IReadOnlyList<Label>, IReadOnlyList<Label>> target, CancellationToken ct)
    {
        var begun = await writes.BeginAsync(actor, chatId, c => c.IsSupport ? InboxAction.LabelSupportChat : ChannelAccess.ReadActionFor(c), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        if (!write.Channel.IsSupport) return Failure.Rejected("Only support chats have labels; this is a DM.", "label_ids");
        var wanted = await ResolveAsync(write, labelIds, ct);
        if (wanted.Failure is { } unusable) return unusable;
        var current = await LabelsOfAsync(write, write.Channel.LabelIds, ct);
        var after = target(current, wanted.Value!);
        if (after.DistinctBy(l => l.Id).Count() > MaxPerChat)
            return Failure.Rejected($"A chat carries at most {MaxPerChat} labels.", "label_ids");
        if (await ChangeAsync(write, after, ct)) await write.CommitAsync(ct);
        return (await SupportChats.ViewsAsync(write.Db, actor, [write.Channel], _ => true, ct))[0];
    }

    /// <summary>
    /// The labels <paramref name="labelIds"/> name, each of the chat's company; a failure naming the first that is
    /// not (<c>label_ids[i]</c>). Read in the change's transaction.
    /// </summary>
    internal static async Task<Outcome<IReadOnlyList<Label>>> ResolveAsync(ConversationWrite write, IReadOnlyList<string?> labelIds,
        CancellationToken ct)
    {
        if (labelIds.Count > MaxPerChat) return Failure.Rejected($"A chat carries at most {MaxPerChat} labels.", "label_ids");
        var ids = labelIds.OfType<string>().Distinct().ToList();
        var companyId = write.Channel.CompanyId;
        var found = await write.Db.Labels.AsNoTracking().Where(l => l.CompanyId == companyId && ids.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        for (var i = 0; i < labelIds.Count; i++)
        {
            if (labelIds[i] is not { } id || !found.ContainsKey(id))
                return Failure.Rejected($"label_ids[{i}] must be a label of this chat's company; {labelIds[i] ?? "null"} is not.", $"label_ids[{i}]");
        }
        return ids.Select(id => found[id]).ToList();
    }

    /// <summary>
    /// Inside a change: the chat's labels become <paramref name="after"/>. Writes its rows, the event, the team's
    /// note and the audit entry; false (and nothing written) when they are the labels it has.
    /// <paramref name="deleted"/>: the label being deleted, which the note names as such.
    /// </summary>
    internal static async Task<bool> ChangeAsync(ConversationWrite write, IReadOnlyList<Label> after, CancellationToken ct, LabelView? deleted = null)
    {
        var chat = write.Channel;
        var beforeIds = chat.LabelIds;
        var afterIds = after.Select(l => l.Id).Distinct().ToList();
        var added = after.Where(l => !beforeIds.Contains(l.Id)).DistinctBy(l => l.Id).Select(l => l.View).ToList();
        var removedIds = beforeIds.Where(id => !afterIds.Contains(id)).ToList();
        if (added.Count == 0 && removedIds.Count == 0) return false;

        var removed = (await LabelsOfAsync(write, removedIds, ct)).Select(l => l.View).ToList();
        if (deleted is not null && removedIds.Contains(deleted.Id)) removed.Add(deleted);
        if (removedIds.Count > 0)
            await write.Db.ChatLabels.Where(cl => cl.ChannelId == chat.Id && removedIds.Contains(cl.LabelId)).ExecuteDeleteAsync(ct);
        foreach (var label in added) write.Db.ChatLabels.Add(new ChatLabel(chat.Id, label.Id, write.At));
        chat.Label(afterIds);

        var by = await write.ByAsync(ct);
        var labels = after.DistinctBy(l => l.Id).Select(l => l.View).OrderBy(l => l.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        write.Announce(ChatEventTypes.SupportChatLabeled, new SupportChatLabeled(added, removed, labels, by.Id), EventReach.Team);
        await write.NoteAsync(NoteFor(by.Name, added, removed, deleted), ct, MessageVisibility.Team);
        write.Audit(AuditActions.SupportChatLabeled, detail: string.Join(", ",
            added.Select(l => "+" + l.Name).Concat(removed.Select(l => "-" + l.Name))));
        return true;
    }

    /// <summary>"Nora added billing and refunds.", "Nora removed access.", "Nora added billing and removed access.", "Nora deleted the label billing."</summary>
    internal static string NoteFor(string by, IReadOnlyList<LabelView> added, IReadOnlyList<LabelView> removed, LabelView? deleted = null)
    {
        if (deleted is not null && added.Count == 0 && removed.Count == 1) return $"{by} deleted the label {deleted.Name}.";
        var parts = new List<string>();
        if (added.Count > 0) parts.Add($"added {Names(added)}");
        if (removed.Count > 0) parts.Add($"removed {Names(removed)}");
        return $"{by} {string.Join(" and ", parts)}.";

        static string Names(IReadOnlyList<LabelView> labels) => labels.Count == 1
            ? labels[0].Name
            : $"{string.Join(", ", labels.Take(labels.Count - 1).Select(l => l.Name))} and {labels[^1].Name}";
    }

    private static async Task<IReadOnlyList<Label>> LabelsOfAsync(ConversationWrite write, IEnumerable<string> ids, CancellationToken ct)
    {
        var wanted = ids.ToList();
        return wanted.Count == 0 ? [] : await write.Db.Labels.AsNoTracking().Where(l => wanted.Contains(l.Id)).ToListAsync(ct);
    }

    private static async Task<Failure?> NameTakenAsync(InboxDbContext db, string companyId, string name, string? exceptId, CancellationToken ct)
    {
        var normalized = Label.Normalize(name);
        return await db.Labels.AnyAsync(l => l.CompanyId == companyId && l.NormalizedName == normalized && l.Id != exceptId, ct)
            ? Duplicate(name)
            : null;
    }

    private static Failure Duplicate(string name) => Failure.Rejected($"There is already a label named {name}.", "name");

    /// <summary>Saves; false when the unique name index refused it (a label of the same name made a moment ago).</summary>
    private static async Task<bool> SavedAsync(InboxDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Deleted the label {Name} of {CompanyId}; it left {Count} chats")]
    private partial void LogDeleted(string name, int count, string companyId);
}
