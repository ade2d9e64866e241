using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Support.Labels;

public static class LabelsSetup
{
    /// <summary>Labels and priorities: how the team sorts its support chats.</summary>
    public static IServiceCollection AddLabelsAndPriority(this IServiceCollection services)
    {
        services.AddSingleton<LabelChanges>();
        services.AddSingleton<Labels>();
        services.AddSingleton<Priorities>();
        return services;
    }
}
