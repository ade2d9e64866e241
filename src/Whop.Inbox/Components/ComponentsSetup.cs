using Radzen;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.Account;

namespace Whop.Inbox.Components;

public static class ComponentsSetup
{
    public static IHostApplicationBuilder AddInboxUi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddScoped<Viewer>();
        builder.Services.AddSingleton<PeopleSearch>();
        builder.Services.AddSingleton<Messaging.OwnReactions>();
        return builder;
    }

    public static WebApplication MapInboxUi(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapAccountEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
