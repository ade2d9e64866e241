namespace Whop.Inbox.Team;

public static class TeamSetup
{
    public static IHostApplicationBuilder AddTeam(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TeamService>();
        return builder;
    }
}
