using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Admission;
using Whop.Inbox.Common;
using Whop.Inbox.Data;

namespace Whop.Inbox.Webhooks;

/// <summary>
/// Sends what the outbox holds: due deliveries, each conversation's in position order, claimed for a
/// minute so that several instances send each one once between them, signed, with no redirect followed,
/// a time limit and a cap on what is read back. A failure is tried again with exponential backoff and
/// jitter (the receiver's <c>Retry-After</c> honoured) for up to <see cref="GiveUpAfter"/>; an endpoint
/// that fails that long is turned off, and its admins see it on the webhooks page.
/// </summary>
public sealed partial class WebhookSender(
    IDbContextFactory<InboxDbContext> contexts,
    WebhookTargets targets,
    WebhookOutbox outbox,
    WebhookDirectory directory,
    IDataProtectionProvider protection,
    TimeProvider clock,
    ILogger<WebhookSender> logger) : BackgroundService
{
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private const int Batch = 32;
    private const int InParallel = 8;

    public static readonly Meter Meter = new("Whop.Inbox.Webhooks");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("inbox.webhooks.delivery.duration", "ms",
        "How long receivers took to answer a delivery attempt.");
    private static readonly Counter<long> Failures = Meter.CreateCounter<long>("inbox.webhooks.delivery.failures", description:
        "Delivery attempts that failed (no answer, or not 2xx).");
    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("inbox.webhooks.delivery.sent", description:
        "Deliveries a receiver accepted.");

    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        outbox.Committed += Wake;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var sent = 0;
                try
                {
                    // The app's own work: never refused as some caller's.
                    await DatabaseAdmission.RunAsAppWork(async () => sent = await SendDueAsync(stop));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRoundFailed(e);
                }
                // A full batch: more is waiting. Otherwise sleep until a change writes deliveries, or the next poll.
                if (sent < Batch) await _wake.WaitAsync(Poll, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            outbox.Committed -= Wake;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>One round: claim what is due, send it (a few at once), record each attempt. Returns how many were claimed.</summary>
    internal async Task<int> SendDueAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        if (claimed.Count == 0) return 0;
        await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = InParallel, CancellationToken = ct },
            async (id, token) =>
            {
                try
                {
                    await SendAsync(id, token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Left claimed: another round (here or elsewhere) takes it once the claim lapses.
                    LogSendFailed(e, id);
                }
            });
        return claimed.Count;
    }

    /// <summary>
    /// Takes due deliveries that are first in their conversation for their endpoint (an earlier one not yet
    /// delivered holds the later ones back), marking them claimed. On PostgreSQL, rows another instance is
    /// claiming are skipped, so no two claim the same.
    /// </summary>
    private async Task<List<string>> ClaimAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        // No endpoint turned on anywhere: nothing to claim, and no write every second (SQLite has one writer).
        if (!await directory.AnyAsync(db, ct)) return [];
        var now = clock.UtcNowMicros();
        // Long enough for one attempt (the time limit) and its bookkeeping; short, so that what an instance that
        // died had claimed is taken up again soon after.
        var claim = targets.Client.Timeout * 2 + TimeSpan.FromSeconds(5);
        var skipLocked = db.Dialect.IsSharedByInstances ? " FOR UPDATE OF d SKIP LOCKED" : "";
        var sql = FormattableStringFactory.Create($$"""
            UPDATE webhook_deliveries SET locked_until = {0}
            WHERE id IN (
                SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= {1} AND (d.locked_until IS NULL OR d.locked_until < {1}) AND e.enabled
                  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                                  WHERE p.endpoint_id = d.endpoint_id AND p.channel_id = d.channel_id AND p.state = 'pending' AND p.position < d.position)
                ORDER BY d.next_attempt_at
                LIMIT {{Batch}}{{skipLocked}})
            RETURNING id
            """, db.Dialect.Time(now + claim), db.Dialect.Time(now));
        return await db.Database.SqlQuery<string>(sql).ToListAsync(ct);
    }

    private async Task SendAsync(string deliveryId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var delivery = await db.WebhookDeliveries.SingleAsync(d => d.Id == deliveryId, ct);
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == delivery.EndpointId, ct);
        var started = clock.UtcNowMicros();
        if (endpoint is null)
        {
            delivery.Failed(started, giveUp: true);
            await db.SaveChangesAsync(ct);
            return;
        }

        var (status, error, excerpt, retryAfter) = await PostAsync(endpoint, delivery, started, ct);
        var latency = (int)(clock.UtcNowMicros() - started).TotalMilliseconds;
        db.WebhookAttempts.Add(new WebhookAttempt(delivery, started, status, latency, error, excerpt));
        Latency.Record(latency);
        var now = clock.UtcNowMicros();
        if (status is >= 200 and < 300)
        {
            Sent.Add(1);
            delivery.Succeeded(now);
            endpoint.Recovered();
        }
        else
        {
            Failures.Add(1);
            var giveUp = now - delivery.CreatedAt >= GiveUpAfter;
            delivery.Failed(now + Backoff(targets.FirstRetry, delivery.Attempts + 1, retryAfter), giveUp);
            if (endpoint.Failing(now, GiveUpAfter)) LogDisabled(endpoint.Id, endpoint.CompanyId);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>One signed POST; what came back, read no further than the cap.</summary>
    private async Task<(int? Status, string? Error, string? Excerpt, TimeSpan? RetryAfter)> PostAsync(WebhookEndpoint endpoint,
        WebhookDelivery delivery, DateTimeOffset at, CancellationToken ct)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var protector = WebhookSecrets.Protector(protection);
        var secrets = new List<string> { protector.Unprotect(endpoint.ProtectedSecret) };
        if (endpoint.PreviousProtectedSecret is { } previous && endpoint.PreviousSecretUntil > at) secrets.Add(protector.Unprotect(previous));

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", delivery.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Header(secrets, delivery.Id, timestamp, delivery.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("WhopInbox-Webhooks", "1"));
        // The whole attempt, headers and body, within the time limit: a receiver that trickles its answer is cut off too.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(targets.Client.Timeout);
        try
        {
            using var response = await targets.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            var excerpt = await ReadExcerptAsync(response, limit.Token);
            var status = (int)response.StatusCode;
            var error = status is >= 300 and < 400 ? $"Redirect to {response.Headers.Location} not followed." : null;
            return (status, error, excerpt, RetryAfter(response, at));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"No answer within {targets.Client.Timeout.TotalSeconds:0} s.", null, null);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message, null, null);
        }
    }

    /// <summary>The start of the answer, for the log: never more than the cap is read, and the rest of a large answer not at all.</summary>
    private async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[Math.Min(targets.MaxResponseBytes, WebhookAttempt.ExcerptLength * 4)];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    /// <summary>
    /// After the <paramref name="attempts"/>th failed attempt: <paramref name="first"/> (5 s), then about six times longer each
    /// time up to six hours, each with up to a fifth more at random so that retries of many deliveries spread out;
    /// never sooner than the receiver's <c>Retry-After</c> (up to a day).
    /// </summary>
    internal static TimeSpan Backoff(TimeSpan first, int attempts, TimeSpan? retryAfter)
    {
        var seconds = Math.Min(first.TotalSeconds * Math.Pow(6, Math.Max(0, attempts - 1)), TimeSpan.FromHours(6).TotalSeconds);
        var wait = TimeSpan.FromSeconds(seconds * (1 + Random.Shared.NextDouble() / 5));
        if (retryAfter is { } asked && asked > wait) wait = asked < TimeSpan.FromDays(1) ? asked : TimeSpan.FromDays(1);
        return wait;
    }

    [LoggerMessage(LogLevel.Error, "A round of webhook deliveries failed")]
    private partial void LogRoundFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Could not send webhook delivery {DeliveryId}")]
    private partial void LogSendFailed(Exception exception, string deliveryId);

    [LoggerMessage(LogLevel.Warning, "Webhook endpoint {EndpointId} of {CompanyId} failed for three days and was turned off")]
    private partial void LogDisabled(string endpointId, string companyId);
}
