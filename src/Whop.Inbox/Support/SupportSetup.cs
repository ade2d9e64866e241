namespace Whop.Inbox.Support;

public static class SupportSetup
{
    public static IHostApplicationBuilder AddSupport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SupportChats>();
        builder.Services.AddSingleton<InboxQueries>();
        return builder;
    }
}
