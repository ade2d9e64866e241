using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>Snoozing a chat for a minute: it leaves Open, shows under Snoozed with its wake-up time, and comes back by itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SnoozeTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    /// <summary>Longer than the minute the chat sleeps and the waker's interval together.</summary>
    private static readonly LocatorAssertionsToHaveCountOptions UntilItWakes = new() { Timeout = 150_000 };

    [Fact]
    public async Task An_agent_snoozes_a_chat_for_a_minute_and_sees_it_leave_open_and_come_back_by_itself()
    {
        // Sunniva's chat: no other test touches her.
        await Fixture.NewCustomerAsync("sunniva", "Sunniva Haugen");
        var chat = await Fixture.CustomerWritesInAsync("sunniva", "Could you get back to me in a minute?");

        var mayaPage = await Fixture.NewPageAsync();
        await new SignInPage(mayaPage).SignInAndWaitAsync("maya");
        var inbox = new InboxPage(mayaPage);
        await mayaPage.GotoAsync($"/inbox?status=open&chat={chat}");
        await new Shell(mayaPage).WaitUntilInteractiveAsync();
        await Assertions.Expect(inbox.Row("Sunniva Haugen")).ToHaveCountAsync(1);

        // A colleague watches the Snoozed tab.
        var omarPage = await Fixture.NewPageAsync();
        await new SignInPage(omarPage).SignInAndWaitAsync("omar");
        var omarsInbox = new InboxPage(omarPage);
        await omarPage.GotoAsync("/inbox?status=snoozed&customer=sunniva");
        await new Shell(omarPage).WaitUntilInteractiveAsync();
        await Assertions.Expect(omarsInbox.Row("Sunniva Haugen")).ToHaveCountAsync(0);

        // A date and time a minute or so ahead, in the browser's own time zone (the picker's minutes are whole).
        await mayaPage.GetByTestId("snooze-menu").ClickAsync();
        await mayaPage.GetByTestId("snooze-pick").ClickAsync();
        var inAMinute = await mayaPage.EvaluateAsync<string>("""
            (() => {
              const d = new Date(Date.now() + 90_000), p = (n) => String(n).padStart(2, '0');
              return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
            })()
            """);
        var picker = mayaPage.GetByTestId("snooze-custom-input");
        await Assertions.Expect(picker).Not.ToHaveValueAsync("");
        await picker.FillAsync(inAMinute);
        await Assertions.Expect(picker).ToHaveValueAsync(inAMinute);
        // The server has the time typed when the apply button says so.
        await Assertions.Expect(mayaPage.GetByTestId("snooze-custom-apply")).ToHaveAttributeAsync("data-value", inAMinute);
        await mayaPage.GetByTestId("snooze-custom-apply").ClickAsync();

        // It leaves Open at once and shows under Snoozed, with its wake-up time.
        await Assertions.Expect(inbox.ConversationStatus).ToHaveTextAsync("Snoozed");
        await Assertions.Expect(inbox.Row("Sunniva Haugen")).ToHaveCountAsync(0);
        await Assertions.Expect(omarsInbox.Row("Sunniva Haugen")).ToHaveCountAsync(1);
        await Assertions.Expect(omarsInbox.Row("Sunniva Haugen").GetByTestId("row-snoozed-until")).ToContainTextAsync(inAMinute[^5..]);
        await Assertions.Expect(inbox.History).ToContainTextAsync("snoozed this chat until");

        // When the minute is up it wakes by itself: back in Open, gone from Snoozed, with the team's note.
        await Assertions.Expect(inbox.Row("Sunniva Haugen")).ToHaveCountAsync(1, UntilItWakes);
        await Assertions.Expect(omarsInbox.Row("Sunniva Haugen")).ToHaveCountAsync(0);
        await Assertions.Expect(inbox.ConversationStatus).ToHaveTextAsync("Open");
        await Assertions.Expect(inbox.History).ToContainTextAsync("— woke up.");
    }
}
