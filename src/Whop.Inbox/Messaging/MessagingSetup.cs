using Microsoft.AspNetCore.SignalR;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Writes;

namespace Whop.Inbox.Messaging;

public static class MessagingSetup
{
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ChannelAccess>();
        builder.Services.AddSingleton<MessageService>();
        builder.Services.AddSingleton<ReactionService>();
        builder.Services.AddSingleton<ReadMarker>();
        builder.Services.AddSingleton<ConversationWrites>();

        // Real time: the event log, the queue and dispatcher every committed event passes through to this
        // instance's notifier (fed by PostgreSQL's listener or by SQLite's commits; see Data/), typing, and the hub.
        builder.Services.AddSingleton<ChatEventLog>();
        builder.Services.AddSingleton<ChatEventQueue>();
        builder.Services.AddHostedService<ChatEventDispatcher>();
        builder.Services.AddSingleton<ChatNotifier>();
        builder.Services.AddSingleton<TypingTracker>();
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.AddHostedService<ChatEventLogPruner>();
        // Hub payloads are snake_case with enum names, exactly as the REST API's. The filters are the chat
        // hub's alone: the pages' own connection (Blazor's circuit) carries clicks and script replies, and
        // a click must never be refused because the same person's integration used up the API allowance.
        builder.Services.AddSingleton<HubRateLimit>();
        // The chat hub's filters once for the app, not made again for every call.
        builder.Services.AddSingleton<HubFailureLog>();
        builder.Services.AddSingleton<HubOutage>();
        builder.Services.AddSingleton<StoredText.HubFilter>();
        // Every failed call, a refusal included, logged as an error with its stack trace: HubFailureLog logs the real failures instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.Critical);
        builder.Services.AddSignalR()
            .AddJsonProtocol(o => ApiSetup.Configure(o.PayloadSerializerOptions))
            .AddHubOptions<ChatHub>(o =>
            {
                o.AddFilter<HubFailureLog>();
                o.AddFilter<HubOutage>();
                o.AddFilter<HubRateLimit>();
                o.AddFilter<Admission.HubAdmission>();
                o.AddFilter<StoredText.HubFilter>();
            });
        return builder;
    }

    /// <summary><c>/hubs/chat</c>, for cookie, API key and access-token callers alike.</summary>
    public static IEndpointRouteBuilder MapChatHub(this IEndpointRouteBuilder app)
    {
        // A connection ends when its cookie or token expires, rather than outliving the credential.
        // Connecting draws on the caller's allowance too (an address's, without a credential).
        app.MapHub<ChatHub>(ChatHub.Path, o => o.CloseOnAuthenticationExpiration = true)
            .RequireAuthorization(IdentitySetup.HubCaller)
            .RequireRateLimiting(RateLimiting.ApiPolicy);
        return app;
    }
}
