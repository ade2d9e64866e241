namespace Whop.Inbox.Notifications;

/// <summary>Notifications: the tab's unread count, desktop notifications and sounds, and each person's preferences (docs/notifications.md).</summary>
public static class NotificationsSetup
{
    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<NotificationPreferences>();
        builder.Services.AddSingleton<NotificationWatches>();
        return builder;
    }
}
