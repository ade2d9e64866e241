namespace Whop.Inbox.Messaging;

public static class MessagingSetup
{
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelAccess>();
        builder.Services.AddSingleton<MessageService>();
        builder.Services.AddSingleton<ReactionService>();
        builder.Services.AddSingleton<ReadMarker>();
        return builder;
    }
}
