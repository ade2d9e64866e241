using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Common;
using Whop.Inbox.Identity;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Bulk;
using Whop.Inbox.Support.Components;
using Whop.Inbox.Support.Labels;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>Picking chats in the inbox and changing them at once: the rows' checkboxes, the bulk bar, and what it reports.</summary>
public sealed class BulkActionsComponentTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(15);

    [Fact]
    public void The_bar_offers_select_all_until_something_is_picked_then_counts_it_and_offers_the_actions()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var none = Render<BulkBar>(p => p.Add(b => b.Selected, 0).Add(b => b.OnPage, 12));

        var toolbar = none.Find("[data-testid='bulk-bar']");
        toolbar.GetAttribute("role").ShouldBe("toolbar");
        toolbar.GetAttribute("aria-label").ShouldBe("Bulk actions");
        toolbar.TextContent.ShouldContain("Select all on this page");
        none.FindAll("[data-testid='bulk-resolve']").ShouldBeEmpty();

        BulkAction? ran = null;
        var three = Render<BulkBar>(p => p.Add(b => b.Selected, 3).Add(b => b.OnPage, 12).Add(b => b.CanAssign, true)
            .Add(b => b.Team, [new UserSummary("user_nora", "Nora Quinn", "nora")]).Add(b => b.MeId, "user_nora")
            .Add(b => b.Run, (BulkAction action) => ran = action));
        three.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("3 selected");

        three.Find("[data-testid='bulk-resolve']").Click();
        ran.ShouldBe(new BulkAction.Resolve());
        three.Find("[data-testid='bulk-reopen']").Click();
        ran.ShouldBe(new BulkAction.Reopen());
        three.FindAll("#bulk-assign option").Select(o => o.TextContent).ShouldBe(["Assign to…", "Unassigned", "Nora Quinn (me)"]);
        three.Find("[data-testid='bulk-assign']").Change("user_nora");
        ran.ShouldBe(new BulkAction.Assign("user_nora"));
        three.Find("[data-testid='bulk-assign']").Change("none");
        ran.ShouldBe(new BulkAction.Assign(null), "the picker's Unassigned gives the chats to nobody");
    }

    [Fact]
    public void The_bar_disables_itself_while_running_and_past_one_hundred()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var running = Render<BulkBar>(p => p.Add(b => b.Selected, 5).Add(b => b.OnPage, 5).Add(b => b.Running, true));
        running.Find("[data-testid='bulk-resolve']").HasAttribute("disabled").ShouldBeTrue();
        running.Find("[data-testid='bulk-select-all']").HasAttribute("disabled").ShouldBeTrue();
        running.Find("[data-testid='bulk-bar']").GetAttribute("aria-busy").ShouldBe("true");
        running.Find("[data-testid='bulk-running']").TextContent.ShouldContain("Working");

        var tooMany = Render<BulkBar>(p => p.Add(b => b.Selected, 101).Add(b => b.OnPage, 120));
        tooMany.Find("[data-testid='bulk-resolve']").HasAttribute("disabled").ShouldBeTrue();
        tooMany.Find("[data-testid='bulk-limit']").TextContent.ShouldContain("At most 100 at once");
    }

    [Fact]
    public void The_report_says_how_many_changed_and_names_each_that_did_not_with_the_reason()
    {
        var nora = Chat("feed_1", "Nora Quinn");
        var omar = Chat("feed_2", "Omar Diaz");
        var lin = Chat("feed_3", "Lin Park");
        var report = BulkReport.Of(new BulkAction.Resolve(),
        [
            new BulkItemResult("feed_1", null),
            new BulkItemResult("feed_2", Failure.Conflict("Already resolved by Maya Stone at 10:02 UTC.")),
            new BulkItemResult("feed_3", Failure.NotFound("No channel feed_3.")),
        ], [nora, omar, lin]);

        Render<MudBlazor.MudPopoverProvider>();
        var bar = Render<BulkBar>(p => p.Add(b => b.Selected, 2).Add(b => b.OnPage, 3).Add(b => b.Report, report));

        bar.Find("[data-testid='bulk-summary']").TextContent.ShouldBe("Resolved 1 of 3 chats. Not changed:");
        bar.Find("[data-testid='bulk-report']").GetAttribute("role").ShouldBe("status");
        bar.FindAll("[data-testid='bulk-miss']").Select(m => m.TextContent).ShouldBe(
        [
            "Omar Diaz: Already resolved by Maya Stone at 10:02 UTC.",
            "Lin Park: You can no longer see this chat.",
        ]);
        BulkReport.Of(new BulkAction.Resolve(), [new BulkItemResult("feed_1", null)], [nora]).Summary.ShouldBe("Resolved 1 chat.");
    }

    [Fact]
    public async Task Rows_have_checkboxes_named_for_their_customer_and_shift_click_picks_a_range()
    {
        var chats = await ChatsAsync(4);
        var inbox = await OpenInboxAsync("inbox?status=all");
        // Newest first: the fourth chat opened is at the top.
        inbox.WaitForAssertion(() => Check(inbox, chats[3].ChatId).ShouldNotBeNull(), Live);
        Check(inbox, chats[3].ChatId).GetAttribute("aria-label").ShouldBe($"Select {chats[3].Customer.Name}");

        await TickAsync(inbox, chats[3].ChatId);
        await TickAsync(inbox, chats[1].ChatId, shift: true);

        inbox.WaitForAssertion(() =>
        {
            Picked(inbox, chats[3].ChatId).ShouldBeTrue();
            Picked(inbox, chats[2].ChatId).ShouldBeTrue("between the two clicked");
            Picked(inbox, chats[1].ChatId).ShouldBeTrue();
            Picked(inbox, chats[0].ChatId).ShouldBeFalse();
            inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("3 selected");
        }, Live);

        // x on a row puts it back; Esc clears the rest.
        await inbox.InvokeAsync(() => inbox.Instance.ToggleRowFromKey(chats[2].ChatId));
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("2 selected"), Live);
        await inbox.InvokeAsync(() => inbox.Instance.OnShortcutAsync("Escape"));
        inbox.WaitForAssertion(() => inbox.FindAll("[data-testid='row-check']").ShouldAllBe(c => !c.HasAttribute("checked")), Live);
    }

    [Fact]
    public async Task Select_all_picks_every_row_on_the_page_and_unticking_it_picks_none()
    {
        var (customer, chatId) = (await ChatsAsync(1))[0];
        var inbox = await OpenInboxAsync($"inbox?status=all&customer={customer.Username}");
        inbox.WaitForAssertion(() => Check(inbox, chatId).ShouldNotBeNull(), Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-select-all']").ChangeAsync(new ChangeEventArgs { Value = true }));

        inbox.WaitForAssertion(() =>
        {
            Picked(inbox, chatId).ShouldBeTrue();
            inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("1 selected");
            inbox.Find("[data-testid='bulk-select-all']").HasAttribute("checked").ShouldBeTrue();
        }, Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-select-all']").ChangeAsync(new ChangeEventArgs { Value = false }));
        inbox.WaitForAssertion(() => Picked(inbox, chatId).ShouldBeFalse(), Live);
    }

    [Fact]
    public async Task Resolving_picked_chats_names_the_one_a_colleague_resolved_meanwhile_and_keeps_only_it_picked()
    {
        var chats = await ChatsAsync(3);
        var colleague = await App.NewTeamMemberAsync("moderator");
        var inbox = await OpenInboxAsync("inbox?status=all");
        inbox.WaitForAssertion(() => Check(inbox, chats[0].ChatId).ShouldNotBeNull(), Live);
        foreach (var (_, chatId) in chats) await TickAsync(inbox, chatId);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("3 selected"), Live);

        // Meanwhile a colleague resolves the middle one.
        await colleague.Client.PostAsync($"/api/v1/support_channels/{chats[1].ChatId}/resolve", null).OkJsonAsync();
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-resolve']").ClickAsync(new()));

        inbox.WaitForAssertion(() =>
        {
            inbox.Find("[data-testid='bulk-summary']").TextContent.ShouldBe("Resolved 2 of 3 chats. Not changed:");
            inbox.Find("[data-testid='bulk-miss']").TextContent.ShouldStartWith($"{chats[1].Customer.Name}: Already resolved by {colleague.Name} at ");
            Picked(inbox, chats[1].ChatId).ShouldBeTrue("the one that did not change stays picked");
            Picked(inbox, chats[0].ChatId).ShouldBeFalse();
            Picked(inbox, chats[2].ChatId).ShouldBeFalse();
            inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("1 selected");
        }, Live);
    }

    [Fact]
    public async Task Chats_resolved_in_bulk_leave_the_open_list_live()
    {
        var chats = await ChatsAsync(2);
        var inbox = await OpenInboxAsync("inbox?status=open");
        inbox.WaitForAssertion(() => chats.ForEach(c => Check(inbox, c.ChatId).ShouldNotBeNull()), Live);
        foreach (var (_, chatId) in chats) await TickAsync(inbox, chatId);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("2 selected"), Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-resolve']").ClickAsync(new()));

        inbox.WaitForAssertion(() =>
        {
            inbox.Find("[data-testid='bulk-summary']").TextContent.ShouldBe("Resolved 2 chats.");
            inbox.FindAll($"[data-testid='inbox-row'][data-channel-id='{chats[0].ChatId}']").ShouldBeEmpty();
            inbox.FindAll($"[data-testid='inbox-row'][data-channel-id='{chats[1].ChatId}']").ShouldBeEmpty();
            inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("Select all on this page");
        }, Live);
    }

    [Fact]
    public void The_label_menu_adds_or_removes_one_of_the_companys_labels_and_goes_back_to_its_prompt()
    {
        Render<MudBlazor.MudPopoverProvider>();
        BulkAction? ran = null;
        var bar = Render<BulkBar>(p => p.Add(b => b.Selected, 2).Add(b => b.OnPage, 4).Add(b => b.CanLabel, true)
            .Add(b => b.Labels, [new LabelView("label_billing", "Billing", "#1565c0"), new LabelView("label_access", "Access", "#2e7d32")])
            .Add(b => b.Run, (BulkAction action) => ran = action));

        bar.FindAll("#bulk-label optgroup").Select(g => g.GetAttribute("label")).ShouldBe(["Add label", "Remove label"]);
        bar.FindAll("#bulk-label option").Select(o => o.TextContent).ShouldBe(["Label…", "Billing", "Access", "Remove Billing", "Remove Access"]);

        bar.Find("[data-testid='bulk-label']").Change("add:label_access");
        ran.ShouldBeOfType<BulkAction.Label>().LabelIds.ShouldBe(["label_access"]);
        bar.Find("[data-testid='bulk-label'] option[selected]").TextContent.ShouldBe("Label…", "the menu starts an action, it holds no value");

        bar.Find("[data-testid='bulk-label']").Change("remove:label_billing");
        ran.ShouldBeOfType<BulkAction.Unlabel>().LabelIds.ShouldBe(["label_billing"]);

        Render<BulkBar>(p => p.Add(b => b.Selected, 2).Add(b => b.OnPage, 4).Add(b => b.CanLabel, false)
                .Add(b => b.Labels, [new LabelView("label_billing", "Billing", "#1565c0")]))
            .FindAll("[data-testid='bulk-label']").ShouldBeEmpty("no label menu for whoever may not label chats");
    }

    [Fact]
    public void The_snooze_menu_offers_the_headers_presets_in_the_agents_time_zone_and_until_the_customer_replies()
    {
        var paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        Render<MudBlazor.MudPopoverProvider>();
        BulkAction? ran = null;
        var bar = Render<BulkBar>(p => p.Add(b => b.Selected, 3).Add(b => b.OnPage, 3).Add(b => b.CanSnooze, true).Add(b => b.Zone, paris)
            .Add(b => b.Run, (BulkAction action) => ran = action));

        var options = bar.FindAll("#bulk-snooze option").Select(o => o.TextContent).ToList();
        options[0].ShouldBe("Snooze…");
        options[1].ShouldStartWith("In an hour");
        options[2].ShouldBe("Tomorrow (tomorrow 09:00)");
        options[3].ShouldStartWith("Next week (");
        options[3].ShouldEndWith("09:00)");
        options.Skip(4).ShouldBe(["Until the customer replies", "Wake now"]);

        bar.Find("[data-testid='bulk-snooze']").Change("tomorrow");
        var until = ran.ShouldBeOfType<BulkAction.Snooze>().Request.ShouldBeOfType<SnoozeRequest.Until>().At;
        var local = TimeZoneInfo.ConvertTime(until, paris);
        local.TimeOfDay.ShouldBe(TimeSpan.FromHours(9), "tomorrow at 9:00 in the agent's zone");
        local.Date.ShouldBe(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, paris).Date.AddDays(1));

        bar.Find("[data-testid='bulk-snooze']").Change("customer-replies");
        ran.ShouldBeOfType<BulkAction.Snooze>().Request.ShouldBeOfType<SnoozeRequest.UntilCustomerReplies>();
        bar.Find("[data-testid='bulk-snooze']").Change("wake");
        ran.ShouldBeOfType<BulkAction.Snooze>().Request.ShouldBeOfType<SnoozeRequest.WakeNow>();
    }

    [Fact]
    public void The_report_reads_right_for_labels_and_snoozes()
    {
        var nora = Chat("feed_1", "Nora Quinn");
        var omar = Chat("feed_2", "Omar Diaz");
        IReadOnlyList<BulkItemResult> both = [new("feed_1", null), new("feed_2", null)];

        BulkReport.Of(new BulkAction.Label(["label_1"]), both, [nora, omar]).Summary.ShouldBe("Added the label to 2 chats.");
        BulkReport.Of(new BulkAction.Label(["label_1", "label_2"]), both, [nora, omar]).Summary.ShouldBe("Added the labels to 2 chats.");
        BulkReport.Of(new BulkAction.Unlabel(["label_1"]), both, [nora, omar]).Summary.ShouldBe("Removed the label from 2 chats.");
        BulkReport.Of(new BulkAction.Snooze(new SnoozeRequest.WakeNow()), both, [nora, omar]).Summary.ShouldBe("Woke 2 chats.");
        var partly = BulkReport.Of(new BulkAction.Snooze(new SnoozeRequest.UntilCustomerReplies()),
            [new("feed_1", null), new("feed_2", Failure.Rejected("A resolved chat cannot be snoozed; reopen it first.", "snooze"))], [nora, omar]);
        partly.Summary.ShouldBe("Snoozed 1 of 2 chats. Not changed:");
        partly.Misses.ShouldHaveSingleItem().ShouldBe(new BulkMiss("feed_2", "Omar Diaz", "A resolved chat cannot be snoozed; reopen it first."));
    }

    [Fact]
    public async Task Labelling_picked_chats_from_the_bar_shows_the_label_on_their_rows()
    {
        var label = await App.Backend().PostJsonAsync("/api/v1/labels", new { name = $"Bulk {Guid.NewGuid():N}"[..13], color = "#6a1b9a" }).OkJsonAsync();
        var chats = await ChatsAsync(2);
        var inbox = await OpenInboxAsync("inbox?status=all");
        inbox.WaitForAssertion(() => chats.ForEach(c => Check(inbox, c.ChatId).ShouldNotBeNull()), Live);
        foreach (var (_, chatId) in chats) await TickAsync(inbox, chatId);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("2 selected"), Live);

        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-label']").ChangeAsync(new ChangeEventArgs { Value = $"add:{label.Id()}" }));

        inbox.WaitForAssertion(() =>
        {
            inbox.Find("[data-testid='bulk-summary']").TextContent.ShouldBe("Added the label to 2 chats.");
            chats.ForEach(c => inbox.Find($"[data-testid='inbox-row'][data-channel-id='{c.ChatId}']").TextContent.ShouldContain(label.Str("name")));
            inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("Select all on this page", Case.Sensitive, "every chat changed: none stays picked");
        }, Live);
        foreach (var (_, chatId) in chats)
            (await App.Backend().GetAsync($"/api/v1/support_channels/{chatId}").OkJsonAsync())["labels"]!.AsArray().Select(l => l!.Id())
                .ShouldBe([label.Id()]);
    }

    [Fact]
    public async Task Snoozing_picked_chats_from_the_bar_names_the_one_a_colleague_resolved_meanwhile()
    {
        var chats = await ChatsAsync(3);
        var inbox = await OpenInboxAsync("inbox?status=all");
        inbox.WaitForAssertion(() => chats.ForEach(c => Check(inbox, c.ChatId).ShouldNotBeNull()), Live);
        foreach (var (_, chatId) in chats) await TickAsync(inbox, chatId);
        inbox.WaitForAssertion(() => inbox.Find("[data-testid='bulk-bar']").TextContent.ShouldContain("3 selected"), Live);

        // Meanwhile a colleague resolves the middle one: it cannot be snoozed.
        var colleague = await App.NewTeamMemberAsync("moderator");
        await colleague.Client.PostAsync($"/api/v1/support_channels/{chats[1].ChatId}/resolve", null).OkJsonAsync();
        await inbox.InvokeAsync(() => inbox.Find("[data-testid='bulk-snooze']").ChangeAsync(new ChangeEventArgs { Value = "hour" }));

        inbox.WaitForAssertion(() =>
        {
            inbox.Find("[data-testid='bulk-summary']").TextContent.ShouldBe("Snoozed 2 of 3 chats. Not changed:");
            inbox.Find("[data-testid='bulk-miss']").TextContent.ShouldBe($"{chats[1].Customer.Name}: A resolved chat cannot be snoozed; reopen it first.");
            Picked(inbox, chats[1].ChatId).ShouldBeTrue("the one that did not change stays picked");
            Picked(inbox, chats[0].ChatId).ShouldBeFalse();
        }, Live);
        foreach (var chatId in new[] { chats[0].ChatId, chats[2].ChatId })
        {
            var snoozed = await App.Backend().GetAsync($"/api/v1/support_channels/{chatId}").OkJsonAsync();
            snoozed.Str("status").ShouldBe("snoozed");
            snoozed["snoozed_until"]!.GetValue<DateTimeOffset>().ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
        }
    }

    /// <summary>
    /// Clicks a row's checkbox, found and clicked in one dispatch: events arriving re-render the rows, and
    /// their handlers with them.
    /// </summary>
    private static Task TickAsync(IRenderedComponent<Whop.Inbox.Support.Pages.Inbox> inbox, string chatId, bool shift = false) =>
        inbox.InvokeAsync(() => Check(inbox, chatId).ClickAsync(new MouseEventArgs { ShiftKey = shift }));

    private static IElement Check(IRenderedComponent<Whop.Inbox.Support.Pages.Inbox> inbox, string chatId) =>
        inbox.Find($"[data-inbox-item][data-channel-id='{chatId}'] [data-testid='row-check']");

    private static bool Picked(IRenderedComponent<Whop.Inbox.Support.Pages.Inbox> inbox, string chatId) =>
        Check(inbox, chatId).HasAttribute("checked");

    private async Task<IRenderedComponent<Whop.Inbox.Support.Pages.Inbox>> OpenInboxAsync(string address)
    {
        await SignInAsync("maya");
        RenderProviders();
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Whop.Inbox.Support.Pages.Inbox>();
    }

    /// <summary>New customers' support chats, each with a first message, opened in this order (the last is the newest).</summary>
    private async Task<List<(TestUser Customer, string ChatId)>> ChatsAsync(int count)
    {
        var companyId = await App.CompanyIdAsync();
        var chats = new List<(TestUser, string)>();
        for (var i = 0; i < count; i++)
        {
            var customer = await App.NewUserAsync("customer");
            var chat = await App.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = companyId, user_id = customer.Id }).OkJsonAsync();
            await customer.Client.SendAsync(chat.Id(), $"Question {i + 1}");
            chats.Add((customer, chat.Id()));
        }
        return chats;
    }

    private static SupportChatView Chat(string id, string customerName) => new()
    {
        Id = id,
        CompanyId = "company_1",
        Customer = new UserSummary($"user_{id}", customerName, customerName.ToLowerInvariant().Replace(' ', '.')),
    };
}
