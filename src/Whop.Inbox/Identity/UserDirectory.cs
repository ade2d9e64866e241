using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;

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

    public static async Task<Dictionary<string, UserSummary>> SummariesAsync(this InboxDbContext db, IEnumerable<string?> ids, CancellationToken ct = default)
    {
        var wanted = ids.OfType<string>().Distinct().ToList();
        if (wanted.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id))
            .Select(u => new UserSummary(u.Id, u.Name, u.UserName!))
            .ToDictionaryAsync(u => u.Id, ct);
    }

    /// <summary>
    /// The author of what a company's API key writes: one user per company, named after it, so
    /// such messages have a sender like any other (type <c>automated</c>).
    /// </summary>
    public static async Task<string> IntegrationUserIdAsync(this InboxDbContext db, string companyId, DateTimeOffset now, CancellationToken ct = default)
    {
        var externalId = $"integration:{companyId}";
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
