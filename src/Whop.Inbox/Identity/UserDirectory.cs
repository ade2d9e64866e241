using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging;

namespace Whop.Inbox.Identity;

/// <summary>A user as conversations show them: Whop's <c>{id, name, username}</c>.</summary>
public sealed record UserSummary(string Id, string Name, string Username);

/// <summary>Finding people by what callers know of them, and the company's integration author.</summary>
public static class UserDirectory
{
    /// <summary>Resolves a user id (<c>user_…</c>), a username, or an email, as Whop's API accepts them.</summary>
    public static async Task<User?> FindByReferenceAsync(this InboxDbContext db, string reference, CancellationToken ct = default)
    {
        reference = reference.Trim();
        if (reference.StartsWith(PublicId.User, StringComparison.Ordinal))
            return await db.Users.SingleOrDefaultAsync(u => u.Id == reference, ct);
        var normalized = reference.TrimStart('@').ToUpperInvariant();
        return reference.Contains('@') && !reference.StartsWith('@')
            ? await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, ct)
            : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
    }

    /// <summary>
    /// The people of a company: its team, the customers of its support chats and the members of its
    /// DMs. What the DM picker offers, and (with <see cref="VisibleTo"/>) what its API keys may see.
    /// </summary>
    public static IQueryable<User> OfCompany(this IQueryable<User> users, InboxDbContext db, string companyId) => users.Where(u =>
        db.TeamMembers.Any(m => m.CompanyId == companyId && m.UserId == u.Id)
        || db.Channels.Any(c => c.Kind == ChannelKind.Support && c.CompanyId == companyId && c.CustomerId == u.Id)
        || db.ChannelMembers.Any(m => m.UserId == u.Id && db.Channels.Any(c => c.Id == m.ChannelId && c.CompanyId == companyId)));

    /// <summary>
    /// The users a company may see and change through its API: its people (<see cref="OfCompany"/>),
    /// those it synced itself (by external id, or as the audit trail records), and its integration
    /// author. The default company (the installation's own) also has the users nobody has claimed:
    /// no team, chat or DM anywhere, synced by no company (the demo customers, users made before
    /// companies were kept apart).
    /// </summary>
    public static IQueryable<User> VisibleTo(this IQueryable<User> users, InboxDbContext db, string companyId)
    {
        var ownExternalIds = $"{companyId}:";
        var integration = IntegrationExternalId(companyId);
        var people = db.Users.OfCompany(db, companyId);
        return users.Where(u =>
            (u.ExternalId != null && (u.ExternalId.StartsWith(ownExternalIds) || u.ExternalId == integration))
            || people.Any(p => p.Id == u.Id)
            || db.AuditEntries.Any(a => a.Action == AuditActions.UserSynced && a.CompanyId == companyId && a.TargetUserId == u.Id)
            || (u.ExternalId == null
                && db.Companies.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(c => c.Id).FirstOrDefault() == companyId
                && !db.TeamMembers.Any(m => m.UserId == u.Id)
                && !db.Channels.Any(c => c.CustomerId == u.Id)
                && !db.ChannelMembers.Any(m => m.UserId == u.Id)
                && !db.AuditEntries.Any(a => a.Action == AuditActions.UserSynced && a.TargetUserId == u.Id)));
    }

    private static string IntegrationExternalId(string companyId) => $"integration:{companyId}";

    /// <summary>
    /// <see cref="FindByReferenceAsync"/> for a company's API key: only a user the company may see
    /// (<see cref="VisibleTo"/>); anyone else's user is as unknown as an id that does not exist. People
    /// acting for themselves resolve references as before.
    /// </summary>
    public static async Task<User?> FindByReferenceForAsync(this InboxDbContext db, Actor actor, string companyId, string reference,
        CancellationToken ct = default)
    {
        var user = await db.FindByReferenceAsync(reference, ct);
        if (user is null || actor.Credential != Credential.ApiKey) return user;
        return await db.Users.VisibleTo(db, companyId).AnyAsync(u => u.Id == user.Id, ct) ? user : null;
    }

    public static async Task<Dictionary<string, UserSummary>> SummariesAsync(this InboxDbContext db, IEnumerable<string?> ids, CancellationToken ct = default)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .Select(u => new UserSummary(u.Id, u.Name, u.UserName!))
            .ToDictionaryAsync(u => u.Id, ct);
    }

    /// <summary>
    /// Who the caller is as an author: their own user, or for a company's API key the company's
    /// integration user (made on first use), so a key can edit, delete and un-react what it sent.
    /// Null for anyone else, or an API key acting outside any company.
    /// </summary>
    public static async Task<string?> ActingUserIdAsync(this InboxDbContext db, Actor actor, string? companyId, DateTimeOffset now,
        CancellationToken ct = default) =>
        actor.UserId ?? (actor.Credential == Credential.ApiKey && companyId is not null && actor.CompanyId == companyId
            ? await db.IntegrationUserIdAsync(companyId, now, ct)
            : null);

    /// <summary>
    /// The author of what a company's API key writes: one user per company, named after it, so
    /// such messages have a sender like any other (type <c>automated</c>).
    /// </summary>
    public static async Task<string> IntegrationUserIdAsync(this InboxDbContext db, string companyId, DateTimeOffset now, CancellationToken ct = default)
    {
        var externalId = IntegrationExternalId(companyId);
        var existing = await db.Users.Where(u => u.ExternalId == externalId).Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (existing is not null) return existing;

        // A plain statement, not SaveChanges: the caller's context may hold changes of its own that
        // must not be flushed here, and a concurrent first use simply finds the row already there.
        var companyName = await db.Companies.Where(c => c.Id == companyId).Select(c => c.Name).SingleAsync(ct);
        var user = new User($"{companyId}-bot", companyName, null, now, externalId);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO users (id, name, external_id, created_at, user_name, normalized_user_name, email_confirmed, security_stamp,
                               phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            VALUES ({user.Id}, {user.Name}, {externalId}, {db.Dialect.Time(now)}, {user.UserName}, {user.UserName!.ToUpperInvariant()}, false,
                    {user.SecurityStamp}, false, false, true, 0)
            ON CONFLICT DO NOTHING
            """, ct);
        return await db.Users.Where(u => u.ExternalId == externalId).Select(u => u.Id).SingleAsync(ct);
    }
}
