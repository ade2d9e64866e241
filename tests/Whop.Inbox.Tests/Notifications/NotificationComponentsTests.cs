using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Notifications;
using Whop.Inbox.Notifications.Components;
using Whop.Inbox.Notifications.Pages;
using Whop.Inbox.Tests.Components;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Notifications;

/// <summary>The profile page's notification preferences and the tab's unread count, over the real services.</summary>
public sealed class NotificationComponentsTests(InboxApp app) : ComponentTest(app)
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_profile_page_refuses_a_time_at_its_field_keeps_what_was_typed_and_saves_once_it_is_right()
    {
        var ana = await App.NewUserAsync("customer");
        var viewer = await SignInAsync(ana.Username);
        var page = Render<ProfilePage>();
        page.WaitForAssertion(() => page.Find("[data-testid='notification-form']"), Soon);
        page.Markup.ShouldNotContain("A customer writes", Case.Sensitive, "a customer is offered only the events that can reach them");

        await page.InvokeAsync(() => Input(page, "notify-sound").ChangeAsync(new ChangeEventArgs { Value = true }));
        await page.InvokeAsync(() => Input(page, "notify-quiet").ChangeAsync(new ChangeEventArgs { Value = true }));
        // The quiet hours' fields come with the switch's next render.
        page.WaitForAssertion(() => page.Find("#quiet-start"), Soon);
        await page.InvokeAsync(() => page.Find("#quiet-start").InputAsync(new ChangeEventArgs { Value = "25:00" }));
        await page.InvokeAsync(() => page.Find("#quiet-end").InputAsync(new ChangeEventArgs { Value = "07:00" }));
        await page.InvokeAsync(() => page.Find("#quiet-time-zone").InputAsync(new ChangeEventArgs { Value = "Europe/Berlin" }));
        await page.InvokeAsync(() => page.Find("form[data-testid='notification-form']").SubmitAsync());

        page.WaitForAssertion(() => page.Markup.ShouldContain("quiet_hours.start must be a time of day"), Soon);
        page.Find("#quiet-start").GetAttribute("value").ShouldBe("25:00", "what was typed stays");
        page.Find("#quiet-time-zone").GetAttribute("value").ShouldBe("Europe/Berlin");
        page.FindAll("[data-testid='notification-saved']").ShouldBeEmpty();
        var stored = Services.GetRequiredService<NotificationPreferences>();
        (await stored.GetAsync(viewer.Actor)).Value!.Sound.ShouldBeFalse("nothing was saved");

        await page.InvokeAsync(() => page.Find("#quiet-start").InputAsync(new ChangeEventArgs { Value = "22:00" }));
        await page.InvokeAsync(() => page.Find("form[data-testid='notification-form']").SubmitAsync());
        page.WaitForAssertion(() => page.Find("[data-testid='notification-saved']"), Soon);
        page.Markup.ShouldNotContain("quiet_hours.start must be");
        var saved = (await stored.GetAsync(viewer.Actor)).Value!;
        saved.Sound.ShouldBeTrue();
        saved.Quiet.ShouldBe(new QuietHours(22 * 60, 7 * 60, "Europe/Berlin"));
    }

    [Fact]
    public async Task The_tab_signals_show_the_persons_unread_count_live_and_hand_it_to_the_title_and_favicon_script()
    {
        var ana = await App.NewUserAsync("customer");
        var ben = await App.NewUserAsync("customer");
        var viewer = await SignInAsync(ana.Username);
        var script = JSInterop.SetupModule("./Notifications/Components/AttentionSignals.razor.js");
        var tab = script.SetupModule(invocation => invocation.Identifier == "start");
        tab.Mode = JSRuntimeMode.Loose;

        var signals = Render<AttentionSignals>(p => p.Add(c => c.Info, viewer));
        signals.WaitForAssertion(() => signals.Find("[data-testid='unread-total']").GetAttribute("data-count").ShouldBe("0"), Soon);

        var dm = (await ben.Client.CreateDmAsync(ana.Id)).Id();
        await ben.Client.SendAsync(dm, "Are you there?");
        signals.WaitForAssertion(() => signals.Find("[data-testid='unread-total']").GetAttribute("data-count").ShouldBe("1"), Soon);
        await UntilAsync(() => tab.Invocations["setCount"].Any(i => Equals(i.Arguments[0], 1)), "the script is told the count");
        await UntilAsync(() => tab.Invocations["alert"].Any(), "the script is handed the alert");

        await ana.Client.PostAsync($"/api/v1/dm_channels/{dm}/mark_read", null);
        signals.WaitForAssertion(() => signals.Find("[data-testid='unread-total']").GetAttribute("data-count").ShouldBe("0"), Soon);
        await UntilAsync(() => Equals(tab.Invocations["setCount"].Last().Arguments[0], 0), "the script is told the count went back to 0");
    }

    [Fact]
    public async Task Going_away_stops_the_tab_script_and_is_done_though_the_page_never_answers()
    {
        var ana = await App.NewUserAsync("customer");
        var viewer = await SignInAsync(ana.Username);
        var script = JSInterop.SetupModule("./Notifications/Components/AttentionSignals.razor.js");
        var tab = script.SetupModule(invocation => invocation.Identifier == "start");
        tab.Mode = JSRuntimeMode.Loose;
        // A closed page never answers: planned, and never given a result.
        tab.SetupVoid("dispose");
        var signals = Render<AttentionSignals>(p => p.Add(c => c.Info, viewer));
        signals.WaitForAssertion(() => signals.Find("[data-testid='unread-total']"), Soon);
        await UntilAsync(() => script.Invocations["start"].Any(), "the script is started");

        // A circuit ends by disposing its components. In a real circuit, waiting for the answer held that end (and
        // the browser's request that asked for it) for the call's one-minute timeout; here an unanswered call does
        // not hold a disposal the same way, so that wait is shown by the benchmark's browser phase, not by this test.
        var disposal = signals.InvokeAsync(() => signals.Instance.DisposeAsync().AsTask());
        (await Task.WhenAny(disposal, Task.Delay(Soon))).ShouldBe(disposal, "the component went away without the page's answer");
        await disposal;
        tab.VerifyInvoke("dispose");
    }

    [Theory]
    [InlineData("inbox?status=open&chat=feed_1", "feed_1")]
    [InlineData("inbox?status=open", null)]
    [InlineData("messages/feed_2", "feed_2")]
    [InlineData("messages/feed_3#end", "feed_3")]
    [InlineData("messages", null)]
    [InlineData("profile", null)]
    public void The_conversation_on_screen_is_read_from_the_address(string address, string? channelId) =>
        OnScreen.ChannelIn(address).ShouldBe(channelId);

    /// <summary>A script call renders nothing, so a render-driven wait would not look again: this one does, every 50 ms.</summary>
    private static async Task UntilAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Soon;
        while (!Holds(condition))
        {
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"Waited {Soon.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    // The list of calls grows on the component's thread while this one reads it: a read that meets that looks again.
    private static bool Holds(Func<bool> condition)
    {
        try
        {
            return condition();
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static IElement Input(IRenderedComponent<ProfilePage> page, string testId)
    {
        var element = page.Find($"[data-testid='{testId}']");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }
}
