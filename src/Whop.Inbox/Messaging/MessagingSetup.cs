using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Messaging;

public static class MessagingSetup
{
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelAccess>();
        builder.Services.AddSingleton<MessageService>();
        builder.Services.AddSingleton<ReactionService>();
        builder.Services.AddSingleton<ReadMarker>();

        // Real time: the event log, this instance's listener and notifier, typing.
        builder.Services.AddSingleton<ChatEventLog>();
        builder.Services.AddSingleton<ChatNotifier>();
        builder.Services.AddSingleton<TypingTracker>();
        builder.Services.AddHostedService<ChatEventListener>();
        return builder;
    }
}
