using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Whop.Inbox.Common;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;
using static Whop.Inbox.Common.ApiWire;

namespace Whop.Inbox.Webhooks;

/// <summary>Ours: <c>/webhooks</c>, a company's endpoints (admins and the company's API keys).</summary>
public static class WebhooksApi
{
    public sealed record CreateWebhookRequest(string? CompanyId, string? Url, List<string?>? Events, bool? IncludeTeamNotes, string? Secret);

    public sealed record UpdateWebhookRequest(string? Url, List<string?>? Events, bool? IncludeTeamNotes, bool? Enabled);

    /// <summary>An endpoint; <c>secret</c> only in the answer that made it (registration, rotation).</summary>
    public sealed record WebhookResponse(string Id, string CompanyId, string Url, IReadOnlyList<string> Events, bool IncludeTeamNotes, bool Enabled,
        string? DisabledReason, DateTimeOffset? FailingSince, DateTimeOffset CreatedAt, string? Secret = null)
    {
        public static WebhookResponse From(WebhookView w, string? secret = null) =>
            new(w.Id, w.CompanyId, w.Url, w.Events, w.IncludeTeamNotes, w.Enabled, w.DisabledReason, w.FailingSince, w.CreatedAt, secret);
    }

    public sealed record WebhookAttemptResponse(string Id, string DeliveryId, string Type, DateTimeOffset At, int? Status, int LatencyMs,
        string? Error, string? ResponseExcerpt, bool Succeeded)
    {
        public static WebhookAttemptResponse From(WebhookAttemptView a) =>
            new(a.Id, a.DeliveryId, a.Topic, a.At, a.Status, a.LatencyMs, a.Error, a.ResponseExcerpt, a.Succeeded);
    }

    public sealed record TestSentResponse(string DeliveryId);

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var hooks = api.MapGroup("/webhooks").WithTags("Webhooks");
        hooks.MapGet("/", ListAsync).WithSummary("The company's webhook endpoints.");
        hooks.MapPost("/", CreateAsync).WithSummary("Register an HTTPS endpoint for some topics; the answer carries its secret, shown this once.");
        hooks.MapGet("/{id}", GetAsync).WithSummary("Retrieve an endpoint.");
        hooks.MapPatch("/{id}", UpdateAsync).WithSummary("Change an endpoint's url, events, include_team_notes, or turn it on or off.");
        hooks.MapDelete("/{id}", DeleteAsync).WithSummary("Delete an endpoint, with its pending deliveries and its log.");
        hooks.MapPost("/{id}/rotate_secret", RotateAsync).WithSummary("A new secret (shown once); the old one still signs for a day.");
        hooks.MapGet("/{id}/attempts", AttemptsAsync).WithSummary("The delivery log, newest first (kept 14 days).");
        hooks.MapPost("/{id}/test", TestAsync).WithSummary("Send a webhook.test event to the endpoint.");
        hooks.MapPost("/{id}/deliveries/{deliveryId}/retry", RetryAsync).WithSummary("Send a delivery again, with the same webhook-id.");
        return api;
    }

    public static async Task<Results<Ok<PageResponse<WebhookResponse>>, ApiProblem>> ListAsync(Actor actor, WebhookService hooks,
        DefaultCompany defaultCompany, CancellationToken ct, [FromQuery(Name = "company_id")] string? companyId = null) =>
        await hooks.ListAsync(actor, companyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct), ct)
            .ToResultAsync(list => new PageResponse<WebhookResponse>(list.Select(w => WebhookResponse.From(w)).ToList(),
                new PageInfo(null, null, false, false)));

    public static async Task<Results<Ok<WebhookResponse>, ApiProblem>> CreateAsync(CreateWebhookRequest? request, Actor actor, WebhookService hooks,
        DefaultCompany defaultCompany, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        var companyId = request.CompanyId ?? actor.CompanyId ?? await defaultCompany.IdAsync(ct);
        return await hooks.CreateAsync(actor, companyId, request.Url, request.Events, request.IncludeTeamNotes ?? false, request.Secret, ct)
            .ToResultAsync(created => WebhookResponse.From(created.Endpoint, created.Secret));
    }

    public static Task<Results<Ok<WebhookResponse>, ApiProblem>> GetAsync(string id, Actor actor, WebhookService hooks, CancellationToken ct) =>
        hooks.GetAsync(actor, id, ct).ToResultAsync(w => WebhookResponse.From(w));

    public static async Task<Results<Ok<WebhookResponse>, ApiProblem>> UpdateAsync(string id, UpdateWebhookRequest? request, Actor actor,
        WebhookService hooks, CancellationToken ct)
    {
        if (request is null) return ApiProblems.Problem(StatusCodes.Status400BadRequest, "A JSON body is required.");
        return await hooks.UpdateAsync(actor, id, request.Url, request.Events, request.IncludeTeamNotes, request.Enabled, ct)
            .ToResultAsync(w => WebhookResponse.From(w));
    }

    public static Task<Results<Ok<bool>, ApiProblem>> DeleteAsync(string id, Actor actor, WebhookService hooks, CancellationToken ct) =>
        hooks.DeleteAsync(actor, id, ct).ToResultAsync(_ => true);

    public static Task<Results<Ok<WebhookResponse>, ApiProblem>> RotateAsync(string id, Actor actor, WebhookService hooks, CancellationToken ct) =>
        hooks.RotateSecretAsync(actor, id, ct).ToResultAsync(created => WebhookResponse.From(created.Endpoint, created.Secret));

    public static Task<Results<Ok<PageResponse<WebhookAttemptResponse>>, ApiProblem>> AttemptsAsync(string id, Actor actor, WebhookService hooks,
        CancellationToken ct, int? first = null, string? after = null, int? last = null, string? before = null) =>
        hooks.AttemptsAsync(actor, id, new PageRequest(first, after, last, before), ct).ToResultAsync(page => page.ToResponse(WebhookAttemptResponse.From));

    public static Task<Results<Ok<TestSentResponse>, ApiProblem>> TestAsync(string id, Actor actor, WebhookService hooks, CancellationToken ct) =>
        hooks.SendTestAsync(actor, id, ct).ToResultAsync(deliveryId => new TestSentResponse(deliveryId));

    public static Task<Results<Ok<bool>, ApiProblem>> RetryAsync(string id, string deliveryId, Actor actor, WebhookService hooks, CancellationToken ct) =>
        hooks.SendAgainAsync(actor, id, deliveryId, ct).ToResultAsync(_ => true);
}

public static class WebhooksSetup
{
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.Section);
        builder.Services.AddSingleton<WebhookTargets>();
        builder.Services.AddSingleton<WebhookDirectory>();
        builder.Services.AddSingleton<WebhookOutbox>();
        builder.Services.AddSingleton<WebhookService>();
        builder.Services.AddScoped<Pages.WebhookWarnings>();
        builder.Services.AddHostedService<WebhookSender>();
        builder.Services.AddHostedService<WebhookPruner>();
        return builder;
    }
}
