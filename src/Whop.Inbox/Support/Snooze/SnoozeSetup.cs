namespace Whop.Inbox.Support.Snooze;

public static class SnoozeSetup
{
    /// <summary>Snoozing chats, and the background work that wakes them when their time comes.</summary>
    public static IHostApplicationBuilder AddSnooze(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SnoozeOptions>().BindConfiguration(SnoozeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<Snoozes>();
        builder.Services.AddHostedService<SnoozeWaker>();
        return builder;
    }
}
