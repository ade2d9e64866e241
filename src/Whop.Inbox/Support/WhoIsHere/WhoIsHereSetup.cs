using Microsoft.AspNetCore.Components.Server.Circuits;

namespace Whop.Inbox.Support.WhoIsHere;

public static class WhoIsHereSetup
{
    /// <summary>Who of the team is in which chat: the board (one per instance) and each page's own list of what it has open.</summary>
    public static IServiceCollection AddWhoIsHere(this IServiceCollection services)
    {
        services.AddSingleton<ChatViewers>();
        services.AddHostedService(sp => sp.GetRequiredService<ChatViewers>());
        services.AddScoped<ViewingCircuit>();
        services.AddScoped<CircuitHandler>(sp => sp.GetRequiredService<ViewingCircuit>());
        return services;
    }
}
