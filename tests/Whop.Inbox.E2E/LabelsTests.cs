using Microsoft.Playwright;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>An agent sorts a chat: labels it <em>billing</em>, filters the inbox by the label, and marks it urgent.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LabelsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_agent_labels_a_chat_billing_filters_the_inbox_by_it_and_sets_its_priority()
    {
        // Wanda is this story's alone: no other test writes as her.
        await Fixture.NewCustomerAsync("wanda-labels", "Wanda Labelle");
        var chat = await Fixture.CustomerWritesInAsync("wanda-labels", "I was charged twice for my course.");
        await Fixture.CustomerWritesInAsync("alice", "Any news on my course access?");

        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var inbox = new InboxPage(page);
        await page.GotoAsync($"/inbox?status=all&chat={chat}");
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Wanda Labelle");

        // The label menu: search for billing; an admin creates it when the company has none of that name.
        await page.GetByTestId("label-menu-button").ClickAsync();
        await page.GetByTestId("label-search").FillAsync("billing");
        var create = page.GetByTestId("create-label");
        var existing = page.GetByTestId("label-option").Filter(new() { HasText = "billing" });
        await Assertions.Expect(create.Or(existing).First).ToBeVisibleAsync();
        if (await create.IsVisibleAsync()) await create.ClickAsync();
        else await existing.First.ClickAsync();

        var header = page.GetByTestId("label-picker");
        await Assertions.Expect(header.GetByTestId("label-chip")).ToHaveTextAsync("billing");
        await Assertions.Expect(inbox.Row("Wanda Labelle").GetByTestId("label-chip")).ToHaveTextAsync("billing");
        await Assertions.Expect(inbox.History).ToContainTextAsync("added billing");

        // Urgent from the header: the row shows the flag, named for screen readers.
        await page.GetByTestId("priority-picker").SelectOptionAsync("urgent");
        var flag = inbox.Row("Wanda Labelle").GetByTestId("priority-flag");
        await Assertions.Expect(flag).ToHaveAttributeAsync("aria-label", "Priority: Urgent");

        // Then high, from the keyboard.
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        await inbox.WaitUntilKeyboardReadyAsync();
        await page.Keyboard.PressAsync("3");
        await Assertions.Expect(flag).ToHaveAttributeAsync("data-priority", "high");
        await Assertions.Expect(page.GetByTestId("priority-picker")).ToHaveValueAsync("high");

        // Filtering by billing: Wanda's chat stays, Alice's (no label) goes, and the address keeps the filter.
        await Assertions.Expect(inbox.Row("Alice Moreau")).ToBeVisibleAsync();
        await page.GetByTestId("label-filter").Locator("select").SelectOptionAsync(new SelectOptionValue { Label = "billing" });
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("label=label_"));
        await Assertions.Expect(inbox.Row("Wanda Labelle")).ToBeVisibleAsync();
        await Assertions.Expect(inbox.Row("Alice Moreau")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("clear-label")).ToContainTextAsync("billing");

        await page.ReloadAsync();
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(inbox.Row("Wanda Labelle")).ToBeVisibleAsync();
        await Assertions.Expect(inbox.Row("Alice Moreau")).ToHaveCountAsync(0);
    }
}
