using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>An agent keeps a saved reply, then inserts it into a support chat with /, its customer's name filled in, edits it and sends it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SavedRepliesTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_agent_inserts_a_saved_reply_with_a_slash_edits_it_and_sends_it()
    {
        // Ingrid's chat: no other test touches her.
        await Fixture.NewCustomerAsync("ingrid", "Ingrid Solberg");
        var chat = await Fixture.CustomerWritesInAsync("ingrid", "My refund has not arrived yet.");

        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("maya");
        await new Shell(page).WaitUntilInteractiveAsync();

        // Maya (a moderator) keeps a personal reply: the Shared switch is the admins'.
        await page.GetByTestId("nav-saved-replies").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Saved replies", Exact = true })).ToBeVisibleAsync();
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("saved-reply-shared")).ToHaveCountAsync(0);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Refund sent");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Hi {customer.name}, your refund left us today. — {agent.name}");
        await page.GetByTestId("saved-reply-save").ClickAsync();
        var row = page.GetByTestId("saved-reply-row").Filter(new() { HasText = "Refund sent" });
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.GetByTestId("saved-reply-kind")).ToHaveTextAsync("Personal");

        var inbox = new InboxPage(page);
        await page.GotoAsync($"/inbox?status=all&customer=ingrid&chat={chat}");
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Ingrid Solberg");

        // A slash opens the list; what follows filters it; the keyboard picks and inserts.
        await inbox.Composer.ClickAsync();
        await inbox.Composer.PressSequentiallyAsync("/refund se");
        var picker = page.GetByTestId("reply-picker");
        await Assertions.Expect(picker.GetByRole(AriaRole.Option, new() { Name = "Refund sent" })).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(inbox.Composer).ToHaveAttributeAsync("data-reply-picker", "open");
        await inbox.Composer.PressAsync("Enter");

        await Assertions.Expect(picker).ToHaveCountAsync(0);
        await Assertions.Expect(inbox.Composer).ToHaveValueAsync("Hi Ingrid Solberg, your refund left us today. — Maya Chen");

        // The text is hers to edit before it goes.
        await inbox.Composer.PressAsync("End");
        await inbox.Composer.PressSequentiallyAsync(" It takes 3 to 5 days to reach your bank.");
        await inbox.Composer.PressAsync("Enter");

        await Assertions.Expect(inbox.Message("your refund left us today")).ToContainTextAsync(
            "Hi Ingrid Solberg, your refund left us today. — Maya Chen It takes 3 to 5 days to reach your bank.");
        await Assertions.Expect(inbox.Composer).ToHaveValueAsync("");
    }
}
