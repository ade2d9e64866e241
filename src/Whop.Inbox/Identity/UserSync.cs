using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity;

public sealed record SyncedUser(UserSummary User, string? Email, string? ExternalId, DateTimeOffset CreatedAt, bool Created);

/// <summary>
/// Ours: the embedding app creates or updates its users here before opening chats for them.
/// Idempotent on the app's own id (external_id, kept per company) when given, otherwise on the
/// username. A company sees and changes only its own people (<see cref="UserDirectory.OfCompany"/>,
/// or those it synced itself); anyone else's user is unknown to it.
/// </summary>
public sealed partial class UserSync(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, DefaultCompany defaultCompany, TimeProvider clock)
{
    public async Task<Outcome<SyncedUser>> UpsertAsync(Actor actor, string? companyId, string? externalId, string? username, string? name,
        string? email, CancellationToken ct = default)
    {
        companyId ??= actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        if (!await rights.CanAsync(actor, InboxAction.SyncUsers, companyId, ct)) return Failure.Forbidden();
        username = username?.Trim().TrimStart('@');
        if (string.IsNullOrEmpty(username)) return Failure.Invalid("username", "username is required.");
        if (!UsernamePattern().IsMatch(username))
            return Failure.Invalid("username", "username must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        name = string.IsNullOrWhiteSpace(name) ? username : name.Trim();
        if (name.Length > 100) return Failure.Invalid("name", "name can be at most 100 characters.");
        if (StoredText.Check("name", name) is { } badName) return badName;
        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (email is not null && (email.Length > 256 || !email.Contains('@'))) return Failure.Invalid("email", "email is not an email address.");
        if (StoredText.Check("email", email) is { } badEmail) return badEmail;
        externalId = string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim();
        if (externalId?.Length > 150) return Failure.Invalid("external_id", "external_id can be at most 150 characters.");
        if (StoredText.Check("external_id", externalId) is { } badExternalId) return badExternalId;
        // External ids are the app's own, so they are kept per company: two apps may both have a user "42".
        var scopedExternalId = externalId is null ? null : $"{companyId}:{externalId}";

        await using var db = await contexts.CreateDbContextAsync(ct);
        var normalized = username.ToUpperInvariant();
        var user = scopedExternalId is not null
            ? await db.Users.SingleOrDefaultAsync(u => u.ExternalId == scopedExternalId, ct)
            : await db.Users.SingleOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        // Someone else's user is not this company's to rename: as for an unknown one, the username is taken.
        if (user is not null && scopedExternalId is null && !await db.Users.VisibleTo(db, companyId).AnyAsync(u => u.Id == user.Id, ct))
            return Failure.Rejected($"The username {username} belongs to another user.", "username");
        var created = user is null;
        var now = clock.UtcNowMicros();
        if (user is null)
        {
            user = new User(username, name, email, now, scopedExternalId)
            {
                NormalizedUserName = normalized,
                NormalizedEmail = email?.ToUpperInvariant(),
            };
            db.Users.Add(user);
            // The record of which company brought this person in: what makes them its user.
            db.Record(actor, AuditActions.UserSynced, companyId, now, targetUserId: user.Id, detail: username);
        }
        else
        {
            user.UpdateProfile(name, email);
            user.NormalizedEmail = email?.ToUpperInvariant();
            if (user.NormalizedUserName != normalized)
            {
                user.UserName = username;
                user.NormalizedUserName = normalized;
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.Dialect.IsUniqueViolation(e))
        {
            return Failure.Rejected($"The username {username} belongs to another user.", "username");
        }
        return new SyncedUser(new UserSummary(user.Id, user.Name, user.UserName!), user.Email, externalId, user.CreatedAt, created);
    }

    public async Task<Outcome<SyncedUser>> GetAsync(Actor actor, string reference, CancellationToken ct = default)
    {
        var companyId = actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var user = await db.FindByReferenceAsync(reference, ct);
        if (user is null) return Failure.NotFound($"No user {reference}.");
        if (user.Id != actor.UserId && (!await rights.CanAsync(actor, InboxAction.SyncUsers, companyId, ct)
                                        || !await db.Users.VisibleTo(db, companyId).AnyAsync(u => u.Id == user.Id, ct)))
            return Failure.NotFound($"No user {reference}.");
        var prefix = $"{companyId}:";
        var externalId = user.ExternalId?.StartsWith(prefix, StringComparison.Ordinal) == true ? user.ExternalId[prefix.Length..] : null;
        return new SyncedUser(new UserSummary(user.Id, user.Name, user.UserName!), user.Email, externalId, user.CreatedAt, false);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex UsernamePattern();
}
