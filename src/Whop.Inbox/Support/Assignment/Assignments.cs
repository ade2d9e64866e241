using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Team;

namespace Whop.Inbox.Support.Assignment;

/// <summary>
/// Who has a support chat: assigning by hand (the API, the conversation header, the key <c>a</c>),
/// automatically (<see cref="AssignNextAsync"/>, when the company turned it on), and unassigning someone
/// who leaves the team. Every change is one <see cref="ConversationWrite"/>: the chat, its tallies, an event
/// and a system note that only the team sees, and an audit entry.
/// </summary>
public sealed partial class Assignments(
    IDbContextFactory<InboxDbContext> contexts,
    ConversationWrites writes,
    InboxRights rights,
    Presence presence,
    ILogger<Assignments> logger)
{
    /// <summary>
    /// Gives the chat to <paramref name="assigneeId"/> (a member of its company's team), or to nobody (null).
    /// A DM has no assignee (422); a chat the caller cannot see is not found. Already so: the chat as it is,
    /// or, when <paramref name="already"/> asks (a bulk change), a conflict naming who has it.
    /// </summary>
    public async Task<Outcome<SupportChatView>> AssignAsync(Actor actor, string chatId, string? assigneeId, CancellationToken ct = default,
        IfAlready already = IfAlready.Succeed)
    {
        // A DM is refused for what it is, not for rights nobody has there.
        var begun = await writes.BeginAsync(actor, chatId, c => c.IsSupport ? InboxAction.AssignSupportChat : ChannelAccess.ReadActionFor(c), ct);
        if (begun.Failure is { } refused) return refused;
        await using var write = begun.Value!;
        var chat = write.Channel;
        if (!chat.IsSupport) return Failure.Rejected("Only support chats have an assignee; this is a DM.", "assignee_id");

        var assignee = await AssigneeAsync(write, assigneeId, ct);
        if (assignee.Failure is { } unusable) return unusable;
        if (chat.AssigneeId == assignee.Value?.Id && already == IfAlready.Conflict)
            return Failure.Conflict(assignee.Value is null ? "Already unassigned." : $"Already assigned to {assignee.Value.Name}.");
        if (await ReassignAsync(write, assignee.Value, ct)) await write.CommitAsync(ct);
        return (await SupportChats.ViewsAsync(write.Db, actor, [chat], _ => true, ct))[0];
    }

    /// <summary>
    /// Inside a change: the team member <paramref name="assigneeId"/> names (null: nobody), or a failure naming
    /// <c>assignee_id</c> when they are not on the chat's company's team.
    /// </summary>
    internal static async Task<Outcome<UserSummary?>> AssigneeAsync(ConversationWrite write, string? assigneeId, CancellationToken ct)
    {
        if (assigneeId is null) return new Outcome<UserSummary?>(null, null);
        var assignee = await write.Db.TeamMembers.AsNoTracking()
            .Where(m => m.CompanyId == write.Channel.CompanyId && m.UserId == assigneeId)
            .Join(write.Db.Users, m => m.UserId, u => u.Id, (m, u) => new UserSummary(u.Id, u.Name, u.UserName!))
            .SingleOrDefaultAsync(ct);
        return assignee ?? (Outcome<UserSummary?>)Failure.Rejected($"assignee_id must be a member of this company's team; {assigneeId} is not.", "assignee_id");
    }

    /// <summary>Inside a change: gives the chat to <paramref name="assignee"/> by hand; false (nothing written) when they have it already.</summary>
    internal static async Task<bool> ReassignAsync(ConversationWrite write, UserSummary? assignee, CancellationToken ct)
    {
        if (write.Channel.AssigneeId == assignee?.Id) return false;
        await ChangeAsync(write, assignee, Because.Hand, ct);
        return true;
    }

    /// <summary>
    /// Automatic assignment, inside a change that opens or reopens a chat: when the company has it on and
    /// the chat has nobody who is here (no assignee, or one who is offline or off the team), it goes to the
    /// online team member who waited longest since their last automatic chat. Nobody online: it stays as it is.
    /// </summary>
    public async Task AssignNextAsync(ConversationWrite write, CancellationToken ct)
    {
        var chat = write.Channel;
        var db = write.Db;
        if (!await db.Companies.AnyAsync(c => c.Id == chat.CompanyId && c.AutoAssign, ct)) return;
        var online = presence.Online(db);
        if (chat.AssigneeId is { } current
            && await db.TeamMembers.AnyAsync(m => m.CompanyId == chat.CompanyId && m.UserId == current && online.Contains(m.UserId), ct))
            return;

        var next = await db.TeamMembers
            .Where(m => m.CompanyId == chat.CompanyId && online.Contains(m.UserId) && m.UserId != chat.CustomerId)
            .OrderBy(m => m.LastAutoAssignedAt == null ? 0 : 1).ThenBy(m => m.LastAutoAssignedAt).ThenBy(m => m.CreatedAt)
            .FirstOrDefaultAsync(ct);
        if (next is null) return;
        next.AutoAssigned(write.At);
        await ChangeAsync(write, await write.PersonAsync(next.UserId, ct), Because.Automatic, ct);
    }

    /// <summary>
    /// Someone left the company's team (removed, or no longer on it): each chat they had goes back to
    /// nobody, one change per chat, each with its event and note. Called after the removal committed.
    /// </summary>
    public async Task UnassignLeaverAsync(Actor actor, string companyId, string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var chats = await db.Channels.AsNoTracking()
            .Where(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.AssigneeId == userId)
            .Select(c => c.Id).ToListAsync(ct);
        foreach (var chatId in chats)
        {
            await using var write = await writes.BeginAsync(actor, chatId, ct);
            // Under the lock: assigned to someone else since.
            if (write.Channel.AssigneeId != userId) continue;
            await ChangeAsync(write, null, Because.LeftTheTeam, ct);
            await write.CommitAsync(ct);
        }
        if (chats.Count > 0) LogUnassigned(chats.Count, userId, companyId);
    }

    /// <summary>
    /// Null when chats of the company can be given to <paramref name="assigneeId"/> (a member of its team, or
    /// nobody); else why not, naming <c>assignee_id</c>: what a bulk change checks once, before any chat.
    /// </summary>
    public async Task<Failure?> CheckAssigneeAsync(string companyId, string? assigneeId, CancellationToken ct = default)
    {
        if (assigneeId is null) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.TeamMembers.AnyAsync(m => m.CompanyId == companyId && m.UserId == assigneeId, ct)
            ? null
            : Failure.Rejected($"assignee_id must be a member of this company's team; {assigneeId} is not.", "assignee_id");
    }

    /// <summary>Whether the actor may give chats of the company to people (the picker shows only then).</summary>
    public Task<bool> CanAssignAsync(Actor actor, string companyId, CancellationToken ct = default) =>
        rights.CanAsync(actor, InboxAction.AssignSupportChat, companyId, ct);

    /// <summary>
    /// Who chats of the company can be given to (its team), by name: what the conversation header's picker
    /// lists. Asked by those who may assign, so moderators see it too (the team list itself is the admins').
    /// </summary>
    public async Task<Outcome<IReadOnlyList<UserSummary>>> AssigneesAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await CanAssignAsync(actor, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var people = await db.TeamMembers.AsNoTracking()
            .Where(m => m.CompanyId == companyId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new UserSummary(u.Id, u.Name, u.UserName!))
            .ToListAsync(ct);
        return people.OrderBy(p => p.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    private enum Because { Hand, Automatic, LeftTheTeam }

    private static async Task ChangeAsync(ConversationWrite write, UserSummary? to, Because because, CancellationToken ct)
    {
        var chat = write.Channel;
        var before = chat.AssigneeId is { } id ? await write.PersonAsync(id, ct) : null;
        var by = await write.ByAsync(ct);
        chat.Assign(to?.Id);
        write.Announce(ChatEventTypes.SupportChatAssigned, new SupportChatAssigned(before, to, because == Because.Automatic ? null : by.Id),
            EventReach.Team);
        var text = (because, to) switch
        {
            (Because.Automatic, { } person) => $"This chat was assigned to {person.Name} automatically.",
            (Because.LeftTheTeam, _) => $"{before?.Name} left the team, so this chat is unassigned.",
            (_, null) => $"{by.Name} unassigned {before?.Name} from this chat.",
            (_, { } person) when person.Id == by.Id => $"{by.Name} took this chat.",
            (_, { } person) => $"{by.Name} assigned this chat to {person.Name}.",
        };
        await write.NoteAsync(text, ct, MessageVisibility.Team);
        write.Audit(AuditActions.SupportChatAssigned, to?.Id ?? before?.Id,
            because switch { Because.Automatic => "automatic", Because.LeftTheTeam => "left the team", _ => to is null ? "unassigned" : null });
    }

    [LoggerMessage(LogLevel.Information, "Unassigned {Count} chats of {UserId}, who left the team of {CompanyId}")]
    private partial void LogUnassigned(int count, string userId, string companyId);
}
