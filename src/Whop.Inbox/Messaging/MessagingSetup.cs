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

        // Real time: the event log every change writes to.
        builder.Services.AddSingleton<ChatEventLog>();
        return builder;
    }
}
