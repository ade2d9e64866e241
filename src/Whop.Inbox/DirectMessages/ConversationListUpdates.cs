using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.DirectMessages;

/// <summary>
/// Keeps a person's conversation list current from their events without a query: a message updates
/// its row's preview, time and unread badge and moves it to the top; reading clears the badge;
/// leaving or a deleted DM takes the row away. What an event cannot describe (a conversation not in
/// the list yet, a new name or member list, an edit or delete that may change the preview) asks for
/// the list to be read again, once per burst.
/// </summary>
public static class ConversationListUpdates
{
    /// <summary>The list after <paramref name="evt"/>, and whether it must be read again instead.</summary>
    public static (IReadOnlyList<ConversationRow> Rows, bool Reload) Apply(IReadOnlyList<ConversationRow> rows, ChatEvent evt, string? me)
    {
        if (evt.Type == ChatEventTypes.Resync) return (rows, true);
        var index = IndexOf(rows, evt.ChannelId);
        if (evt.Type is ChatEventTypes.DmDeleted || evt.Data is MemberRemoved { } removed && removed.UserId == me)
            return (index < 0 ? rows : Without(rows, index), false);
        if (index < 0) return (rows, evt.Type is ChatEventTypes.MessageCreated or ChatEventTypes.DmCreated
            or ChatEventTypes.MemberAdded or ChatEventTypes.SupportChatCreated);

        var row = rows[index];
        switch (evt.Data)
        {
            case MessageEvent sent when evt.Type == ChatEventTypes.MessageCreated:
                row = row with
                {
                    UnreadCount = UnreadCounts.AfterNewMessage(row.UnreadCount, sent, me),
                    Preview = sent.Message.MessageType == MessageType.System ? row.Preview : UnreadCounts.Preview(sent.Message.Content),
                    LastActivityAt = evt.Channel?.LastActivityAt ?? row.LastActivityAt,
                    MemberCount = evt.Channel?.MemberCount ?? row.MemberCount,
                };
                // Most recent first: the row moves to the top.
                return ([row, .. Without(rows, index)], false);
            case ReadChanged read when read.UserId == me:
                return (Replaced(rows, index, row with { UnreadCount = 0 }), false);
            case MessageEvent or MessageDeleted or DmRenamed or MemberAdded or MemberRemoved:
                return (rows, true);
            default:
                return (rows, false);
        }
    }

    private static int IndexOf(IReadOnlyList<ConversationRow> rows, string channelId)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].ChannelId == channelId) return i;
        }
        return -1;
    }

    private static List<ConversationRow> Without(IReadOnlyList<ConversationRow> rows, int index) =>
        [.. rows.Take(index), .. rows.Skip(index + 1)];

    private static List<ConversationRow> Replaced(IReadOnlyList<ConversationRow> rows, int index, ConversationRow row) =>
        [.. rows.Take(index), row, .. rows.Skip(index + 1)];
}
