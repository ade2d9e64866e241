using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Priority;

namespace Whop.Inbox.Tests.Support;

/// <summary>The label and priority filters and the urgent-first sort: the live list follows them from events, with the list query's own filter.</summary>
public sealed class LabelsAndPriorityLiveListTests
{
    private const string Company = "biz_lumen";
    private const string Me = "user_maya";
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly LabelView Billing = new("label_billing", "billing", "#2e7d32");
    private static readonly LabelView Refunds = new("label_refunds", "refunds", "#c62828");

    [Fact]
    public void The_filter_wants_every_label_named_and_the_priority_asked_for()
    {
        var filter = Filter(new SupportChatQuery(Company, View: SupportView.Admin, Labels: [Billing.Id, Refunds.Id], Priority: ChatPriority.High));

        filter.Matches(Placement([Billing.Id, Refunds.Id], ChatPriority.High)).ShouldBeTrue();
        filter.Matches(Placement([Billing.Id, Refunds.Id, "label_other"], ChatPriority.High)).ShouldBeTrue();
        filter.Matches(Placement([Billing.Id], ChatPriority.High)).ShouldBeFalse("every label named, not any");
        filter.Matches(Placement([Billing.Id, Refunds.Id], ChatPriority.Urgent)).ShouldBeFalse();
        filter.Matches(Placement([Billing.Id, Refunds.Id], ChatPriority.High) with { CompanyId = "biz_other" }).ShouldBeFalse();
    }

    [Fact]
    public void A_chat_that_loses_the_label_leaves_the_filtered_list_and_one_that_gains_it_is_read_in()
    {
        var query = new SupportChatQuery(Company, View: SupportView.Admin, Labels: [Billing.Id]);
        var list = new InboxLiveList(Me, query, Filter(query));
        list.Load([Row("a", 5, [Billing]), Row("b", 3, [Billing])], hasMore: false);

        list.Apply(Labeled("a", minutes: 6, added: [], removed: [Billing], after: [])).ShouldBe(new InboxUpdate(Changed: true));
        list.Rows.Select(r => r.Id).ShouldBe(["b"]);

        list.Apply(Labeled("c", minutes: 7, added: [Billing], removed: [], after: [Billing])).FetchChatId.ShouldBe("c");

        list.Apply(Labeled("b", minutes: 8, added: [Refunds], removed: [], after: [Billing, Refunds]));
        list.Rows.Single().Labels.ShouldBe([Billing, Refunds], "the row's chips follow the event");
    }

    [Fact]
    public void Sorted_by_priority_a_chat_made_urgent_moves_to_the_top_and_one_cleared_goes_below_the_rest()
    {
        var query = new SupportChatQuery(Company, View: SupportView.Admin, ByPriority: true);
        var list = new InboxLiveList(Me, query, Filter(query));
        list.Load([Row("a", 1, [], ChatPriority.High), Row("b", 9, [], ChatPriority.None), Row("c", 5, [], ChatPriority.None)], hasMore: false);

        list.Apply(Prioritized("c", minutes: 10, ChatPriority.None, ChatPriority.Urgent));
        list.Rows.Select(r => (r.Id, r.Priority)).ShouldBe([("c", ChatPriority.Urgent), ("a", ChatPriority.High), ("b", ChatPriority.None)]);

        list.Apply(Prioritized("a", minutes: 11, ChatPriority.High, ChatPriority.None));
        list.Rows.Select(r => r.Id).ShouldBe(["c", "b", "a"], "among chats of no priority, the latest activity first");
    }

    [Fact]
    public void A_customer_is_told_neither_labels_nor_priority()
    {
        var evt = Labeled("a", minutes: 1, added: [Billing], removed: [], after: [Billing]);
        evt.Channel!.LabelIds.ShouldNotBeNull();
        var outside = evt.OutsideTheTeam();
        outside.Channel!.LabelIds.ShouldBeNull();
        outside.Channel.Priority.ShouldBeNull();
    }

    private static InboxFilter Filter(SupportChatQuery query) =>
        InboxFilter.For(query, SupportView.Admin, Me, Company, canList: true, customerId: null, assigneeId: null);

    private static ChatPlacement Placement(IReadOnlyList<string> labels, ChatPriority priority) =>
        new(Company, "user_c", SupportStatus.Open, null, labels, priority);

    private static SupportChatView Row(string id, int minutes, IReadOnlyList<LabelView> labels, ChatPriority priority = ChatPriority.None) => new()
    {
        Id = id, CompanyId = Company, Customer = new UserSummary($"user_{id}", $"Customer {id}", id), CreatedAt = T0,
        LastMessageAt = T0.AddMinutes(minutes), LastActivityAt = T0.AddMinutes(minutes), Status = SupportStatus.Open, Labels = labels,
        Priority = priority,
    };

    private static ChatEvent Labeled(string chat, int minutes, LabelView[] added, LabelView[] removed, LabelView[] after) =>
        Event(ChatEventTypes.SupportChatLabeled, chat, minutes, [.. after.Select(l => l.Id)], ChatPriority.None,
            new SupportChatLabeled(added, removed, after, Me));

    private static ChatEvent Prioritized(string chat, int minutes, ChatPriority before, ChatPriority after) =>
        Event(ChatEventTypes.SupportChatPrioritized, chat, minutes, [], after, new SupportChatPrioritized(before, after, Me));

    // A change of labels or priority moves neither status nor activity: the snapshot keeps the chat's own activity.
    private static ChatEvent Event(string type, string chat, int minutes, IReadOnlyList<string> labels, ChatPriority priority, object data) =>
        new(type, chat, minutes, T0.AddMinutes(minutes),
            new ChannelSnapshot(ChannelKind.Support, Company, $"user_{chat}", SupportStatus.Open, null, 0, null, null, SupportStatus.Open,
                null, labels, priority),
            data, EventReach.Team);
}
