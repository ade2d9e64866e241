using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;
using Whop.Inbox.Team;

namespace Whop.Inbox.Audit;

/// <summary>
/// Which entries to show. Each is optional: <paramref name="Chat"/> a chat id (<c>feed_…</c>),
/// <paramref name="Actor"/> who did it (a user id, username or email, or an API key id <c>key_…</c>),
/// <paramref name="Action"/> one of <see cref="AuditActions"/>.
/// </summary>
public sealed record AuditFilter(string? Chat = null, string? Actor = null, string? Action = null);

/// <summary>Who did it: a person (perhaps through an API key's access token), or an API key itself.</summary>
public sealed record AuditActorView(UserSummary? User, string? ApiKeyId, string? ApiKeyName)
{
    public string? ApiKeyLabel => ApiKeyId is null ? null
        : ApiKeyId == ApiKeyDirectory.BootstrapKeyId ? "Bootstrap API key"
        : ApiKeyName is not null ? $"API key “{ApiKeyName}”"
        : $"API key {ApiKeyId}";
}

/// <summary>The chat an entry is about; <paramref name="IsSupport"/> false for a DM (or one since deleted).</summary>
public sealed record AuditChatView(string Id, string Label, bool IsSupport);

public sealed record AuditRow(string Id, DateTimeOffset At, string Action, AuditActorView Actor, AuditChatView? Chat,
    UserSummary? Target, string? TargetUserId, string? Detail)
{
    public string ActionText => AuditActionNames.Describe(Action);
}

/// <summary>
/// Reading a company's audit trail, newest first, a keyset page at a time: for admins and the company's
/// API keys (the rights table's <see cref="InboxAction.ReadAuditTrail"/>). Each filter rides an index of
/// <c>audit_entries</c>: the company's (created_at, id), a chat's, or an actor's.
/// </summary>
public sealed class AuditTrailQuery(IDbContextFactory<InboxDbContext> contexts, InboxRights rights)
{
    public async Task<Outcome<Page<AuditRow>>> ListAsync(Actor actor, string companyId, AuditFilter filter, PageRequest page,
        CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ReadAuditTrail, companyId, ct)) return Failure.Forbidden();
        if (page.Validate() is { } badPage) return badPage;
        var chat = Blank(filter.Chat);
        if (chat is not null && !PublicId.HasPrefix(chat, PublicId.Channel))
            return Failure.Invalid("chat", $"“{chat}” is not a chat id: those start with {PublicId.Channel}, e.g. {PublicId.Channel}8Hd2kQ0pLx3mZr7a.");
        var action = Blank(filter.Action);
        if (action is not null && !AuditActionNames.IsKnown(action))
            return Failure.Invalid("action", $"“{action}” is not an action the audit trail records.");

        await using var db = await contexts.CreateDbContextAsync(ct);
        var entries = db.AuditEntries.AsNoTracking().Where(e => e.CompanyId == companyId);
        if (chat is not null) entries = entries.Where(e => e.ChannelId == chat);
        if (action is not null) entries = entries.Where(e => e.Action == action);
        if (Blank(filter.Actor) is { } actorReference)
        {
            if (actorReference.StartsWith(PublicId.ApiKey, StringComparison.Ordinal))
            {
                entries = entries.Where(e => e.ActorApiKeyId == actorReference);
            }
            else
            {
                var user = await db.FindByReferenceAsync(actorReference, ct);
                if (user is null) return Failure.Invalid("actor", $"Nobody is called “{actorReference}”: pick a person from the list, or type a username.");
                entries = entries.Where(e => e.ActorUserId == user.Id);
            }
        }

        var found = await entries.PageAsync(e => e.CreatedAt, e => e.Id, descending: true, page, ct);
        return found.Map(await DescribeAsync(db, found.Items, ct));
    }

    /// <summary>People to offer in the actor filter: anyone matching what was typed (see <see cref="UserTypeAhead"/>).</summary>
    public async Task<Outcome<IReadOnlyList<UserSummary>>> SearchPeopleAsync(Actor actor, string companyId, string? text,
        CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ReadAuditTrail, companyId, ct)) return Failure.Forbidden();
        if (UserTypeAhead.Clean(text) is not { } cleaned) return Array.Empty<UserSummary>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().Matching(db.Dialect, cleaned).ToListAsync(ct);
    }

    /// <summary>Names for the ids a page mentions: three small lookups, whatever the page size.</summary>
    private static async Task<Func<AuditEntry, AuditRow>> DescribeAsync(InboxDbContext db, IReadOnlyList<AuditEntry> page, CancellationToken ct)
    {
        var channelIds = page.Select(e => e.ChannelId).OfType<string>().Distinct().ToList();
        var channels = channelIds.Count == 0 ? [] : await db.Channels.AsNoTracking()
            .Where(c => channelIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Kind, c.CustomName, c.CustomerId })
            .ToDictionaryAsync(c => c.Id, ct);
        var keyIds = page.Select(e => e.ActorApiKeyId).OfType<string>().Distinct().ToList();
        var keys = keyIds.Count == 0 ? [] : await db.ApiKeys.AsNoTracking()
            .Where(k => keyIds.Contains(k.Id))
            .Select(k => new { k.Id, k.Name })
            .ToDictionaryAsync(k => k.Id, k => k.Name, ct);
        var users = await db.SummariesAsync(page.SelectMany(e => new[] { e.ActorUserId, e.TargetUserId })
            .Concat(channels.Values.Select(c => c.CustomerId)), ct);

        UserSummary? UserOf(string? id) => id is null ? null : users.GetValueOrDefault(id);

        AuditChatView? ChatOf(string? id)
        {
            if (id is null) return null;
            if (!channels.TryGetValue(id, out var c)) return new AuditChatView(id, "A deleted chat", false);
            if (c.Kind == ChannelKind.Support)
                return new AuditChatView(id, c.CustomName ?? $"Support chat with {UserOf(c.CustomerId)?.Name ?? "a former customer"}", true);
            return new AuditChatView(id, c.CustomName ?? "A direct message", false);
        }

        return e => new AuditRow(e.Id, e.CreatedAt, e.Action,
            new AuditActorView(UserOf(e.ActorUserId), e.ActorApiKeyId, e.ActorApiKeyId is null ? null : keys.GetValueOrDefault(e.ActorApiKeyId)),
            ChatOf(e.ChannelId), UserOf(e.TargetUserId), e.TargetUserId, e.Detail);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
