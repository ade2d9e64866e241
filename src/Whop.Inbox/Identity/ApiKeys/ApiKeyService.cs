using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Identity.ApiKeys;

public sealed record CreatedApiKey(ApiKeySummary Key, string Secret);

public sealed record ApiKeySummary(string Id, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Creates, lists and revokes company API keys (<see cref="ApiKeyDirectory"/> checks them).</summary>
public sealed class ApiKeyService(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    ApiKeyDirectory directory,
    TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<Outcome<IReadOnlyList<ApiKeySummary>>> ListAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageApiKeys, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.CompanyId == companyId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .ToListAsync(ct);
        // Uses are written a minute at a time (ApiKeyUpkeep); the ones not written yet are here.
        return keys.Select(k => Summarise(k) with { LastUsedAt = Later(k.LastUsedAt, directory.LastUsedNotWritten(k.Id)) }).ToList();
    }

    /// <summary>Creates a key; the returned secret is the only copy there will ever be.</summary>
    public async Task<Outcome<CreatedApiKey>> CreateAsync(Actor actor, string companyId, string? name, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageApiKeys, companyId, ct)) return Failure.Forbidden();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name)) return Failure.Invalid("name", "Give the key a name, so you can tell it apart later.");
        if (name.Length > MaxNameLength) return Failure.Invalid("name", $"The name can be at most {MaxNameLength} characters.");
        if (StoredText.Check("name", name) is { } unreadable) return unreadable;
        var now = clock.GetUtcNow();
        var (key, secret) = ApiKey.Create(companyId, name, actor.UserId, now);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ApiKeys.Add(key);
        db.Record(actor, AuditActions.ApiKeyCreated, companyId, now, detail: $"{key.Name} ({key.DisplayPrefix})");
        await db.SaveChangesAsync(ct);
        // After the commit: usable at once here, and on every instance by the time this answers.
        await directory.ChangedAsync(db, key, ct);
        return new CreatedApiKey(Summarise(key), secret);
    }

    /// <summary>Revokes a key of the company; revoking twice is harmless.</summary>
    public async Task<Outcome<ApiKeySummary>> RevokeAsync(Actor actor, string companyId, string keyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageApiKeys, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.CompanyId == companyId, ct);
        if (key is null) return Failure.NotFound($"No API key {keyId} in this company.");
        if (!key.IsRevoked)
        {
            var now = clock.GetUtcNow();
            key.Revoke(now);
            db.Record(actor, AuditActions.ApiKeyRevoked, companyId, now, detail: $"{key.Name} ({key.DisplayPrefix})");
            await db.SaveChangesAsync(ct);
            // After the commit: refused from the next request on every instance, each of which also
            // closes the hub connections the key still holds open.
            await directory.ChangedAsync(db, key, ct);
        }
        return Summarise(key);
    }

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static ApiKeySummary Summarise(ApiKey key) =>
        new(key.Id, key.Name, key.DisplayPrefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}
