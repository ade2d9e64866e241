using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Whop.Inbox.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>
/// The one base of the component tests: MudBlazor's services, the app's real services over the real
/// (PostgreSQL) database of the shared app, and the browser's script calls answered loosely. Each test
/// is one "circuit": its own <see cref="Viewer"/>, signed in as whom the test says.
/// </summary>
[Collection(AppCollection.Name)]
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    protected ComponentTest(InboxApp app)
    {
        App = app;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // Scoped in the app (one per circuit): one per test here, signed in as SignInAsync says.
        Services.AddScoped(sp => new Viewer(sp.GetRequiredService<AuthenticationStateProvider>(), app.Services.GetRequiredService<DefaultCompany>(), app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>()));
        // Everything else is the app's own, as a circuit of the running app gets it.
        _appScope = app.Services.CreateAsyncScope();
        Services.AddFallbackServiceProvider(_appScope.ServiceProvider);
    }

    private readonly AsyncServiceScope _appScope;

    /// <summary>xUnit 2 disposes test classes synchronously; MudBlazor's services only asynchronously. So: here.</summary>
    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _appScope.DisposeAsync();
    }

    protected InboxApp App { get; }

    /// <summary>Signs the test's circuit in as an existing user (by username), as the cookie would.</summary>
    protected async Task<ViewerInfo> SignInAsync(string username)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync();
        var auth = AddAuthorization();
        auth.SetAuthorized(username);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, id));
        return await Services.GetRequiredService<Viewer>().GetAsync();
    }

    /// <summary>MudBlazor's popovers and dialogs draw into these; render them before the component under test.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderProviders()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }
}
