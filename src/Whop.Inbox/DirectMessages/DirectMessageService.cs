using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;
using Whop.Inbox.Messaging.Writes;
using Whop.Inbox.Team;

namespace Whop.Inbox.DirectMessages;

/// <summary>
/// A DM as its pages show it. <see cref="EventPosition"/> is the position of its last event the view
/// includes: of two views read at different moments, the higher position is the newer (<see cref="Newer"/>).
/// </summary>
public sealed record DmView(string Id, string? CompanyId, string? CustomName, string Name, DateTimeOffset CreatedAt,
    DateTimeOffset? LastMessageAt, DateTimeOffset LastActivityAt, int MemberCount, string? CreatedById, int UnreadCount, long EventPosition)
{
    /// <summary>The newer of two views of the same DM (a read that answers after a newer one is older); <paramref name="read"/> when they are of different DMs.</summary>
    public static DmView Newer(DmView? shown, DmView read) =>
        shown is not null && shown.Id == read.Id && shown.EventPosition > read.EventPosition ? shown : read;
}

public sealed record DmMemberView(string Id, string ChannelId, string UserId, MemberStatus Status, DateTimeOffset? LastViewedAt,
    NotificationPreference NotificationPreference, DateTimeOffset CreatedAt, UserSummary User);

/// <summary>
/// DMs and their members. 2 to 50 members; the same member set in the same company returns the
/// existing DM; the 50-member cap is checked under the conversation's lock and held by a CHECK
/// constraint, so two admins adding at the same instant can never make a 51-member DM.
/// </summary>
public sealed class DirectMessageService(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    ChannelAccess access,
    DefaultCompany defaultCompany,
    ConversationWrites writes)
{
    public async Task<Outcome<DmView>> CreateAsync(Actor actor, IReadOnlyList<string>? withUsers, string? companyId, string? customName,
        CancellationToken ct = default)
    {
        if (withUsers is null || withUsers.Count == 0) return Failure.Invalid("with_user_ids", "with_user_ids must name at least one user.");
        // Duplicates are allowed (they collapse below); this only bounds the work a request can ask for.
        if (withUsers.Count > 4 * Channel.MaxDmMembers)
            return Failure.Rejected($"A DM has at most {Channel.MaxDmMembers} members.", "with_user_ids");
        if (ValidateName(customName) is { } badName) return badName;
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await rights.CanAsync(actor, InboxAction.CreateDm, companyId, ct)) return Failure.Forbidden();

        await using var db = await contexts.CreateDbContextAsync(ct);
        var memberIds = new List<string>();
        if (actor.UserId is not null) memberIds.Add(actor.UserId);
        foreach (var reference in withUsers)
        {
            if (string.IsNullOrWhiteSpace(reference)) return Failure.Invalid("with_user_ids", "with_user_ids has an empty entry.");
            var user = await db.FindByReferenceForAsync(actor, companyId, reference, ct);
            if (user is null) return Failure.NotFound($"No user {reference}: give user ids, usernames or emails.");
            memberIds.Add(user.Id);
        }
        memberIds = memberIds.Distinct().Order(StringComparer.Ordinal).ToList();
        if (memberIds.Count < 2) return Failure.Rejected("A DM needs at least two different members.", "with_user_ids");
        if (memberIds.Count > Channel.MaxDmMembers)
            return Failure.Rejected($"A DM has at most {Channel.MaxDmMembers} members; this one would have {memberIds.Count}.", "with_user_ids");

        // Two identical creates at once must agree on one DM: they queue on a lock named after the member set.
        await using var write = await writes.BeginNewAsync(actor, $"dm:{companyId}:{string.Join(',', memberIds)}", ct);
        var count = memberIds.Count;
        var existing = await write.Db.Channels.AsNoTracking()
            .Where(c => c.Kind == ChannelKind.Dm && c.CompanyId == companyId && c.MemberCount == count
                && write.Db.ChannelMembers.Count(m => m.ChannelId == c.Id && memberIds.Contains(m.UserId)) == count)
            .OrderBy(c => c.CreatedAt)
            .FirstOrDefaultAsync(ct);
        // Read on the change's own connection: it holds one (and the lock) until it ends.
        if (existing is not null) return (await ViewsAsync(write.Db, actor, [existing], ct))[0];

        var dm = Channel.NewDm(companyId, actor.UserId, Blank(customName), write.At);
        write.Create(dm, memberIds.Select(id => dm.AddMember(id, write.At)).ToList());
        write.Announce(ChatEventTypes.DmCreated, new DmCreated(memberIds, actor.UserId));
        await write.CommitAsync(ct);
        return (await ViewsAsync(write.Db, actor, [dm], ct))[0];
    }

    /// <summary>The caller's DMs (an API key: all its company's DMs), most recently active first.</summary>
    public async Task<Outcome<Page<DmView>>> ListAsync(Actor actor, string? companyId, PageRequest page, CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        companyId ??= actor.CompanyId;
        if (actor.CompanyId is not null && companyId != actor.CompanyId) return Failure.Forbidden("This credential belongs to another company.");
        await using var db = await contexts.CreateDbContextAsync(ct);
        var dms = db.Channels.AsNoTracking().Where(c => c.Kind == ChannelKind.Dm);
        if (companyId is not null) dms = dms.Where(c => c.CompanyId == companyId);
        if (actor.UserId is { } me)
        {
            if (actor.Credential == Credential.AccessToken && !actor.Scopes.Contains(Scopes.DmsRead))
                return Failure.Forbidden("This token lacks the dms:read scope.");
            dms = dms.Where(c => db.ChannelMembers.Any(m => m.ChannelId == c.Id && m.UserId == me));
        }
        else if (actor.Credential != Credential.ApiKey)
        {
            return Failure.Forbidden();
        }
        var channels = await dms.PageAsync(c => c.LastActivityAt, c => c.Id, descending: true, page, ct);
        return new Page<DmView>(await ViewsAsync(db, actor, channels.Items, ct), channels.PageInfo);
    }

    public async Task<Outcome<DmView>> GetAsync(Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await DmForAsync(actor, channelId, InboxAction.ReadDm, ct);
        if (channel.Failure is { } failure) return failure;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await ViewsAsync(db, actor, [channel.Value!], ct))[0];
    }

    public async Task<Outcome<DmView>> RenameAsync(Actor actor, string channelId, string? customName, CancellationToken ct = default)
    {
        if (ValidateName(customName) is { } badName) return badName;
        var channel = await DmForAsync(actor, channelId, InboxAction.RenameOrDeleteDm, ct);
        if (channel.Failure is { } failure) return failure;

        await using var write = await writes.BeginAsync(actor, channelId, ct);
        var dm = write.Channel;
        var name = Blank(customName);
        if (name != dm.CustomName)
        {
            dm.Rename(name);
            var by = await write.ByAsync(ct);
            write.Announce(ChatEventTypes.DmRenamed, new DmRenamed(name, by.Id));
            await write.NoteAsync(name is null ? $"{by.Name} removed the conversation's name." : $"{by.Name} renamed the conversation to “{name}”.", ct);
            await write.CommitAsync(ct);
        }
        return (await ViewsAsync(write.Db, actor, [dm], ct))[0];
    }

    /// <summary>Deletes a DM with its messages, members and reactions. The audit trail keeps a record of it.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string channelId, CancellationToken ct = default)
    {
        var channel = await DmForAsync(actor, channelId, InboxAction.RenameOrDeleteDm, ct);
        if (channel.Failure is { } failure) return failure;
        await using var write = await writes.BeginAsync(actor, channelId, ct);
        write.Audit(AuditActions.DmDeleted, detail: write.Channel.CustomName);
        // Announced before the rows go: the members' lists (and open conversations) drop it.
        var members = await write.Db.ChannelMembers.Where(m => m.ChannelId == channelId).Select(m => m.UserId).ToListAsync(ct);
        write.AnnounceLast(ChatEventTypes.DmDeleted, new DmDeleted(members, actor.UserId));
        await write.FlushAsync(ct);
        // Replies inside the DM point at its own messages; clear them first so the cascade has no cycle to trip on.
        await write.Db.Messages.Where(m => m.ChannelId == channelId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ReplyingToMessageId, (string?)null), ct);
        await write.Db.Channels.Where(c => c.Id == channelId).ExecuteDeleteAsync(ct);
        await write.CommitAsync(ct);
        return true;
    }

    public async Task<Outcome<Page<DmMemberView>>> ListMembersAsync(Actor actor, string? channelId, PageRequest page, CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        var channel = await DmForAsync(actor, channelId, c => InboxAction.ReadDm, ct, alsoAllowed: InboxAction.ManageDmMembers);
        if (channel.Failure is { } failure) return failure;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var members = await db.ChannelMembers.AsNoTracking().Where(m => m.ChannelId == channelId)
            .PageAsync(m => m.CreatedAt, m => m.Id, descending: false, page, ct);
        var users = await db.SummariesAsync(members.Items.Select(m => m.UserId), ct);
        return members.Map(m => MemberView(m, users[m.UserId]));
    }

    public async Task<Outcome<DmMemberView>> AddMemberAsync(Actor actor, string? channelId, string? userReference, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(userReference)) return Failure.Invalid("user_id", "user_id is required.");
        var channel = await DmForAsync(actor, channelId, InboxAction.ManageDmMembers, ct);
        if (channel.Failure is { } failure) return failure;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = channel.Value!.CompanyId is { } dmCompany
            ? await db.FindByReferenceForAsync(actor, dmCompany, userReference, ct)
            : await db.FindByReferenceAsync(userReference, ct);
        if (user is null) return Failure.NotFound($"No user {userReference}.");
        await using var write = await writes.BeginAsync(actor, channelId!, ct);
        // Under the conversation's lock: of two admins adding the 50th and 51st member at once, the second finds no room.
        var existing = await write.Db.ChannelMembers.AsNoTracking().SingleOrDefaultAsync(m => m.ChannelId == channelId && m.UserId == user.Id, ct);
        if (existing is not null) return MemberView(existing, Summary(user));
        var dm = write.Channel;
        if (dm.MemberCount >= Channel.MaxDmMembers)
            return Failure.Rejected($"This DM already has {Channel.MaxDmMembers} members, the most a DM can have.", "user_id");

        var member = dm.AddMember(user.Id, write.At);
        write.Joined(member);
        var by = await write.ByAsync(ct);
        write.Announce(ChatEventTypes.MemberAdded, new MemberAdded(member.Id, Summary(user), by.Id));
        await write.NoteAsync($"{by.Name} added {user.Name}.", ct);
        write.Audit(AuditActions.DmMemberAdded, user.Id);
        await write.CommitAsync(ct);
        return MemberView(member, Summary(user));
    }

    public async Task<Outcome<DmMemberView>> GetMemberAsync(Actor actor, string memberId, CancellationToken ct = default)
    {
        var found = await MemberForAsync(actor, memberId, ct);
        if (found.Failure is { } failure) return failure;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var users = await db.SummariesAsync([found.Value.Member.UserId], ct);
        return MemberView(found.Value.Member, users[found.Value.Member.UserId]);
    }

    /// <summary>A member's own preferences (or, for those who manage the DM, anyone's).</summary>
    public async Task<Outcome<DmMemberView>> UpdateMemberAsync(Actor actor, string memberId, NotificationPreference? preference,
        MemberStatus? status, CancellationToken ct = default)
    {
        var found = await MemberForAsync(actor, memberId, ct);
        if (found.Failure is { } failure) return failure;
        var (member, channel) = found.Value;
        if (member.UserId != actor.UserId && !await rights.CanAsync(actor, InboxAction.ManageDmMembers, channel, ct))
            return Failure.Forbidden("Only the member themselves or the DM's admins can change this.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Attach(member);
        if (preference is { } p) member.SetNotificationPreference(p);
        if (status is { } s) member.SetStatus(s);
        await db.SaveChangesAsync(ct);
        var users = await db.SummariesAsync([member.UserId], ct);
        return MemberView(member, users[member.UserId]);
    }

    /// <summary>Removes a member: anyone may leave; the DM's admins may remove others.</summary>
    public async Task<Outcome<bool>> RemoveMemberAsync(Actor actor, string memberId, CancellationToken ct = default)
    {
        var found = await MemberForAsync(actor, memberId, ct);
        if (found.Failure is { } failure) return failure;
        var (member, channel) = found.Value;
        var leaving = member.UserId == actor.UserId;
        var action = leaving ? InboxAction.LeaveDm : InboxAction.ManageDmMembers;
        if (!await rights.CanAsync(actor, action, channel, ct)) return Failure.Forbidden("Only the DM's admins can remove other members.");

        await using var write = await writes.BeginAsync(actor, channel.Id, ct);
        if (await write.Db.ChannelMembers.Where(m => m.Id == memberId).ExecuteDeleteAsync(ct) == 0) return true;
        write.Channel.RemoveMember();
        var by = await write.ByAsync(ct);
        var name = (await write.PersonAsync(member.UserId, ct)).Name;
        write.Announce(ChatEventTypes.MemberRemoved, new MemberRemoved(member.Id, member.UserId, leaving, by.Id));
        await write.NoteAsync(leaving ? $"{name} left." : $"{by.Name} removed {name}.", ct);
        write.Audit(AuditActions.DmMemberRemoved, member.UserId, leaving ? "left" : null);
        await write.CommitAsync(ct);
        return true;
    }

    private async Task<Outcome<(ChannelMember Member, Channel Channel)>> MemberForAsync(Actor actor, string memberId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var member = await db.ChannelMembers.AsNoTracking().SingleOrDefaultAsync(m => m.Id == memberId, ct);
        if (member is null) return Failure.NotFound($"No DM member {memberId}.");
        var channel = await DmForAsync(actor, member.ChannelId, c => InboxAction.ReadDm, ct, alsoAllowed: InboxAction.ManageDmMembers);
        if (channel.Failure is not null) return Failure.NotFound($"No DM member {memberId}.");
        return (member, channel.Value!);
    }

    private Task<Outcome<Channel>> DmForAsync(Actor actor, string? channelId, InboxAction action, CancellationToken ct) =>
        DmForAsync(actor, channelId, _ => action, ct);

    private async Task<Outcome<Channel>> DmForAsync(Actor actor, string? channelId, Func<Channel, InboxAction> action, CancellationToken ct,
        InboxAction? alsoAllowed = null)
    {
        var channel = await access.ForAsync(actor, channelId, action, ct);
        if (channel.Failure is { Kind: FailureKind.Forbidden or FailureKind.NotFound } && alsoAllowed is { } other)
            channel = await access.ForAsync(actor, channelId, other, ct);
        // A support chat is no DM: "not found" here, whatever the caller's standing in it.
        if (channel.Failure is { Kind: FailureKind.Forbidden } && !await IsDmAsync(channelId!, ct)) return Failure.NotFound($"No DM {channelId}.");
        if (channel.Failure is { } failure) return failure;
        return channel.Value!.IsDm ? channel : Failure.NotFound($"No DM {channelId}.");
    }

    private async Task<bool> IsDmAsync(string channelId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Channels.AnyAsync(c => c.Id == channelId && c.Kind == ChannelKind.Dm, ct);
    }

    private static async Task<List<DmView>> ViewsAsync(InboxDbContext db, Actor actor, IReadOnlyList<Channel> dms, CancellationToken ct)
    {
        var ids = dms.Select(c => c.Id).ToList();
        var me = actor.UserId;
        var unread = await db.Channels.AsNoTracking().Where(c => ids.Contains(c.Id)).WithFactsFor(db, me)
            .Select(x => new { x.Channel.Id, x.Unread }).ToDictionaryAsync(x => x.Id, x => x.Unread, ct);
        var firstOthers = await DmTitles.FirstOthersAsync(db, ids, me, ct);
        return dms.Select(c =>
        {
            var derived = DmTitles.Title(firstOthers[c.Id].ToList(), c.MemberCount - (me is null ? 0 : 1));
            return new DmView(c.Id, c.CompanyId, c.CustomName, c.CustomName ?? derived, c.CreatedAt, c.LastMessageAt, c.LastActivityAt, c.MemberCount,
                c.CreatedById, unread.GetValueOrDefault(c.Id), c.EventPosition);
        }).ToList();
    }

    private static DmMemberView MemberView(ChannelMember m, UserSummary user) =>
        new(m.Id, m.ChannelId, m.UserId, m.Status, m.LastViewedAt, m.NotificationPreference, m.CreatedAt, user);

    private static UserSummary Summary(User u) => new(u.Id, u.Name, u.UserName!);

    private static Failure? ValidateName(string? name) =>
        name?.Trim().Length > Channel.MaxCustomNameLength
            ? Failure.Invalid("custom_name", $"custom_name can be at most {Channel.MaxCustomNameLength} characters.")
            : StoredText.Check("custom_name", name);

    private static string? Blank(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
}
