using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Identity;

namespace Whop.Inbox.Notifications.Pages;

/// <summary>
/// The signed-in person's profile: their notification preferences (which events, desktop, sound, quiet hours).
/// Saving goes through <see cref="NotificationPreferences"/>, which checks the rights and every value; a refused
/// value is shown at its field and what was typed stays.
/// </summary>
public partial class ProfilePage : IAsyncDisposable
{
    /// <summary>The page's address (the navigation links to it).</summary>
    public const string Address = "profile";

    [Inject] private NotificationPreferences Preferences { get; set; } = null!;
    [Inject] private Viewer Viewer { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;

    private ViewerInfo? viewer;
    private string? loadError;
    private readonly HashSet<NotificationEvent> events = [];
    private bool desktop;
    private bool sound;
    private bool quiet;
    private string? quietStart;
    private string? quietEnd;
    private string? timeZone;
    private Failure? failure;
    private string? formError;
    private bool saved;
    private bool busy;

    private JsModule? script;
    private IJSObjectReference? permissionWatch;
    private ElementReference allowButton;
    private bool watchingButton;
    private DotNetObjectReference<ProfilePage>? self;
    /// <summary>The browser's answer: default (not asked), granted, denied, or unsupported.</summary>
    private string permission = "granted";

    private sealed record Choice(NotificationEvent Event, string Label);

    private IEnumerable<Choice> Choices =>
        viewer?.CanListInbox == true
            ?
            [
                new(NotificationEvent.CustomerMessages, "A customer writes in a chat that is mine or unassigned"),
                new(NotificationEvent.Mentions, "Someone mentions me"),
                new(NotificationEvent.Assignments, "A chat is assigned to me"),
                new(NotificationEvent.DirectMessages, "A new direct message"),
            ]
            :
            [
                new(NotificationEvent.Mentions, "Someone mentions me"),
                new(NotificationEvent.DirectMessages, "A new message in my conversations"),
            ];

    private string PermissionText => permission switch
    {
        "denied" => "This browser blocks notifications from the inbox: allow them in the site's settings.",
        "unsupported" => "This browser cannot show desktop notifications.",
        _ => "This browser has not allowed notifications from the inbox yet.",
    };

    protected override async Task OnInitializedAsync()
    {
        viewer = await Viewer.GetAsync();
        var current = await Preferences.GetAsync(viewer.Actor);
        if (current.Failure is { } refused)
        {
            loadError = refused.Message;
            return;
        }
        Show(current.Value!);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            script = new JsModule(JS, "./Notifications/Pages/ProfilePage.razor.js");
            self = DotNetObjectReference.Create(this);
            var browser = await script.InvokeAsync<BrowserFacts?>("facts", null);
            if (browser is not null)
            {
                permission = browser.Permission ?? "unsupported";
                if (string.IsNullOrEmpty(timeZone)) timeZone = browser.TimeZone;
                StateHasChanged();
            }
        }
        // The button comes and goes with the desktop switch: the script listens on each one that appears.
        var buttonShown = desktop && permission != "granted";
        if (buttonShown && !watchingButton && script is not null)
        {
            watchingButton = true;
            JsModule.Stop(permissionWatch);
            permissionWatch = await script.StartAsync("askOnClick", allowButton, self);
        }
        else if (!buttonShown) watchingButton = false;
    }

    private sealed record BrowserFacts(string? Permission, string? TimeZone);

    /// <summary>The browser's answer after the person clicked Allow.</summary>
    [JSInvokable]
    public Task PermissionChanged(string answer) => InvokeAsync(() =>
    {
        permission = answer;
        StateHasChanged();
    });

    private void Show(NotificationSettings settings)
    {
        events.Clear();
        events.UnionWith(settings.Events);
        desktop = settings.Desktop;
        sound = settings.Sound;
        quiet = settings.Quiet is not null;
        if (settings.Quiet is { } hours) (quietStart, quietEnd, timeZone) = (hours.Start, hours.End, hours.TimeZone);
    }

    private void Toggle(NotificationEvent kind, bool on)
    {
        if (on) events.Add(kind);
        else events.Remove(kind);
        saved = false;
    }

    private string? ErrorFor(string field) => failure?.Field == field ? failure.Message : null;

    private async Task SaveAsync()
    {
        if (viewer is null || busy) return;
        busy = true;
        saved = false;
        try
        {
            var change = new PreferencesChange(
                events.Select(e => (string?)NotificationPreferences.EventNames[(int)e]).ToList(), desktop, sound,
                new Optional<QuietHoursInput?>(quiet ? new QuietHoursInput(quietStart?.Trim(), quietEnd?.Trim(), timeZone?.Trim()) : null));
            var outcome = await Preferences.UpdateAsync(viewer.Actor, change);
            failure = outcome.Failure;
            // A refusal with a field shows at the field; one without, above the button. What was typed stays either way.
            formError = failure is { Field: null } ? failure.Message : null;
            saved = outcome.Succeeded;
        }
        finally
        {
            busy = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        JsModule.Stop(permissionWatch);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}
