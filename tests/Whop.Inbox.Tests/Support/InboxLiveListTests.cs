using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;
using static Whop.Inbox.Common.ApiWire;
using static Whop.Inbox.Messaging.MessagesApi;

namespace Whop.Inbox.Tests.Support;

/// <summary>
/// The inbox list and tab totals follow events without a query: these are the rules, event by event.
/// (That the page uses them, and that events say the status before, is tested in the browser and
/// against the event log.)
/// </summary>
public sealed class InboxLiveListTests
{
    private const string Company = "biz_lumen";
    private const string Me = "user_maya";
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);

    private static readonly SupportChatQuery OpenTab = new(Company, Status: SupportStatus.Open, View: SupportView.Admin);

    [Fact]
    public void A_customer_writing_in_moves_their_chat_from_waiting_to_open_to_the_top_with_a_badge_and_the_new_preview()
    {
        var list = Loaded(OpenTab, hasMore: false, Row("a", SupportStatus.Open, minutes: 5), Row("b", SupportStatus.Open, minutes: 3));
        list.SetTotals(Totals(open: 2, waiting: 4, resolved: 9));

        var update = list.Apply(Message("c", from: "user_c", "My card was declined", minutes: 10, before: SupportStatus.Waiting, after: SupportStatus.Open));

        // Not loaded: the event cannot tell the customer's name, so the row is read; the totals move at once.
        update.ShouldBe(new InboxUpdate(Changed: true, FetchChatId: "c"));
        list.Totals[SupportStatus.Open].ShouldBe(3);
        list.Totals[SupportStatus.Waiting].ShouldBe(3);

        list.Place(Row("c", SupportStatus.Open, minutes: 10) with { UnreadCount = 1 }).ShouldBeTrue();
        list.Rows.Select(r => r.Id).ShouldBe(["c", "a", "b"]);

        var again = list.Apply(Message("b", from: "user_b", "Any news?", minutes: 11, before: SupportStatus.Open, after: SupportStatus.Open));
        again.ShouldBe(new InboxUpdate(Changed: true));
        list.Rows.Select(r => r.Id).ShouldBe(["b", "c", "a"]);
        list.Rows[0].UnreadCount.ShouldBe(1, "one message from the customer since it was read");
        list.Rows[0].LastMessagePreview.ShouldBe("Any news?");
        list.Totals[SupportStatus.Open].ShouldBe(3, "an open chat that stays open is counted once");
    }

    [Fact]
    public void Resolving_a_chat_takes_it_off_the_open_tab_and_moves_it_between_totals()
    {
        var list = Loaded(OpenTab, hasMore: false, Row("a", SupportStatus.Open, minutes: 5), Row("b", SupportStatus.Open, minutes: 3));
        list.SetTotals(Totals(open: 2, waiting: 0, resolved: 1));

        var update = list.Apply(StatusChange(ChatEventTypes.SupportChatResolved, "a", SupportStatus.Open, SupportStatus.Resolved, minutes: 6));

        update.Changed.ShouldBeTrue();
        list.Rows.Select(r => r.Id).ShouldBe(["b"]);
        (list.Totals[SupportStatus.Open], list.Totals[SupportStatus.Resolved]).ShouldBe((1, 2));
    }

    [Fact]
    public void A_new_chat_adds_to_its_total_and_is_read_once_to_be_shown()
    {
        var all = new SupportChatQuery(Company, View: SupportView.Admin);
        var list = Loaded(all, hasMore: false, Row("a", SupportStatus.Waiting, minutes: 5));
        list.SetTotals(Totals(open: 0, waiting: 1, resolved: 0));

        var update = list.Apply(StatusChange(ChatEventTypes.SupportChatCreated, "n", before: null, SupportStatus.Waiting, minutes: 7));

        update.FetchChatId.ShouldBe("n");
        list.Totals[SupportStatus.Waiting].ShouldBe(2);
    }

    [Fact]
    public void My_own_reply_and_my_reading_clear_the_badge()
    {
        var list = Loaded(new SupportChatQuery(Company, View: SupportView.Admin), hasMore: false,
            Row("a", SupportStatus.Open, minutes: 5) with { UnreadCount = 3 }, Row("b", SupportStatus.Open, minutes: 4) with { UnreadCount = 1 });

        list.Apply(Message("a", from: Me, "On it", minutes: 6, before: SupportStatus.Open, after: SupportStatus.Waiting));
        list.Apply(Event(ChatEventTypes.ReadChanged, "b", SupportStatus.Open, SupportStatus.Open, minutes: 4, new ReadChanged(Me, T0.AddMinutes(8))));
        list.Apply(Event(ChatEventTypes.ReadChanged, "a", SupportStatus.Waiting, SupportStatus.Waiting, minutes: 6, new ReadChanged("user_omar", T0.AddMinutes(9))));

        list.Rows.Select(r => (r.Id, r.UnreadCount, r.Status)).ShouldBe([("a", 0, SupportStatus.Waiting), ("b", 0, SupportStatus.Open)]);
    }

    [Fact]
    public void A_row_sorted_past_the_loaded_rows_is_left_to_the_next_page()
    {
        var oldestFirst = new SupportChatQuery(Company, Status: SupportStatus.Open, View: SupportView.Admin, Descending: false);
        var list = Loaded(oldestFirst, hasMore: true, Row("a", SupportStatus.Open, minutes: 1), Row("b", SupportStatus.Open, minutes: 2));

        list.Apply(Message("a", from: "user_a", "Hello again", minutes: 30, before: SupportStatus.Open, after: SupportStatus.Open));

        list.Rows.Select(r => r.Id).ShouldBe(["b"], "its new place is somewhere in the pages not loaded yet");
    }

    [Fact]
    public void An_edit_or_delete_reads_the_row_again_and_a_resync_reloads_everything()
    {
        var list = Loaded(OpenTab, hasMore: false, Row("a", SupportStatus.Open, minutes: 5));

        list.Apply(Event(ChatEventTypes.MessageDeleted, "a", SupportStatus.Open, SupportStatus.Open, minutes: 5,
            new MessageDeleted("msg_1", "user_a", T0, Me))).FetchChatId.ShouldBe("a");
        list.Apply(ChatEvent.Notice(ChatEventTypes.Resync, "", T0)).Reload.ShouldBeTrue();
    }

    [Fact]
    public void Without_the_status_before_the_totals_are_counted_again_rather_than_guessed()
    {
        var list = Loaded(OpenTab, hasMore: false);
        list.SetTotals(Totals(open: 1, waiting: 1, resolved: 1));

        var update = list.Apply(Message("x", from: "user_x", "Hi", minutes: 9, before: null, after: SupportStatus.Open));

        update.RecountTotals.ShouldBeTrue();
        list.Totals.Values.Sum().ShouldBe(3);
    }

    [Fact]
    public void Another_companys_chats_and_dms_change_nothing()
    {
        var list = Loaded(new SupportChatQuery(Company, View: SupportView.Admin), hasMore: false, Row("a", SupportStatus.Open, minutes: 5));
        list.SetTotals(Totals(open: 1, waiting: 0, resolved: 0));
        var elsewhere = StatusChange(ChatEventTypes.SupportChatCreated, "z", null, SupportStatus.Waiting, minutes: 6);
        elsewhere = elsewhere with { Channel = elsewhere.Channel! with { CompanyId = "biz_other" } };
        var dm = new ChatEvent(ChatEventTypes.MessageCreated, "dm_1", 3, T0,
            new ChannelSnapshot(ChannelKind.Dm, null, null, null, null, 2, T0, T0), null);

        list.Apply(elsewhere).ShouldBe(InboxUpdate.None);
        list.Apply(dm).ShouldBe(InboxUpdate.None);
        list.Totals.Values.Sum().ShouldBe(1);
    }

    private static InboxLiveList Loaded(SupportChatQuery query, bool hasMore, params SupportChatView[] rows)
    {
        var list = new InboxLiveList(Me, query, InboxFilter.For(query, query.View ?? SupportView.Admin, Me, Company, canList: true,
            customerId: null, assigneeId: query.Assignee is AssigneeFilter.Me ? Me : (query.Assignee as AssigneeFilter.Person)?.UserId));
        list.Load(rows, hasMore);
        return list;
    }

    private static Dictionary<SupportStatus, int> Totals(int open, int waiting, int resolved) =>
        new() { [SupportStatus.Open] = open, [SupportStatus.Waiting] = waiting, [SupportStatus.Resolved] = resolved };

    private static SupportChatView Row(string id, SupportStatus status, int minutes) => new()
    {
        Id = id, CompanyId = Company, Customer = new UserSummary($"user_{id}", $"Customer {id}", id), CreatedAt = T0,
        LastMessageAt = T0.AddMinutes(minutes), LastActivityAt = T0.AddMinutes(minutes), Status = status, LastMessagePreview = "Earlier message",
    };

    private static ChatEvent Message(string chat, string from, string text, int minutes, SupportStatus? before, SupportStatus after)
    {
        var at = T0.AddMinutes(minutes);
        var message = new MessageView($"msg_{minutes}", chat, text, at, at, false, false, MessageType.Regular, null,
            new UserSummary(from, from, from), [], [], false);
        return Event(ChatEventTypes.MessageCreated, chat, before, after, minutes, new MessageEvent(message, null));
    }

    private static ChatEvent StatusChange(string type, string chat, SupportStatus? before, SupportStatus after, int minutes) =>
        Event(type, chat, before, after, minutes, new SupportChatChanged(new UserSummary($"user_{chat}", chat, chat), null));

    private static ChatEvent Event(string type, string chat, SupportStatus? before, SupportStatus after, int minutes, object data) =>
        new(type, chat, 1, T0.AddMinutes(minutes),
            new ChannelSnapshot(ChannelKind.Support, Company, $"user_{chat}", after, null, 0, T0.AddMinutes(minutes), T0.AddMinutes(minutes), before),
            data);
}
