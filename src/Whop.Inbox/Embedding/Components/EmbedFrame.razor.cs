using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding.Components;

/// <summary>What the host asked for: the seeds' element options.</summary>
public sealed record EmbedOptions(
    string? ChannelId = null,
    string? CompanyId = null,
    string? SelectedChannel = null,
    string? Style = null,
    EmbedEmptyState? EmptyState = null,
    bool HandleLinks = false);

/// <summary>What an element shows when it has nothing to show.</summary>
public sealed record EmbedEmptyState(string? Title, string? Description);

/// <summary>What an element inside the frame works with. <c>Suspended</c>: it acts for no one (the token lapsed, or the site is no longer allowed).</summary>
public sealed record EmbedContext(ViewerInfo Viewer, EmbedOptions Options, bool Suspended);

/// <summary>The frame's answer to the host, relayed as the <c>ready</c> or <c>error</c> event.</summary>
public sealed record EmbedReply(bool Ok, string? Error = null)
{
    public static EmbedReply Refused(string error) => new(false, error);
}

public sealed partial class EmbedFrame : IAsyncDisposable
{
    /// <summary>How long before expiry the frame asks the host for a fresh token, at most; short tokens are renewed at four fifths of their life.</summary>
    private static readonly TimeSpan RenewalLead = TimeSpan.FromSeconds(60);
    /// <summary>
    /// While no fresh token has come, the frame asks again this often; and it never asks sooner than
    /// this after a token was accepted, whatever the token's life (a host handing out tokens of a few
    /// seconds gets a short gap, not a stream of requests).
    /// </summary>
    private static readonly TimeSpan RenewalRetry = TimeSpan.FromSeconds(5);

    [Inject] private EmbedCredentials Credentials { get; set; } = null!;
    [Inject] private EmbedSettings Settings { get; set; } = null!;
    [Inject] private Viewer Viewers { get; set; } = null!;
    [Inject] private IJSRuntime JS { get; set; } = null!;
    [Inject] private TimeProvider Clock { get; set; } = null!;
    [Inject] private ILogger<EmbedFrame> Logger { get; set; } = null!;

    /// <summary>The host page's origin, as the embed script put it in the frame's address.</summary>
    [Parameter, EditorRequired] public string? Host { get; set; }

    /// <summary>Which element this is (<c>chat</c>, <c>dms</c>), for messages.</summary>
    [Parameter, EditorRequired] public string Element { get; set; } = "";

    [Parameter, EditorRequired] public RenderFragment<EmbedContext> ChildContent { get; set; } = null!;

    private string? hostOrigin;
    private ViewerInfo? viewer;
    private EmbedCredential? credential;
    private EmbedOptions? options;
    private bool suspended;
    /// <summary>Why the element stopped acting when it was not simply its token lapsing.</summary>
    private string? suspendedBecause;
    private string? error;

    private JsModule? script;
    private IJSObjectReference? bridge;
    private DotNetObjectReference<EmbedFrame>? self;
    private ITimer? renewTimer;
    private ITimer? expiryTimer;

    private string StyleName => options?.Style is "imessage" or "discord" ? options.Style : "default";
    private string StateName => error is not null ? "error" : viewer is null ? "connecting" : suspended ? "suspended" : "ready";

    protected override void OnInitialized()
    {
        var parsed = EmbedOrigin.Parse(Host, "host");
        if (parsed.Failure is not null) error = "This element opens inside a page that includes the embed script.";
        else hostOrigin = parsed.Value;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || hostOrigin is null) return;
        self = DotNetObjectReference.Create(this);
        script = new JsModule(JS, "./Embedding/Components/EmbedFrame.razor.js");
        bridge = await script.StartAsync("start", self, hostOrigin);
        if (bridge is null && !script.IsDisposed)
        {
            error = "This element opens inside a page that includes the embed script.";
            StateHasChanged();
        }
    }

    /// <summary>The host's first token and options (and again whenever the host starts over).</summary>
    [JSInvokable]
    public async Task<EmbedReply> ConnectAsync(string? token, EmbedOptions? hostOptions)
    {
        var checkedToken = await CheckAsync(token);
        if (checkedToken.Failure is { } failure) return Refuse(failure.Message);
        var fresh = checkedToken.Value!;
        hostOptions ??= new EmbedOptions();
        if (CompanyMismatch(hostOptions, fresh.CompanyId) is { } mismatch) return Refuse(mismatch);

        error = null;
        options = hostOptions;
        await AcceptAsync(fresh);
        return new EmbedReply(true);
    }

    /// <summary>
    /// A fresh token for the same person: replaces the old one in place (nothing reloads, drafts
    /// stay). The site must still be allowed: one an admin removed stops acting at the next renewal.
    /// </summary>
    [JSInvokable]
    public async Task<EmbedReply> RenewAsync(string? token)
    {
        if (credential is null) return Refuse("The element is not connected yet.");
        var checkedToken = await CheckAsync(token);
        if (checkedToken.Failure is { } failure)
        {
            if (failure.Field == "origin") Suspend(failure.Message);
            return Refuse(failure.Message);
        }
        var fresh = checkedToken.Value!;
        // A host that hands back the token it already gave (or another ending no later, acting the
        // same) changes nothing: keep the current one; the renewal timer keeps asking, every
        // RenewalRetry, until a later one comes.
        if (!suspended && fresh.ExpiresAt <= credential.ExpiresAt && fresh.ActsAsSameAs(credential)) return new EmbedReply(true);
        await AcceptAsync(fresh);
        return new EmbedReply(true);
    }

    /// <summary>
    /// The host changed options (another conversation, another style) after mounting. Options for
    /// another company than the token's are refused and the element keeps the ones it has.
    /// </summary>
    [JSInvokable]
    public Task<EmbedReply> UpdateOptionsAsync(EmbedOptions? hostOptions)
    {
        if (hostOptions is null) return Task.FromResult(new EmbedReply(true));
        // The embed script sends options only once the frame is ready; these have no connection to go with.
        if (credential is null) return Task.FromResult(EmbedReply.Refused("The element is not connected yet: its options come with the first token."));
        if (CompanyMismatch(hostOptions, credential.CompanyId) is { } mismatch) return Task.FromResult(Refuse(mismatch));
        options = hostOptions;
        StateHasChanged();
        return Task.FromResult(new EmbedReply(true));
    }

    /// <summary>Tells the host page something happened (the embed script's events).</summary>
    public async Task EmitAsync(string name, object data)
    {
        if (bridge is null) return;
        try
        {
            await bridge.InvokeVoidAsync("emit", name, data);
        }
        catch (JSDisconnectedException)
        {
            // The frame is gone; so is whoever listened.
        }
    }

    /// <summary>
    /// The one check of a token from the host, on connecting and on every renewal: a live access
    /// token, for the person already shown if any, whose company allows the origin really talking to us.
    /// </summary>
    private async Task<Outcome<EmbedCredential>> CheckAsync(string? token)
    {
        var read = await Credentials.ReadAsync(token);
        if (read.Failure is { } failure) return failure;
        var fresh = read.Value!;
        if (credential is not null && (fresh.UserId != credential.UserId || fresh.CompanyId != credential.CompanyId))
            return Failure.Invalid("token", "The token is for someone else: mount the element again for another person.");

        // The frame-ancestors header let this page be framed by an origin its address named; the
        // token's company must allow the origin that is really talking to us, now (not as cached).
        var allowed = await Settings.OriginsOfAsync(fresh.CompanyId) ?? [];
        if (!allowed.Contains(hostOrigin!))
            return Failure.Invalid("origin", $"This site ({hostOrigin}) is not allowed to embed this company's inbox. An admin adds it under Settings › Embedding.");
        return fresh;
    }

    private static string? CompanyMismatch(EmbedOptions wanted, string tokenCompany) =>
        wanted.CompanyId is { Length: > 0 } companyId && companyId != tokenCompany
            ? "The token belongs to another company than the element's companyId."
            : null;

    private async Task AcceptAsync(EmbedCredential fresh)
    {
        if (credential is not null && viewer is not null && fresh.ActsAsSameAs(credential))
        {
            // Same person, company and scopes: keep the very actor the elements follow with, so a
            // renewal neither re-subscribes the conversation nor reloads the list.
            fresh = fresh with { Actor = credential.Actor };
            viewer = viewer with { Actor = fresh.Actor };
        }
        else
        {
            viewer = await Viewers.ForAsync(fresh.Actor, fresh.CompanyId);
        }
        credential = fresh;
        (suspended, suspendedBecause) = (false, null);
        Schedule(fresh.ExpiresAt);
        StateHasChanged();
    }

    /// <summary>Every refusal: logged, and when nothing was shown yet it replaces the element (later ones leave it as it is).</summary>
    private EmbedReply Refuse(string message)
    {
        if (viewer is null) error = message;
        LogRefused(Logger, Element, message);
        StateHasChanged();
        return EmbedReply.Refused(message);
    }

    /// <summary>Ask for a fresh token a little before expiry (again and again until one comes); at expiry, stop acting.</summary>
    private void Schedule(DateTimeOffset expiresAt)
    {
        renewTimer?.Dispose();
        expiryTimer?.Dispose();
        var left = expiresAt - Clock.GetUtcNow();
        if (left < TimeSpan.Zero) left = TimeSpan.Zero;
        var lead = TimeSpan.FromTicks(Math.Min(RenewalLead.Ticks, left.Ticks / 5));
        var ask = left - lead < RenewalRetry ? RenewalRetry : left - lead;
        renewTimer = Clock.CreateTimer(_ => _ = InvokeAsync(RequestTokenAsync), null, ask, RenewalRetry);
        expiryTimer = Clock.CreateTimer(_ => _ = InvokeAsync(Expire), null, left, Timeout.InfiniteTimeSpan);
    }

    private async Task RequestTokenAsync()
    {
        if (bridge is null) return;
        try
        {
            await bridge.InvokeVoidAsync("requestToken");
        }
        catch (JSDisconnectedException)
        {
            renewTimer?.Dispose();
        }
    }

    /// <summary>The token is over: the elements keep what they show (and any draft) but act for no one until renewed.</summary>
    private void Expire()
    {
        if (viewer is null || credential is null) return;
        var left = credential.ExpiresAt - Clock.GetUtcNow();
        if (left > TimeSpan.Zero)
        {
            // A timer may fire a hair early; expiry is when the token says.
            expiryTimer?.Dispose();
            expiryTimer = Clock.CreateTimer(_ => _ = InvokeAsync(Expire), null, left, Timeout.InfiniteTimeSpan);
            return;
        }
        Suspend(null);
    }

    /// <summary>
    /// Stop acting for anyone, keeping what is shown. A lapsed token (no reason) keeps asking for a
    /// fresh one; a refused site does not: the host starts again once it is allowed.
    /// </summary>
    private void Suspend(string? reason)
    {
        if (viewer is null) return;
        if (reason is not null)
        {
            renewTimer?.Dispose();
            expiryTimer?.Dispose();
        }
        (suspended, suspendedBecause) = (true, reason);
        viewer = viewer with { Actor = Actor.Anonymous };
        StateHasChanged();
    }

    [LoggerMessage(LogLevel.Information, "An embedded {Element} element was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string element, string reason);

    public async ValueTask DisposeAsync()
    {
        renewTimer?.Dispose();
        expiryTimer?.Dispose();
        await JsModule.StopAsync(bridge);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}
