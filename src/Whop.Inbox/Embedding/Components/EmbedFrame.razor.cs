using Whop.Inbox.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;

namespace Whop.Inbox.Embedding.Components;

public sealed partial class EmbedFrame : IAsyncDisposable
{
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
    private EmbedSession session = null!;
    private ViewerInfo? viewer;
    private EmbedOptions? options;
    private string? error;

    private JsModule? script;
    private IJSObjectReference? bridge;
    private DotNetObjectReference<EmbedFrame>? self;

    private string StyleName => options?.Style is "imessage" or "discord" ? options.Style : "default";
    private string StateName => error is not null ? "error" : viewer is null ? "connecting" : session.Suspended ? "suspended" : "ready";

    protected override void OnInitialized()
    {
        session = new EmbedSession(Clock, action => InvokeAsync(action));
        session.RenewalDue += () => _ = RequestTokenAsync();
        session.Expired += () =>
        {
            if (viewer is not null) viewer = viewer with { Actor = session.Actor };
            StateHasChanged();
        };
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
        if (session.Credential is null) return Refuse("The element is not connected yet.");
        var checkedToken = await CheckAsync(token);
        if (checkedToken.Failure is { } failure)
        {
            if (failure.Field == "origin")
            {
                session.Suspend(failure.Message);
                if (viewer is not null) viewer = viewer with { Actor = session.Actor };
            }
            return Refuse(failure.Message);
        }
        if (session.IsNews(checkedToken.Value!)) await AcceptAsync(checkedToken.Value!);
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
        if (session.Credential is not { } credential) return Task.FromResult(EmbedReply.Refused("The element is not connected yet: its options come with the first token."));
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
        if (session.Refuses(fresh) is { } someoneElse) return someoneElse;

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
        var heldActor = session.Credential?.Actor;
        var accepted = session.Accept(fresh);
        // The session kept the very actor (same person, company and scopes: its rule): the elements
        // follow with it still, and the viewer shown needs no reading again.
        viewer = viewer is not null && ReferenceEquals(accepted.Actor, heldActor)
            ? viewer with { Actor = accepted.Actor }
            : await Viewers.ForAsync(accepted.Actor, accepted.CompanyId);
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

    private async Task RequestTokenAsync()
    {
        if (bridge is null) return;
        try
        {
            await bridge.InvokeVoidAsync("requestToken");
        }
        catch (JSDisconnectedException)
        {
            session.StopAsking();
        }
    }

    [LoggerMessage(LogLevel.Information, "An embedded {Element} element was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string element, string reason);

    public async ValueTask DisposeAsync()
    {
        session.Dispose();
        JsModule.Stop(bridge);
        if (script is not null) await script.DisposeAsync();
        self?.Dispose();
    }
}
