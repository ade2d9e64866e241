using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Data;
using Whop.Inbox.Team;

namespace Whop.Inbox.Identity.ApiKeys;

/// <summary>What an accepted API key stands for.</summary>
public sealed record ApiKeyIdentity(string KeyId, string CompanyId);

/// <summary>
/// Every live API key, in memory, so telling who a request is costs no database round trip: a flood
/// of made-up or over-allowance keys must be refused without waiting for the database it would slow
/// for everyone else. The table is read once (at start, <see cref="ApiKeyUpkeep"/>), then kept: this instance's own
/// creations and revocations change it at once, and every instance hears them announced
/// (<see cref="DatabaseDialect.AnnounceKeyRevokedAsync"/>, <see cref="DatabaseDialect.AnnounceKeyCreatedAsync"/>);
/// it is read again whenever announcements may have been missed (the listener reconnecting).
/// </summary>
public sealed partial class ApiKeyDirectory(
    IDbContextFactory<InboxDbContext> contexts,
    DefaultCompany defaultCompany,
    IOptions<InboxOptions> options,
    TimeProvider clock,
    ILogger<ApiKeyDirectory> logger)
{
    /// <summary>The bootstrap key's id in claims and the audit trail.</summary>
    public const string BootstrapKeyId = "key_bootstrap";

    // Writing last-used on every request would turn each read into a write; a minute is precise enough.
    internal static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan EchoTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _echoes = new();
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usedSinceWritten = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastWritten = new();
    private volatile FrozenDictionary<string, LiveKey>? _byLookup;
    // Bumped by every change (under the gate); a read that started before a change does not replace the table.
    private long _version;

    /// <summary>The key a presented secret stands for, or null: from memory once the table is loaded.</summary>
    public async ValueTask<ApiKeyIdentity?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        if (IsBootstrapKey(presented))
            return new ApiKeyIdentity(BootstrapKeyId, await defaultCompany.IdAsync(ct));

        var lookup = ApiKey.LookupOf(presented);
        if (lookup is null) return null;
        var keys = _byLookup ?? await LoadAsync(ct);
        if (!keys.TryGetValue(lookup, out var key) || !ApiKey.Matches(presented, key.SecretHash)) return null;
        MarkUsed(key.Id);
        return new ApiKeyIdentity(key.Id, key.CompanyId);
    }

    /// <summary>True when the credential is shaped like one of our keys or is the configured bootstrap key.</summary>
    public bool LooksLikeApiKey(string presented) => ApiKey.LookupOf(presented) is not null || IsBootstrapKey(presented);

    /// <summary>
    /// After a key was made or revoked here (and committed): changes this instance's table at once, tells
    /// every instance, and (where instances share the database) waits up to <see cref="EchoTimeout"/> until
    /// the announcement has come back here, by when the other instances have heard it too: a revoked key is refused from the next
    /// request on any of them, and a new one accepted.
    /// </summary>
    internal async Task ChangedAsync(InboxDbContext db, ApiKey key, CancellationToken ct)
    {
        var echo = _echoes.GetOrAdd(key.Id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            if (key.IsRevoked)
            {
                Revoked(key.Id);
                await db.Dialect.AnnounceKeyRevokedAsync(db, key.Id, ct);
            }
            else
            {
                Update(keys => keys[key.Lookup] = LiveKey.Of(key));
                await db.Dialect.AnnounceKeyCreatedAsync(db, key.Id, JsonSerializer.Serialize(LiveKey.Of(key) with { Lookup = key.Lookup }), ct);
            }
            if (db.Dialect.IsSharedByInstances) await echo.Task.WaitAsync(EchoTimeout, ct);
        }
        catch (TimeoutException)
        {
            // Not heard back (the listener is reconnecting): this instance has the change, the others
            // read every key again once their listeners are back.
            LogNoEcho(key.Id);
        }
        finally
        {
            _echoes.TryRemove(key.Id, out _);
        }
    }

    /// <summary>An announcement of a new key, heard from any instance (this one's included).</summary>
    public void HeardCreated(string announcement)
    {
        if (JsonSerializer.Deserialize<LiveKey>(announcement) is not { Lookup: { } lookup } key) return;
        Update(keys => keys[lookup] = key);
        Echo(key.Id);
    }

    /// <summary>A revoked key, heard from any instance (this one's included): refused from now on, without reading anything.</summary>
    public void HeardRevoked(string keyId)
    {
        Revoked(keyId);
        Echo(keyId);
    }

    private void Revoked(string keyId)
    {
        Update(keys =>
        {
            foreach (var lookup in keys.Where(k => k.Value.Id == keyId).Select(k => k.Key).ToList()) keys.Remove(lookup);
        });
        _usedSinceWritten.TryRemove(keyId, out _);
    }

    private void Echo(string keyId)
    {
        if (_echoes.TryGetValue(keyId, out var echo)) echo.TrySetResult();
    }

    /// <summary>
    /// Keys may have changed elsewhere (one was created on another instance, or announcements were
    /// missed): read the table again in the background. Until then the old one serves, minus revocations.
    /// </summary>
    public void Refresh()
    {
        // A read under way may predate the change it was asked for: it reads again.
        lock (_gate) _version++;
        if (_byLookup is null) return; // not read yet: the first request reads it
        _ = Task.Run(async () =>
        {
            try
            {
                await LoadAsync(CancellationToken.None, force: true);
            }
            catch (Exception e)
            {
                // The next announcement or reconnection tries again; the table in memory still serves.
                LogRefreshFailed(e);
            }
        });
    }

    /// <summary>Reads the keys if they are not in memory yet (at start, before the first request).</summary>
    internal async Task ReadAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>When the key was last used, if that is not written yet.</summary>
    internal DateTimeOffset? LastUsedNotWritten(string keyId) => _usedSinceWritten.TryGetValue(keyId, out var at) ? at : null;

    /// <summary>Last-used times not written yet, taken: what <see cref="ApiKeyUpkeep"/> writes.</summary>
    internal IReadOnlyList<(string KeyId, DateTimeOffset At)> TakeUsage()
    {
        var taken = new List<(string, DateTimeOffset)>();
        foreach (var keyId in _usedSinceWritten.Keys)
        {
            if (_usedSinceWritten.TryRemove(keyId, out var at))
            {
                _lastWritten[keyId] = at;
                taken.Add((keyId, at));
            }
        }
        return taken;
    }

    private void MarkUsed(string keyId)
    {
        var now = clock.GetUtcNow();
        if (_lastWritten.TryGetValue(keyId, out var written) && now - written < LastUsedPrecision) return;
        _usedSinceWritten[keyId] = now;
    }

    private async Task<FrozenDictionary<string, LiveKey>> LoadAsync(CancellationToken ct, bool force = false)
    {
        await _loading.WaitAsync(ct);
        try
        {
            if (!force && _byLookup is { } loaded) return loaded;
            while (true)
            {
                long version;
                lock (_gate) version = _version;
                await using var db = await contexts.CreateDbContextAsync(ct);
                var rows = await db.ApiKeys.AsNoTracking()
                    .Where(k => k.RevokedAt == null)
                    .Select(k => new { k.Lookup, k.Id, k.CompanyId, k.SecretHash, k.LastUsedAt })
                    .ToListAsync(ct);
                foreach (var row in rows)
                {
                    if (row.LastUsedAt is { } used) _lastWritten.TryAdd(row.Id, used);
                }
                var keys = rows.ToFrozenDictionary(r => r.Lookup, r => new LiveKey(r.Id, r.CompanyId, r.SecretHash), StringComparer.Ordinal);
                // A change while reading (a revocation, say) may not be in what was read: read again.
                lock (_gate)
                {
                    if (_version != version) continue;
                    _byLookup = keys;
                    return keys;
                }
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Changes the table in memory (copied: readers never lock); a read under way is read again.</summary>
    private void Update(Action<Dictionary<string, LiveKey>> change)
    {
        lock (_gate)
        {
            _version++;
            if (_byLookup is not { } keys) return; // not read yet: the first read sees the change
            var changed = new Dictionary<string, LiveKey>(keys, StringComparer.Ordinal);
            change(changed);
            _byLookup = changed.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private bool IsBootstrapKey(string presented)
    {
        var bootstrap = options.Value.BootstrapApiKey;
        return !string.IsNullOrEmpty(bootstrap) &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(bootstrap));
    }

    /// <summary>A key as this table keeps it (and as a creation is announced, with its lookup): never the secret, only its hash.</summary>
    private sealed record LiveKey(string Id, string CompanyId, byte[] SecretHash, string? Lookup = null)
    {
        public static LiveKey Of(ApiKey key) => new(key.Id, key.CompanyId, key.SecretHash);
    }

    [LoggerMessage(LogLevel.Warning, "The change of API key {KeyId} was not heard back within 2 s; other instances may learn of it late")]
    private partial void LogNoEcho(string keyId);

    [LoggerMessage(LogLevel.Warning, "Reading the API keys again failed; the keys in memory still serve")]
    private partial void LogRefreshFailed(Exception exception);
}
