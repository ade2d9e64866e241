using MudBlazor;
using MudBlazor.Services;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Account;

namespace Whop.Inbox.Components;

public static class ComponentsSetup
{
    public static IHostApplicationBuilder AddInboxUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        // Notices (InboxComponent) in a corner away from the buttons one would press again.
        builder.Services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft);
        builder.Services.AddSingleton<ThemePreference>();
        builder.Services.AddScoped<Viewer>();
        builder.Services.AddSingleton<PeopleSearch>();
        builder.Services.AddSingleton<Messaging.OwnReactions>();
        builder.Services.AddTransient<Messaging.Components.ConversationFeed>();
        return builder;
    }

    public static WebApplication MapInboxUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        // No compression on the circuits' WebSocket: the embedded elements may be framed by other
        // origins (Embedding/EmbedFraming), and compressed frames mixing secrets with what a framing
        // page can influence leak those secrets through their sizes (a BREACH-style side channel).
        // ASP.NET Core forbids cross-origin framing while compression is on.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);
        return app;
    }
}
