using Whop.Inbox.Data;

namespace Whop.Inbox.Webhooks;

/// <summary>
/// A company's HTTPS endpoint that hears about its conversations (<c>hook_</c>): which topics, whether
/// team notes too, and the secret deliveries are signed with (kept protected by the app's Data
/// Protection keys; the previous one stays valid for a day after a rotation).
/// </summary>
public sealed class WebhookEndpoint
{
    public const int MaxUrlLength = 2000;

    private WebhookEndpoint() { }

    public WebhookEndpoint(string companyId, string url, IEnumerable<string> topics, bool includeTeamNotes, string protectedSecret,
        string? createdById, DateTimeOffset at)
    {
        Id = PublicId.New(WebhookIds.Endpoint);
        CompanyId = companyId;
        Url = url;
        Subscribe(topics);
        IncludeTeamNotes = includeTeamNotes;
        ProtectedSecret = protectedSecret;
        CreatedById = createdById;
        CreatedAt = at;
        Enabled = true;
    }

    public string Id { get; private set; } = "";
    public string CompanyId { get; private set; } = "";
    public string Url { get; private set; } = "";

    /// <summary>The topics, each between commas (<c>,message.created,support_chat.resolved,</c>): the outbox matches one with LIKE on either database.</summary>
    public string Topics { get; private set; } = ",";

    public bool IncludeTeamNotes { get; private set; }
    public bool Enabled { get; private set; }
    public string ProtectedSecret { get; private set; } = "";
    public string? PreviousProtectedSecret { get; private set; }
    public DateTimeOffset? PreviousSecretUntil { get; private set; }
    public string? CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Since when every attempt has failed (null: the last one succeeded); three days of it disables the endpoint.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    /// <summary>Why it was turned off by the app (null when on, or turned off by an admin).</summary>
    public string? DisabledReason { get; private set; }

    public IReadOnlyList<string> TopicList => Topics.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public void Subscribe(IEnumerable<string> topics) => Topics = "," + string.Join(",", topics.Distinct().Order()) + ",";

    public void Change(string? url, bool? includeTeamNotes, bool? enabled)
    {
        if (url is not null) Url = url;
        if (includeTeamNotes is { } notes) IncludeTeamNotes = notes;
        if (enabled is { } on && on != Enabled)
        {
            Enabled = on;
            DisabledReason = null;
            // Turned on again: a fresh start, not three days of failures behind it.
            if (on) FailingSince = null;
        }
    }

    /// <summary>An attempt succeeded: whatever failed before is over.</summary>
    public void Recovered() => FailingSince = null;

    /// <summary>An attempt failed. True when that makes <paramref name="limit"/> of failures and the endpoint is turned off now.</summary>
    public bool Failing(DateTimeOffset at, TimeSpan limit)
    {
        FailingSince ??= at;
        if (!Enabled || at - FailingSince < limit) return false;
        Enabled = false;
        DisabledReason = $"Every delivery failed for {limit.TotalDays:0} days.";
        return true;
    }

    public void Rotate(string protectedSecret, DateTimeOffset at)
    {
        PreviousProtectedSecret = ProtectedSecret;
        PreviousSecretUntil = at + WebhookSignature.RotationOverlap;
        ProtectedSecret = protectedSecret;
    }
}

public enum DeliveryState
{
    Pending,
    Delivered,
    /// <summary>Given up: it failed for the whole retry period, or its endpoint was deleted.</summary>
    Failed,
}

/// <summary>
/// One event for one endpoint: written in the transaction of the change it tells (the outbox), so a
/// crash never loses it; sent at least once, in order per conversation. Its id is the <c>webhook-id</c>
/// the receiver deduplicates by.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { }

    /// <summary>A delivery made by hand (a test event, a send again), not by a change to a conversation.</summary>
    public WebhookDelivery(string endpointId, string topic, string body, DateTimeOffset at)
    {
        Id = PublicId.New(WebhookIds.Delivery);
        EndpointId = endpointId;
        Topic = topic;
        Body = body;
        CreatedAt = at;
        NextAttemptAt = at;
    }

    public string Id { get; private set; } = "";
    public string EndpointId { get; private set; } = "";

    /// <summary>The conversation, whose deliveries go in <see cref="Position"/> order; null for a test event.</summary>
    public string? ChannelId { get; private set; }
    public long Position { get; private set; }
    public string Topic { get; private set; } = "";
    public string Body { get; private set; } = "";
    public DeliveryState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }

    /// <summary>Claimed by an instance until then (several instances send each delivery once between them).</summary>
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }

    public void Succeeded(DateTimeOffset at)
    {
        Attempts++;
        State = DeliveryState.Delivered;
        DeliveredAt = at;
        LockedUntil = null;
    }

    public void Failed(DateTimeOffset next, bool giveUp)
    {
        Attempts++;
        LockedUntil = null;
        if (giveUp) State = DeliveryState.Failed;
        else NextAttemptAt = next;
    }

    /// <summary>Send again (from the delivery log): pending once more, now.</summary>
    public void Requeue(DateTimeOffset at)
    {
        State = DeliveryState.Pending;
        NextAttemptAt = at;
        LockedUntil = null;
    }
}

/// <summary>One try at sending a delivery, for the endpoint's delivery log (kept 14 days).</summary>
public sealed class WebhookAttempt
{
    public const int ExcerptLength = 500;

    private WebhookAttempt() { }

    public WebhookAttempt(WebhookDelivery delivery, DateTimeOffset at, int? status, int latencyMs, string? error, string? excerpt)
    {
        Id = PublicId.New(WebhookIds.Attempt);
        DeliveryId = delivery.Id;
        EndpointId = delivery.EndpointId;
        Topic = delivery.Topic;
        At = at;
        Status = status;
        LatencyMs = latencyMs;
        Error = error?.Length > ExcerptLength ? error[..ExcerptLength] : error;
        ResponseExcerpt = excerpt?.Length > ExcerptLength ? excerpt[..ExcerptLength] : excerpt;
    }

    public string Id { get; private set; } = "";
    public string DeliveryId { get; private set; } = "";
    public string EndpointId { get; private set; } = "";
    public string Topic { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    /// <summary>The receiver's HTTP status; null when there was no answer (refused, timed out, unreachable).</summary>
    public int? Status { get; private set; }
    public int LatencyMs { get; private set; }
    public string? Error { get; private set; }
    public string? ResponseExcerpt { get; private set; }

    public bool Succeeded => Status is >= 200 and < 300;
}

public static class WebhookIds
{
    public const string Endpoint = "hook_";
    /// <summary>The <c>webhook-id</c> of a delivery (Standard Webhooks' examples use <c>msg_</c>).</summary>
    public const string Delivery = "msg_";
    public const string Attempt = "whatt_";
    public const string Secret = "whsec_";
}
