using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
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

/// <summary>What an element inside the frame works with. <c>Suspended</c>: the token lapsed; a fresh one is on its way.</summary>
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
    /// <summary>While no fresh token has come, the frame asks again this often.</summary>
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
    private bool expired;
    private string? error;

    private IJSObjectReference? module;
    private IJSObjectReference? bridge;
    private DotNetObjectReference<EmbedFrame>? self;
    private ITimer? renewTimer;
    private ITimer? expiryTimer;

    private string StyleName => options?.Style is "imessage" or "discord" ? options.Style : "default";
    private string StateName => error is not null ? "error" : viewer is null ? "connecting" : expired ? "suspended" : "ready";

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
        module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/embed-frame.js");
        bridge = await module.InvokeAsync<IJSObjectReference?>("start", self, hostOrigin);
        if (bridge is null)
        {
            error = "This element opens inside a page that includes the embed script.";
            StateHasChanged();
        }
    }

    /// <summary>The host's first token and options (and again whenever the host starts over).</summary>
    [JSInvokable]
    public async Task<EmbedReply> ConnectAsync(string? token, EmbedOptions? hostOptions)
    {
        var read = await Credentials.ReadAsync(token);
        if (read.Failure is { } failure) return Fail(failure.Message);
        var fresh = read.Value!;
        if (credential is not null && fresh.UserId != credential.UserId)
            return Fail("The token is for someone else: mount the element again for another person.");

        // The frame-ancestors header let this page be framed by an origin its address named; the
        // token's company must allow the origin that is really talking to us.
        var allowed = await Settings.OriginsOfAsync(fresh.CompanyId) ?? [];
        if (!allowed.Contains(hostOrigin!))
            return Fail($"This site ({hostOrigin}) is not allowed to embed this company's inbox. An admin adds it under Settings › Embedding.");
        hostOptions ??= new EmbedOptions();
        if (hostOptions.CompanyId is { Length: > 0 } companyId && companyId != fresh.CompanyId)
            return Fail("The token belongs to another company than the element's companyId.");

        error = null;
        options = hostOptions;
        await AcceptAsync(fresh);
        return new EmbedReply(true);
    }

    /// <summary>A fresh token for the same person: replaces the old one in place (nothing reloads, drafts stay).</summary>
    [JSInvokable]
    public async Task<EmbedReply> RenewAsync(string? token)
    {
        if (credential is null) return new EmbedReply(false, "The element is not connected yet.");
        var read = await Credentials.ReadAsync(token);
        if (read.Failure is { } failure) return new EmbedReply(false, failure.Message);
        var fresh = read.Value!;
        if (fresh.UserId != credential.UserId || fresh.CompanyId != credential.CompanyId)
            return new EmbedReply(false, "The new token is for someone else: mount the element again for another person.");
        await AcceptAsync(fresh);
        return new EmbedReply(true);
    }

    /// <summary>The host changed options (another conversation, another style) after mounting.</summary>
    [JSInvokable]
    public Task UpdateOptionsAsync(EmbedOptions? hostOptions)
    {
        if (hostOptions is null || credential is null) return Task.CompletedTask;
        if (hostOptions.CompanyId is { Length: > 0 } companyId && companyId != credential.CompanyId)
        {
            error = "The token belongs to another company than the element's companyId.";
        }
        options = hostOptions;
        StateHasChanged();
        return Task.CompletedTask;
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

    private async Task AcceptAsync(EmbedCredential fresh)
    {
        credential = fresh;
        viewer = await Viewers.ForAsync(fresh.Actor, fresh.CompanyId);
        expired = false;
        Schedule(fresh.ExpiresAt);
        StateHasChanged();
    }

    private EmbedReply Fail(string message)
    {
        // A refusal before anything was shown replaces the element; later ones leave it as it is.
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
        renewTimer = Clock.CreateTimer(_ => _ = InvokeAsync(RequestTokenAsync), null, left - lead, RenewalRetry);
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
        expired = true;
        viewer = viewer with { Actor = Actor.Anonymous };
        StateHasChanged();
    }

    [LoggerMessage(LogLevel.Information, "An embedded {Element} element was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string element, string reason);

    public async ValueTask DisposeAsync()
    {
        renewTimer?.Dispose();
        expiryTimer?.Dispose();
        try
        {
            if (bridge is not null)
            {
                await bridge.InvokeVoidAsync("dispose");
                await bridge.DisposeAsync();
            }
            if (module is not null) await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the page.
        }
        self?.Dispose();
    }
}
