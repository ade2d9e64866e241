using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Notifications;

/// <summary>
/// Something to tell a person of: what kind it is (their preferences choose), the conversation, and the
/// notification's words and link. <see cref="Key"/> is the same for one happening reached by two feeds.
/// </summary>
public sealed record Alert(NotificationEvent Kind, string ChannelId, string Key, string Title, string Body, string Url);

/// <summary>
/// Which events are worth telling a person of, decided per event on the server from what their own
/// subscriptions delivered: the team's inbox feed (a team member's) and their conversations feed. The
/// audiences have already judged what they may know (a customer never receives a note's event), so the
/// rules only say what matters to them: never their own doing nor a system message.
/// </summary>
public static class AlertRules
{
    /// <param name="me">The person the feed is for.</param>
    /// <param name="teamFeed">True for the company's inbox feed (the team's), false for the person's conversations.</param>
    public static Alert? For(ChatEvent evt, string me, bool teamFeed)
    {
        switch (evt.Data)
        {
            case MessageEvent sent when evt.Type == ChatEventTypes.MessageCreated && evt.Channel is { } channel:
            {
                var message = sent.Message;
                if (sent.IsFrom(me) || message.MessageType == MessageType.System) return null;
                var url = teamFeed ? $"inbox?chat={evt.ChannelId}" : $"messages/{evt.ChannelId}";
                var preview = MessageMarkdown.ToPreview(message.Content);
                if (message.Mentions.Contains(me))
                    return new Alert(NotificationEvent.Mentions, evt.ChannelId, message.Id, $"{message.User.Name} mentioned you", preview, url);
                if (!teamFeed) return new Alert(NotificationEvent.DirectMessages, evt.ChannelId, message.Id, message.User.Name, preview, url);
                // The team's: a customer's own words in a chat that is mine or nobody's yet.
                var fromCustomer = channel.Kind == ChannelKind.Support && message.User.Id == channel.CustomerId && !message.IsNote;
                return fromCustomer && (channel.AssigneeId is null || channel.AssigneeId == me)
                    ? new Alert(NotificationEvent.CustomerMessages, evt.ChannelId, message.Id, message.User.Name, preview, url)
                    : null;
            }
            case SupportChatAssigned assigned when teamFeed && assigned.After?.Id == me && assigned.ByUserId != me:
                return new Alert(NotificationEvent.Assignments, evt.ChannelId, $"{evt.ChannelId}:{evt.Position}", "A chat was assigned to you",
                    assigned.ByUserId is null ? "Automatic assignment gave it to you." : "A teammate gave it to you.", $"inbox?chat={evt.ChannelId}");
            default:
                return null;
        }
    }
}
