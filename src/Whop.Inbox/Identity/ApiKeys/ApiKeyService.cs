using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>What an accepted API key stands for.</summary>
public sealed record ApiKeyIdentity(string KeyId, string CompanyId);

public sealed record CreatedApiKey(ApiKeySummary Key, string Secret);

public sealed record ApiKeySummary(string Id, string Name, string Prefix, DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

/// <summary>Creates, lists, revokes and checks company API keys.</summary>
public sealed class ApiKeyService(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    DefaultCompany defaultCompany,
    IOptions<InboxOptions> options,
    TimeProvider clock)
{
    /// <summary>The bootstrap key's id in claims and the audit trail.</summary>
    public const string BootstrapKeyId = "key_bootstrap";
    public const int MaxNameLength = 100;

    // Writing last-used on every request would turn each read into a write; a minute is precise enough.
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    public async Task<ApiKeyIdentity?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (IsBootstrapKey(presented)) return new ApiKeyIdentity(BootstrapKeyId, await defaultCompany.IdAsync(ct));

        var lookup = ApiKey.LookupOf(presented);
        if (lookup is null) return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Lookup == lookup, ct);
        if (key is null || key.IsRevoked || !key.Matches(presented)) return null;

        var now = clock.GetUtcNow();
        if (key.LastUsedAt is null || now - key.LastUsedAt > LastUsedPrecision)
        {
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now), ct);
        }
        return new ApiKeyIdentity(key.Id, key.CompanyId);
    }

    /// <summary>True when the credential is shaped like one of our keys or is the configured bootstrap key.</summary>
    public bool LooksLikeApiKey(string presented) => ApiKey.LookupOf(presented) is not null || IsBootstrapKey(presented);

    private bool IsBootstrapKey(string presented)
    {
        var bootstrap = options.Value.BootstrapApiKey;
        return !string.IsNullOrEmpty(bootstrap) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(bootstrap));
    }

    public async Task<Outcome<IReadOnlyList<ApiKeySummary>>> ListAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageApiKeys, companyId, ct)) return Failure.Forbidden();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.CompanyId == companyId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .ToListAsync(ct);
        return keys.Select(Summarise).ToList();
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
            // After the commit: every instance closes the hub connections this key still holds open.
            await db.Dialect.AnnounceKeyRevokedAsync(db, key.Id, ct);
        }
        return Summarise(key);
    }

    private static ApiKeySummary Summarise(ApiKey key) =>
        new(key.Id, key.Name, key.DisplayPrefix, key.CreatedAt, key.LastUsedAt, key.RevokedAt);
}
