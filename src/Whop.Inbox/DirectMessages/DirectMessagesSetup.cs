namespace Whop.Inbox.DirectMessages;

public static class DirectMessagesSetup
{
    public static IHostApplicationBuilder AddDirectMessages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConversationList>();
        builder.Services.AddSingleton<DirectMessageService>();
        return builder;
    }
}
