using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

public sealed record EmbedOriginsView(string CompanyId, IReadOnlyList<string> Origins);

/// <summary>Which sites may embed a company's elements: read and changed by its admins (and API keys), always audited.</summary>
public sealed class EmbedSettings(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, TimeProvider clock) : IDisposable
{
    private static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (or its API keys) decide which sites may embed it.");

    /// <summary>How long the framing header may use a company's origins without reading them again (other instances: at most this late).</summary>
    public static readonly TimeSpan FramingCacheLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For the framing header only, which anyone can request: bounded, so made-up ids cannot grow
    /// it without limit. Its own instance, so nothing else evicts or reads these entries.
    /// </summary>
    private readonly MemoryCache framing = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public async Task<Outcome<EmbedOriginsView>> GetAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageEmbedding, companyId, ct)) return NotAllowed;
        var origins = await OriginsOfAsync(companyId, ct);
        return origins is null ? Failure.NotFound($"No company {companyId}.") : new EmbedOriginsView(companyId, origins);
    }

    public async Task<Outcome<EmbedOriginsView>> SetAsync(Actor actor, string companyId, IEnumerable<string?>? origins, CancellationToken ct = default)
    {
        if (origins is null) return Failure.Invalid("origins", "origins is required: a list of origins such as https://app.example.com (empty allows none).");
        if (!await rights.CanAsync(actor, InboxAction.ManageEmbedding, companyId, ct)) return NotAllowed;
        var parsed = EmbedOrigin.ParseAll(origins);
        if (parsed.Failure is { } failure) return failure;

        await using var db = await contexts.CreateDbContextAsync(ct);
        var company = await db.Companies.SingleOrDefaultAsync(c => c.Id == companyId, ct);
        if (company is null) return Failure.NotFound($"No company {companyId}.");
        if (!company.EmbedOrigins.SequenceEqual(parsed.Value!))
        {
            company.AllowEmbeddingFrom(parsed.Value!);
            var detail = parsed.Value!.Count == 0 ? "none" : string.Join(" ", parsed.Value!);
            db.Record(actor, AuditActions.EmbedOriginsChanged, companyId, clock.UtcNowMicros(), detail: detail.Length > 500 ? detail[..499] + "…" : detail);
            await db.SaveChangesAsync(ct);
            framing.Remove(OriginsKey(companyId));
        }
        return new EmbedOriginsView(companyId, company.EmbedOrigins);
    }

    /// <summary>
    /// For the framing header, before anyone is signed in: the origins allowed to frame an element
    /// of <paramref name="companyId"/>, or of the company of <paramref name="channelId"/> when no
    /// company is given; none when neither is known. Cached for <see cref="FramingCacheLifetime"/>;
    /// a change made here applies to the next page load at once.
    /// </summary>
    public async Task<IReadOnlyList<string>> FramingOriginsAsync(string? companyId, string? channelId, CancellationToken ct = default)
    {
        if (companyId is null && channelId is not null)
            companyId = await CachedAsync(ChannelKey(channelId), () => CompanyOfChannelAsync(channelId, ct));
        if (companyId is null) return [];
        return await CachedAsync(OriginsKey(companyId), () => OriginsOfAsync(companyId, ct)) ?? [];
    }

    private async Task<T?> CachedAsync<T>(string key, Func<Task<T?>> read) where T : class
    {
        if (framing.TryGetValue(key, out T? known)) return known;
        var value = await read();
        framing.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = FramingCacheLifetime });
        return value;
    }

    private static string OriginsKey(string companyId) => "origins:" + companyId;

    private static string ChannelKey(string channelId) => "channel:" + channelId;

    /// <summary>The company's allowed origins as stored now, or null when there is no such company.</summary>
    public async Task<IReadOnlyList<string>?> OriginsOfAsync(string companyId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => c.EmbedOrigins).SingleOrDefaultAsync(ct);
    }

    /// <summary>The company a conversation belongs to, for a chat element given only its channel id.</summary>
    public async Task<string?> CompanyOfChannelAsync(string channelId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Channels.AsNoTracking().Where(c => c.Id == channelId).Select(c => c.CompanyId).SingleOrDefaultAsync(ct);
    }

    public void Dispose() => framing.Dispose();
}
