using Bunit;
using Microsoft.AspNetCore.Components;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Components;

/// <summary>The conversation header's Snooze menu: its presets in the agent's time zone, a date and time, and Wake now.</summary>
public sealed class SnoozeMenuTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static SupportChatView Chat(SupportStatus status = SupportStatus.Open, DateTimeOffset? until = null) => new()
    {
        Id = "feed_test", CompanyId = "biz_test", Customer = new UserSummary("user_c", "Ines Customer", "ines"), Status = status,
        SnoozedUntil = until, SnoozedUntilCustomerReplies = status == SupportStatus.Snoozed && until is null,
    };

    private IRenderedComponent<SnoozeMenu> RenderMenu(SupportChatView chat, List<SnoozeRequest> picked) =>
        Render<SnoozeMenu>(p => p
            .Add(m => m.Chat, chat)
            .Add(m => m.Zone, Paris)
            .Add(m => m.Picked, EventCallback.Factory.Create<SnoozeRequest>(this, picked.Add)));

    [Fact]
    public void The_presets_are_in_the_agents_time_zone_and_picking_tomorrow_asks_for_nine_there()
    {
        var picked = new List<SnoozeRequest>();
        var menu = RenderMenu(Chat(), picked);
        menu.FindAll("[data-testid='snooze-options']").ShouldBeEmpty("closed until asked");

        menu.Find("[data-testid='snooze-menu']").Click();
        menu.FindAll("[data-testid='snooze-wake']").ShouldBeEmpty("an awake chat has nothing to wake");
        menu.Find("[data-testid='snooze-tomorrow']").TextContent.ShouldContain("tomorrow 09:00");
        menu.Find("[data-testid='snooze-next-week']").TextContent.ShouldContain("09:00");

        menu.Find("[data-testid='snooze-tomorrow']").Click();

        var until = picked.ShouldHaveSingleItem().ShouldBeOfType<SnoozeRequest.Until>().At;
        var local = TimeZoneInfo.ConvertTime(until, Paris);
        local.TimeOfDay.ShouldBe(TimeSpan.FromHours(9));
        local.Date.ShouldBe(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).Date.AddDays(1));
        menu.FindAll("[data-testid='snooze-options']").ShouldBeEmpty("picking closes the menu");
    }

    [Fact]
    public void Next_week_is_monday_at_nine_and_until_the_customer_replies_has_no_time()
    {
        var picked = new List<SnoozeRequest>();
        var menu = RenderMenu(Chat(), picked);
        menu.Find("[data-testid='snooze-menu']").Click();
        menu.Find("[data-testid='snooze-next-week']").Click();
        menu.Find("[data-testid='snooze-menu']").Click();
        menu.Find("[data-testid='snooze-customer-replies']").Click();

        var nextWeek = TimeZoneInfo.ConvertTime(picked[0].ShouldBeOfType<SnoozeRequest.Until>().At, Paris);
        nextWeek.DayOfWeek.ShouldBe(DayOfWeek.Monday);
        nextWeek.TimeOfDay.ShouldBe(TimeSpan.FromHours(9));
        (nextWeek.Date - TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).Date).TotalDays.ShouldBeInRange(1, 7);
        picked[1].ShouldBeOfType<SnoozeRequest.UntilCustomerReplies>();
    }

    [Fact]
    public void A_date_and_time_picked_is_read_in_the_agents_time_zone()
    {
        var picked = new List<SnoozeRequest>();
        var menu = RenderMenu(Chat(), picked);
        menu.Find("[data-testid='snooze-menu']").Click();
        menu.Find("[data-testid='snooze-pick']").Click();
        var wanted = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).Date.AddDays(3).AddHours(14).AddMinutes(30);
        menu.Find("[data-testid='snooze-custom-input']").Input(wanted.ToString("yyyy-MM-ddTHH:mm"));
        menu.Find("[data-testid='snooze-custom-apply']").Click();

        var until = picked.ShouldHaveSingleItem().ShouldBeOfType<SnoozeRequest.Until>().At;
        TimeZoneInfo.ConvertTime(until, Paris).DateTime.ShouldBe(wanted);
    }

    [Fact]
    public void A_snoozed_chat_says_until_when_and_offers_wake_now()
    {
        var picked = new List<SnoozeRequest>();
        var menu = RenderMenu(Chat(SupportStatus.Snoozed, DateTimeOffset.UtcNow.AddHours(2)), picked);
        menu.Find("[data-testid='snooze-menu']").TextContent.ShouldContain("Snoozed");
        menu.Find("[data-testid='snooze-menu']").Click();
        menu.Find("[data-testid='snooze-current']").TextContent.ShouldContain("Snoozed until");

        menu.Find("[data-testid='snooze-wake']").Click();

        picked.ShouldHaveSingleItem().ShouldBeOfType<SnoozeRequest.WakeNow>();
    }
}
