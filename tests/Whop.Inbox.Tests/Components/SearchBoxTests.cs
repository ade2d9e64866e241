using Bunit;
using Microsoft.AspNetCore.Components.Web;
using Whop.Inbox.Identity;
using Whop.Inbox.Support.Search;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The inbox's search box: its suggestions, what Enter sends, and a query it cannot read said in place.</summary>
public sealed class SearchBoxTests(InboxApp app) : ComponentTest(app)
{
    private static readonly UserSummary Alice = new("user_alice", "Alice Moreau", "alice");

    [Fact]
    public void Typing_a_name_suggests_from_that_customer_and_the_customer_filter_and_each_does_its_part()
    {
        UserSummary? filtered = null;
        var cut = Render<SearchBox>(p => p
            .Add(b => b.SearchCustomers, (text, _) => Task.FromResult<IEnumerable<UserSummary>>(text == "ali" ? [Alice] : []))
            .Add(b => b.CustomerPicked, (UserSummary c) => filtered = c));
        var input = cut.Find("input");
        input.Input("refund ali");
        cut.WaitForAssertion(() => cut.FindAll("[role='option']").Select(o => o.TextContent).ShouldBe(
            ["from:alice messages from Alice Moreau", "Chats with Alice Moreau @alice: the customer filter"]));

        cut.FindAll("[role='option']")[0].MouseDown();
        // The suggestions are looked up off the render thread: the box may redraw once more after the pick.
        cut.WaitForAssertion(() => cut.Find("input").GetAttribute("value").ShouldBe("refund from:alice "));

        cut.Find("input").Input("ali");
        cut.WaitForAssertion(() => cut.FindAll("[role='option']").Count.ShouldBe(2));
        cut.FindAll("[role='option']")[1].MouseDown();
        cut.WaitForAssertion(() => filtered.ShouldBe(Alice));
    }

    [Fact]
    public void Operators_are_suggested_as_they_are_typed_and_completed_from_the_keyboard()
    {
        var cut = Render<SearchBox>(p => p.Add(b => b.SearchCustomers, (_, _) => Task.FromResult<IEnumerable<UserSummary>>([])));
        cut.Find("input").Input("refund sta");
        cut.FindAll("[role='option'] strong").Select(o => o.TextContent).ShouldBe(
            ["status:open", "status:waiting", "status:snoozed", "status:resolved"]);
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "ArrowDown" });
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.Find("input").GetAttribute("value").ShouldBe("refund status:waiting ");

        var fresh = Render<SearchBox>(p => p.Add(b => b.SearchCustomers, (_, _) => Task.FromResult<IEnumerable<UserSummary>>([])));
        fresh.Find("input").Input("refund -ha");
        fresh.WaitForAssertion(() => fresh.FindAll("[role='option'] strong").Select(o => o.TextContent).ShouldBe(["-has:attachment"]));
    }

    [Fact]
    public void Enter_sends_a_query_the_parser_reads_and_says_why_not_keeping_the_text_otherwise()
    {
        var sent = new List<string>();
        var cut = Render<SearchBox>(p => p
            .Add(b => b.SearchCustomers, (_, _) => Task.FromResult<IEnumerable<UserSummary>>([]))
            .Add(b => b.Submitted, (string q) => sent.Add(q)));
        cut.Find("input").Input("refund before:2026-02-30");
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "Escape" });
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        sent.ShouldBeEmpty();
        cut.Find("[role='alert']").TextContent.ShouldContain("before:2026-02-30 is not a date");
        cut.Find("input").GetAttribute("value").ShouldBe("refund before:2026-02-30", "the typed query stays");
        cut.Find("input").GetAttribute("aria-invalid").ShouldBe("true");

        cut.Find("input").Input("RCPT-88213");
        cut.FindAll("[role='alert']").ShouldBeEmpty("typing again clears the message");
        cut.Find("input").KeyDown(new KeyboardEventArgs { Key = "Enter" });
        cut.WaitForAssertion(() => sent.ShouldBe(["RCPT-88213"]));

        cut.Find("[data-testid='clear-search']").Click();
        cut.WaitForAssertion(() => sent.ShouldBe(["RCPT-88213", ""]));
        cut.Find("input").GetAttribute("value").ShouldBe("");
    }

    [Fact]
    public void The_query_in_the_address_is_in_the_box_and_its_id_is_what_the_slash_key_focuses()
    {
        var cut = Render<SearchBox>(p => p
            .Add(b => b.Query, "from:alice refund")
            .Add(b => b.SearchCustomers, (_, _) => Task.FromResult<IEnumerable<UserSummary>>([])));
        cut.Find("input").GetAttribute("value").ShouldBe("from:alice refund");
        cut.Find("input").Id.ShouldBe(SearchBox.InputId);
    }
}
