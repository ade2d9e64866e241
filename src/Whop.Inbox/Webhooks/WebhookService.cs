using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Webhooks;

public sealed record WebhookView(string Id, string CompanyId, string Url, IReadOnlyList<string> Events, bool IncludeTeamNotes, bool Enabled,
    string? DisabledReason, DateTimeOffset? FailingSince, DateTimeOffset CreatedAt)
{
    public static WebhookView Of(WebhookEndpoint e) =>
        new(e.Id, e.CompanyId, e.Url, e.TopicList, e.IncludeTeamNotes, e.Enabled, e.DisabledReason, e.FailingSince, e.CreatedAt);
}

/// <summary>An endpoint as registered, with its secret: the one answer that shows it.</summary>
public sealed record CreatedWebhook(WebhookView Endpoint, string Secret);

public sealed record WebhookAttemptView(string Id, string DeliveryId, string Topic, DateTimeOffset At, int? Status, int LatencyMs, string? Error,
    string? ResponseExcerpt, bool Succeeded);

/// <summary>The secrets' protector: secrets sign deliveries, so they are kept readable to the app alone, never as plain text.</summary>
internal static class WebhookSecrets
{
    public static IDataProtector Protector(IDataProtectionProvider provider) => provider.CreateProtector("Whop.Inbox.Webhooks.Secrets");
}

/// <summary>A company's webhook endpoints: registered, changed, rotated and removed by its admins (and API keys), always audited.</summary>
public sealed class WebhookService(
    IDbContextFactory<InboxDbContext> contexts,
    InboxRights rights,
    WebhookTargets targets,
    WebhookDirectory directory,
    WebhookOutbox outbox,
    IDataProtectionProvider protection,
    TimeProvider clock)
{
    public const int MaxEndpointsPerCompany = 20;
    public const int LogPageSize = 50;
    private static readonly Failure NotAllowed = Failure.Forbidden("Only the company's admins (or its API keys) manage its webhooks.");
    // Nothing is sent to an endpoint that is off: queued now, it would go out late, whenever it is turned on.
    private static readonly Failure TurnedOff = Failure.Rejected("The endpoint is turned off; turn it on first.", "enabled");

    public async Task<Outcome<IReadOnlyList<WebhookView>>> ListAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageWebhooks, companyId, ct)) return NotAllowed;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(e => e.CompanyId == companyId).OrderBy(e => e.CreatedAt).ToListAsync(ct);
        return endpoints.Select(WebhookView.Of).ToList();
    }

    public async Task<Outcome<WebhookView>> GetAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        return WebhookView.Of(found.Value!);
    }

    public async Task<Outcome<CreatedWebhook>> CreateAsync(Actor actor, string companyId, string? url, IReadOnlyList<string?>? events,
        bool includeTeamNotes, string? secret, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageWebhooks, companyId, ct)) return NotAllowed;
        var topics = CheckTopics(events, required: true);
        if (topics.Failure is { } badTopics) return badTopics;
        if (secret is not null && !WebhookSignature.IsUsable(secret))
            return Failure.Invalid("secret", $"secret must be {WebhookIds.Secret} and the base64 of at least {WebhookSignature.SecretBytes} random bytes; leave it out to have one made.");
        if (await targets.CheckAsync(url, ct) is { } badUrl) return badUrl;

        await using var db = await contexts.CreateDbContextAsync(ct);
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct)) return Failure.NotFound($"No company {companyId}.");
        if (await db.WebhookEndpoints.CountAsync(e => e.CompanyId == companyId, ct) >= MaxEndpointsPerCompany)
            return Failure.Rejected($"A company has at most {MaxEndpointsPerCompany} webhook endpoints.");
        secret ??= WebhookSignature.NewSecret();
        var at = clock.UtcNowMicros();
        var endpoint = new WebhookEndpoint(companyId, url!.Trim(), topics.Value!, includeTeamNotes, WebhookSecrets.Protector(protection).Protect(secret),
            actor.UserId, at);
        db.WebhookEndpoints.Add(endpoint);
        db.Record(actor, AuditActions.WebhookCreated, companyId, at, detail: $"{endpoint.Id} {endpoint.Url}");
        await db.SaveChangesAsync(ct);
        directory.Forget();
        return new CreatedWebhook(WebhookView.Of(endpoint), secret);
    }

    public async Task<Outcome<WebhookView>> UpdateAsync(Actor actor, string id, string? url, IReadOnlyList<string?>? events, bool? includeTeamNotes,
        bool? enabled, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // Rights first: nobody else learns what the checks say, or has the server resolve a name for them.
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        var topics = CheckTopics(events, required: false);
        if (topics.Failure is { } badTopics) return badTopics;
        if (url is not null && await targets.CheckAsync(url, ct) is { } badUrl) return badUrl;
        var endpoint = found.Value!;
        endpoint.Change(url?.Trim(), includeTeamNotes, enabled);
        if (topics.Value is { } wanted) endpoint.Subscribe(wanted);
        if (db.ChangeTracker.HasChanges())
        {
            db.Record(actor, AuditActions.WebhookChanged, endpoint.CompanyId, clock.UtcNowMicros(), detail: $"{endpoint.Id} {endpoint.Url}");
            await db.SaveChangesAsync(ct);
            directory.Forget();
        }
        return WebhookView.Of(endpoint);
    }

    /// <summary>A new secret, shown in this answer only; the old one still signs (beside it) for a day.</summary>
    public async Task<Outcome<CreatedWebhook>> RotateSecretAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        var endpoint = found.Value!;
        var secret = WebhookSignature.NewSecret();
        var at = clock.UtcNowMicros();
        endpoint.Rotate(WebhookSecrets.Protector(protection).Protect(secret), at);
        db.Record(actor, AuditActions.WebhookSecretRotated, endpoint.CompanyId, at, detail: endpoint.Id);
        await db.SaveChangesAsync(ct);
        return new CreatedWebhook(WebhookView.Of(endpoint), secret);
    }

    public async Task<Outcome<bool>> DeleteAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        // Its deliveries and their log go with it (the database cascades).
        db.WebhookEndpoints.Remove(found.Value!);
        db.Record(actor, AuditActions.WebhookDeleted, found.Value!.CompanyId, clock.UtcNowMicros(), detail: $"{id} {found.Value.Url}");
        await db.SaveChangesAsync(ct);
        directory.Forget();
        return true;
    }

    /// <summary>The endpoint's delivery log, newest attempt first (kept <see cref="WebhookPruner.KeepFor"/>).</summary>
    public async Task<Outcome<Page<WebhookAttemptView>>> AttemptsAsync(Actor actor, string id, PageRequest page, CancellationToken ct = default)
    {
        if (page.Validate() is { } invalid) return invalid;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.EndpointId == id)
            .PageAsync(a => a.At, a => a.Id, descending: true, page, ct);
        return attempts.Map(a => new WebhookAttemptView(a.Id, a.DeliveryId, a.Topic, a.At, a.Status, a.LatencyMs, a.Error, a.ResponseExcerpt, a.Succeeded));
    }

    /// <summary>A <c>webhook.test</c> delivery to the endpoint, now, through the same path as every other.</summary>
    public async Task<Outcome<string>> SendTestAsync(Actor actor, string id, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        if (!found.Value!.Enabled) return TurnedOff;
        var at = clock.UtcNowMicros();
        var body = System.Text.Json.JsonSerializer.Serialize(
            new WebhookBody(WebhookTopics.Test, at, new { endpoint_id = id, message = "A test event from Whop Inbox." }), Messaging.Realtime.ChatJson.Options);
        var delivery = new WebhookDelivery(id, WebhookTopics.Test, body, at);
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        outbox.Commit();
        return delivery.Id;
    }

    /// <summary>Send again: the delivery goes back in the queue as it was (same id, so a receiver that had it can tell).</summary>
    public async Task<Outcome<bool>> SendAgainAsync(Actor actor, string id, string deliveryId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var found = await FindAsync(db, actor, id, ct);
        if (found.Failure is { } failure) return failure;
        if (!found.Value!.Enabled) return TurnedOff;
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, ct);
        if (delivery is null) return Failure.NotFound($"No delivery {deliveryId} of {id}.");
        delivery.Requeue(clock.UtcNowMicros());
        await db.SaveChangesAsync(ct);
        outbox.Commit();
        return true;
    }

    /// <summary>Endpoints of the company turned off after days of failures: what its admins are told about in the app.</summary>
    public async Task<int> DisabledByFailuresAsync(Actor actor, string companyId, CancellationToken ct = default)
    {
        if (!await rights.CanAsync(actor, InboxAction.ManageWebhooks, companyId, ct)) return 0;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.WebhookEndpoints.CountAsync(e => e.CompanyId == companyId && !e.Enabled && e.DisabledReason != null, ct);
    }

    private async Task<Outcome<WebhookEndpoint>> FindAsync(InboxDbContext db, Actor actor, string id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id, ct);
        // Another company's endpoint is not there for this caller.
        if (endpoint is null || !await rights.CanAsync(actor, InboxAction.ManageWebhooks, endpoint.CompanyId, ct))
            return Failure.NotFound($"No webhook endpoint {id}.");
        return endpoint;
    }

    private static Outcome<IReadOnlyList<string>?> CheckTopics(IReadOnlyList<string?>? events, bool required)
    {
        if (events is null) return required ? Failure.Invalid("events", "events is required: the topics to send, e.g. [\"message.created\"].") : new Outcome<IReadOnlyList<string>?>(null, null);
        if (events.Count == 0) return Failure.Invalid("events", "events must name at least one topic.");
        var unknown = events.Where(e => e is null || !WebhookTopics.All.Contains(e)).ToList();
        if (unknown.Count > 0)
            return Failure.Invalid("events", $"Unknown event {unknown[0] ?? "null"}; topics are: {string.Join(", ", WebhookTopics.All.Order())}.");
        return events.Select(e => e!).ToList();
    }
}

/// <summary>The delivery log is kept <see cref="KeepFor"/>: older attempts, and deliveries done with, are deleted daily.</summary>
public sealed partial class WebhookPruner(IDbContextFactory<InboxDbContext> contexts, IHostApplicationLifetime lifetime, TimeProvider clock,
    ILogger<WebhookPruner> logger) : PeriodicRounds(lifetime, clock)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(14);

    protected override TimeSpan Interval { get; } = TimeSpan.FromHours(1);

    protected override Task RoundAsync(CancellationToken stop) => Admission.DatabaseAdmission.RunAsAppWork(() => PruneAsync(stop));

    protected override void RoundFailed(Exception e) => LogPruneFailed(e);

    public async Task PruneAsync(CancellationToken ct)
    {
        var cutoff = Clock.UtcNowMicros() - KeepFor;
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.WebhookAttempts.Where(a => a.At < cutoff).ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.State != DeliveryState.Pending && d.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(LogLevel.Warning, "Could not prune the webhook delivery log")]
    private partial void LogPruneFailed(Exception exception);
}
