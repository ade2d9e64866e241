using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Webhooks.Pages;

/// <summary>
/// The company's webhook endpoints, for its admins: add one (its secret shown once), turn it on or off,
/// rotate its secret, delete it, send it a test event, and read its delivery log (sending an attempt's
/// delivery again). Every change goes through <see cref="WebhookService"/>, which checks the rights again.
/// </summary>
public partial class WebhooksPage
{
    private static readonly IReadOnlyList<string> Topics = WebhookTopics.All.Order().ToList();

    [Inject] private WebhookService Hooks { get; set; } = null!;
    [Inject] private WebhookWarnings Warnings { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private IReadOnlyList<WebhookView>? endpoints;
    private int disabledByFailures;
    private readonly Dictionary<string, DeliveryLog> logs = [];

    private string newUrl = "";
    private readonly HashSet<string> chosenTopics = [];
    private bool includeTeamNotes;
    // A refusal of the add form: under the field it names, or above the list when it names none.
    private Failure? formFailure;
    private string? formError;
    private bool busy;

    private ShownSecret? shown;
    private bool copied;
    private string? notice;
    private string? rowError;
    private JsModule? script;

    private bool AllTopicsChosen => chosenTopics.Count == Topics.Count;

    protected override Task OnInitializedAsync()
    {
        script = new JsModule(JS, "./Webhooks/Pages/WebhooksPage.razor.js");
        return LoadAsync();
    }

    private string? ErrorFor(string field) => formFailure?.Field == field ? formFailure.Message : null;

    private async Task LoadAsync()
    {
        var viewer = await Viewer.GetAsync();
        var listed = await Hooks.ListAsync(viewer.Actor, viewer.CompanyId);
        endpoints = listed.Value ?? [];
        if (listed.Failure is { } failure) rowError = failure.Message;
        var disabled = await Hooks.DisabledByFailuresAsync(viewer.Actor, viewer.CompanyId);
        if (disabled != disabledByFailures) Warnings.Report(disabled);
        disabledByFailures = disabled;
        foreach (var gone in logs.Keys.Where(id => endpoints.All(e => e.Id != id)).ToList()) logs.Remove(gone);
    }

    private void ChooseTopic(string topic, bool on)
    {
        if (on) chosenTopics.Add(topic);
        else chosenTopics.Remove(topic);
    }

    private void ChooseAllTopics(bool on)
    {
        chosenTopics.Clear();
        if (on) chosenTopics.UnionWith(Topics);
    }

    private async Task CreateAsync()
    {
        if (busy) return;
        busy = true;
        try
        {
            var viewer = await Viewer.GetAsync();
            // In the list's order, whatever order they were ticked in.
            var events = Topics.Where(chosenTopics.Contains).ToList<string?>();
            var outcome = await Hooks.CreateAsync(viewer.Actor, viewer.CompanyId, newUrl, events, includeTeamNotes, secret: null);
            // A refusal shows beside the field it names; the form keeps what was typed and ticked.
            formFailure = outcome.Failure;
            formError = outcome.Failure is { Field: not ("url" or "events") } other ? other.Message : null;
            if (outcome.Value is { } created)
            {
                (shown, copied) = (new ShownSecret(created.Endpoint.Id, created.Endpoint.Url, created.Secret, Rotated: false), false);
                (newUrl, includeTeamNotes) = ("", false);
                chosenTopics.Clear();
                await LoadAsync();
            }
        }
        finally
        {
            busy = false;
        }
    }

    private async Task CopyAsync()
    {
        if (shown is null || script is null) return;
        copied = await script.InvokeAsync("copy", false, shown.Secret);
    }

    private async Task SetEnabledAsync(WebhookView endpoint, bool on)
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Hooks.UpdateAsync(viewer.Actor, endpoint.Id, url: null, events: null, includeTeamNotes: null, enabled: on);
        rowError = outcome.Failure?.Message;
        notice = outcome.Succeeded ? (on ? $"{endpoint.Url} is on: new events are sent to it." : $"{endpoint.Url} is off: no events are sent to it.") : null;
        await LoadAsync();
    }

    private async Task RotateAsync(WebhookView endpoint)
    {
        if (!await Dialogs.ConfirmAsync("Rotate the signing secret",
                $"Make a new signing secret for {endpoint.Url}? The current one keeps signing deliveries, beside the new one, for a day; after that only the new one does.",
                "Rotate")) return;
        var viewer = await Viewer.GetAsync();
        var outcome = await Hooks.RotateSecretAsync(viewer.Actor, endpoint.Id);
        rowError = outcome.Failure?.Message;
        if (outcome.Value is { } rotated) (shown, copied, notice) = (new ShownSecret(endpoint.Id, endpoint.Url, rotated.Secret, Rotated: true), false, null);
        await LoadAsync();
    }

    private async Task DeleteAsync(WebhookView endpoint)
    {
        if (!await Dialogs.ConfirmAsync("Delete the endpoint",
                $"Delete {endpoint.Url}? Nothing more is sent to it, and its delivery log goes with it.", "Delete")) return;
        var viewer = await Viewer.GetAsync();
        var outcome = await Hooks.DeleteAsync(viewer.Actor, endpoint.Id);
        rowError = outcome.Failure?.Message;
        if (outcome.Succeeded)
        {
            notice = $"{endpoint.Url} was deleted.";
            // Its secret signs nothing any more: it goes from the screen.
            if (shown?.EndpointId == endpoint.Id) shown = null;
        }
        await LoadAsync();
    }

    private async Task SendTestAsync(WebhookView endpoint)
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Hooks.SendTestAsync(viewer.Actor, endpoint.Id);
        rowError = outcome.Failure?.Message;
        notice = outcome.Succeeded ? $"A webhook.test event is on its way to {endpoint.Url}; its delivery log shows how it went." : null;
    }

    private async Task SendAgainAsync(WebhookView endpoint, WebhookAttemptView attempt)
    {
        var viewer = await Viewer.GetAsync();
        var outcome = await Hooks.SendAgainAsync(viewer.Actor, endpoint.Id, attempt.DeliveryId);
        rowError = outcome.Failure?.Message;
        notice = outcome.Succeeded ? $"The {attempt.Topic} event is being sent to {endpoint.Url} again (with the same webhook-id)." : null;
    }

    private Task ToggleLogAsync(WebhookView endpoint)
    {
        if (logs.Remove(endpoint.Id)) return Task.CompletedTask;
        return LoadLogAsync(endpoint.Id);
    }

    /// <summary>The log's first page, newest attempt first (again, when it is open already).</summary>
    private async Task LoadLogAsync(string endpointId)
    {
        var viewer = await Viewer.GetAsync();
        var page = await Hooks.AttemptsAsync(viewer.Actor, endpointId, new PageRequest(First: WebhookService.LogPageSize));
        rowError = page.Failure?.Message;
        if (page.Value is { } first) logs[endpointId] = new DeliveryLog([.. first.Items], first.PageInfo.EndCursor, first.PageInfo.HasNextPage);
    }

    private async Task LoadMoreAsync(WebhookView endpoint)
    {
        if (!logs.TryGetValue(endpoint.Id, out var log) || log.EndCursor is null) return;
        var viewer = await Viewer.GetAsync();
        var page = await Hooks.AttemptsAsync(viewer.Actor, endpoint.Id, new PageRequest(First: WebhookService.LogPageSize, After: log.EndCursor));
        rowError = page.Failure?.Message;
        if (page.Value is { } next)
            logs[endpoint.Id] = new DeliveryLog([.. log.Attempts, .. next.Items.Where(a => log.Attempts.All(seen => seen.Id != a.Id))],
                next.PageInfo.EndCursor ?? log.EndCursor, next.PageInfo.HasNextPage);
    }

    private static string Result(WebhookAttemptView attempt) => (attempt.Status, attempt.Error) switch
    {
        ({ } status, { } error) => $"HTTP {status} · {error}",
        ({ } status, null) => $"HTTP {status}",
        (null, { } error) => error,
        _ => "No answer",
    };

    private sealed record ShownSecret(string EndpointId, string Url, string Secret, bool Rotated);

    private sealed record DeliveryLog(IReadOnlyList<WebhookAttemptView> Attempts, string? EndCursor, bool HasMore);

    public async ValueTask DisposeAsync()
    {
        if (script is not null) await script.DisposeAsync();
    }
}
