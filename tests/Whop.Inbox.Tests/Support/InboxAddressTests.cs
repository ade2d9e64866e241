using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Pages;

namespace Whop.Inbox.Tests.Support;

public sealed class InboxAddressTests
{
    [Fact]
    public void Unknown_or_missing_parts_read_as_the_defaults()
    {
        var address = new InboxAddress(Status: "bogus", View: "nobody", Sort: "sideways");

        address.StatusKey.ShouldBe("open");
        address.ViewKey.ShouldBe("team");
        address.SortKey.ShouldBe("activity-desc");
        address.Query("biz_1").ShouldBe(new SupportChatQuery("biz_1", Status: SupportStatus.Open, View: SupportView.Admin,
            Order: SupportOrder.LastPostSentAt, Descending: true));
    }

    [Fact]
    public void Changing_one_part_keeps_the_others_and_an_empty_string_removes_one()
    {
        var address = new InboxAddress(Status: "waiting", Customer: "inès", Sort: "created-asc", ChatId: "feed_1");

        address.With(chat: "feed_2").Url.ShouldBe("inbox?status=waiting&customer=in%C3%A8s&sort=created-asc&chat=feed_2");
        address.With(customer: "", chat: "").Url.ShouldBe("inbox?status=waiting&sort=created-asc");
        address.With(view: "all").Query("biz_1").ShouldBe(new SupportChatQuery("biz_1", Status: SupportStatus.Waiting, View: SupportView.All,
            Order: SupportOrder.CreatedAt, Descending: false, Customer: "inès"));
    }

    [Fact]
    public void The_open_chat_is_not_part_of_the_lists_key_but_every_filter_is()
    {
        var address = new InboxAddress(Status: "open");

        address.With(chat: "feed_9").ListKey.ShouldBe(address.ListKey);
        address.With(customer: "bo").ListKey.ShouldNotBe(address.ListKey);
        address.With(sort: "created-desc").ListKey.ShouldNotBe(address.ListKey);
    }

    [Fact]
    public void The_view_beside_the_tabs_filters_by_assignee_and_is_part_of_the_lists_key()
    {
        var address = new InboxAddress(Status: "open");

        address.ShowKey.ShouldBe("all");
        address.Query("biz_1").Assignee.ShouldBeNull();
        new InboxAddress(Show: "bogus").ShowKey.ShouldBe("all");
        address.With(show: "mine").Query("biz_1").Assignee.ShouldBe(new AssigneeFilter.Me());
        address.With(show: "unassigned").Query("biz_1").Assignee.ShouldBe(new AssigneeFilter.Nobody());
        address.With(show: "mentions").IsMentions.ShouldBeTrue();
        address.With(show: "mine").ListKey.ShouldNotBe(address.ListKey);
        address.With(show: "mine", chat: "feed_1").Url.ShouldBe("inbox?status=open&show=mine&chat=feed_1");
        address.With(show: "mine").With(show: "").Url.ShouldBe("inbox?status=open");
    }

    [Fact]
    public void The_empty_list_says_what_was_filtered()
    {
        new InboxAddress(Status: "waiting", Customer: "bo").EmptyTitle.ShouldBe("No waiting chats with @bo");
        new InboxAddress(Status: "all", Customer: "bo").EmptyTitle.ShouldBe("No chats with @bo");
        new InboxAddress().EmptyTitle.ShouldBe("Nothing awaits the team. Well done!");
    }
}
