using Whop.Inbox.Identity;
using Whop.Inbox.DirectMessages;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using static Whop.Inbox.Common.ApiWire;
using static Whop.Inbox.Messaging.MessagesApi;

namespace Whop.Inbox.Tests.DirectMessages;

/// <summary>The DM list follows a person's events in place; only what an event cannot describe reads the list again.</summary>
public sealed class ConversationListUpdatesTests
{
    private const string Me = "user_ben";
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ConversationRow> List =
    [
        new("dm_a", ChannelKind.Dm, "Alice", "See you", T0.AddMinutes(3), 0, 2),
        new("dm_b", ChannelKind.Dm, "Chloe, Dan", "Lunch?", T0.AddMinutes(2), 2, 3),
        new("sup_c", ChannelKind.Support, "Lumen Courses support", "Thanks!", T0.AddMinutes(1), 0, 0),
    ];

    [Fact]
    public void A_message_from_someone_else_moves_the_conversation_to_the_top_with_one_more_unread_and_its_preview()
    {
        var (rows, reload) = ConversationListUpdates.Apply(List, Message("sup_c", from: "user_maya", "Your refund is on its way", minutes: 5), Me);

        reload.ShouldBeFalse();
        rows.Select(r => (r.ChannelId, r.UnreadCount, r.Preview)).ShouldBe([
            ("sup_c", 1, "Your refund is on its way"), ("dm_a", 0, "See you"), ("dm_b", 2, "Lunch?")]);
        rows[0].LastActivityAt.ShouldBe(T0.AddMinutes(5));
    }

    [Fact]
    public void My_own_message_and_my_reading_leave_no_badge()
    {
        var (rows, _) = ConversationListUpdates.Apply(List, Message("dm_b", from: Me, "Sure, 12:30", minutes: 6), Me);
        rows[0].ShouldBe(List[1] with { UnreadCount = 0, Preview = "Sure, 12:30", LastActivityAt = T0.AddMinutes(6) });

        var read = new ChatEvent(ChatEventTypes.ReadChanged, "dm_b", 9, T0, Snapshot("dm_b", 1), new ReadChanged(Me, T0.AddMinutes(7)));
        var (afterRead, reload) = ConversationListUpdates.Apply(List, read, Me);
        (afterRead[1].UnreadCount, reload).ShouldBe((0, false));
    }

    [Fact]
    public void Leaving_or_a_deleted_dm_takes_the_row_away()
    {
        var left = new ChatEvent(ChatEventTypes.MemberRemoved, "dm_b", 10, T0, Snapshot("dm_b", 6), new MemberRemoved("mem_1", Me, true, Me));
        ConversationListUpdates.Apply(List, left, Me).Rows.Select(r => r.ChannelId).ShouldBe(["dm_a", "sup_c"]);

        var deleted = new ChatEvent(ChatEventTypes.DmDeleted, "dm_a", 11, T0, Snapshot("dm_a", 6), new DmDeleted(["user_alice", Me], "user_alice"));
        ConversationListUpdates.Apply(List, deleted, Me).Rows.Select(r => r.ChannelId).ShouldBe(["dm_b", "sup_c"]);
    }

    [Fact]
    public void A_conversation_not_in_the_list_or_a_rename_reads_the_list_again()
    {
        ConversationListUpdates.Apply(List, Message("dm_new", from: "user_elena", "Hi Ben!", minutes: 8), Me).Reload.ShouldBeTrue();
        var renamed = new ChatEvent(ChatEventTypes.DmRenamed, "dm_b", 12, T0, Snapshot("dm_b", 2), new DmRenamed("Lunch club", "user_chloe"));
        ConversationListUpdates.Apply(List, renamed, Me).ShouldBe((List, true));
    }

    private static ChannelSnapshot Snapshot(string id, int minutes) =>
        id.StartsWith("sup")
            ? new(ChannelKind.Support, "biz_lumen", Me, SupportStatus.Open, null, 0, T0.AddMinutes(minutes), T0.AddMinutes(minutes), SupportStatus.Open)
            : new(ChannelKind.Dm, null, null, null, null, 3, T0.AddMinutes(minutes), T0.AddMinutes(minutes));

    private static ChatEvent Message(string channel, string from, string text, int minutes)
    {
        var at = T0.AddMinutes(minutes);
        var message = new MessageView($"msg_{minutes}", channel, text, at, at, false, false, MessageType.Regular, null,
            new UserSummary(from, from, from), [], [], false);
        return new ChatEvent(ChatEventTypes.MessageCreated, channel, 5, at, Snapshot(channel, minutes), new MessageEvent(message, null));
    }
}
