using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding;

public sealed record EmbedOriginsView(string CompanyId, IReadOnlyList<string> Origins);

/// <summary>Which sites may embed a company's elements: read and changed by its admins (and API keys), always audited.</summary>
public sealed class EmbedSettings(IDbContextFactory<InboxDbContext> contexts, InboxRights rights, TimeProvider clock)
{
    private static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (or its API keys) decide which sites may embed it.");

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
        }
        return new EmbedOriginsView(companyId, company.EmbedOrigins);
    }

    /// <summary>
    /// For the framing header, before anyone is signed in: the company's allowed origins, or null
    /// when there is no such company. Read per request, so a change applies to the next page load.
    /// </summary>
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
}
