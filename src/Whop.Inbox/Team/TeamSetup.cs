namespace Whop.Inbox.Team;

public static class TeamSetup
{
    public static IHostApplicationBuilder AddTeam(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TeamService>();
        builder.Services.AddSingleton<Presence>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Presence>());
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PresenceCircuit>();
        return builder;
    }
}
