using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>Search in the inbox, as an agent uses it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_agent_searches_a_receipt_number_and_opens_the_chat_at_that_message_marked()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("maya");
        var inbox = new InboxPage(page);
        await inbox.WaitUntilKeyboardReadyAsync();

        // "/" goes to the search box; the demo chat of Alice Moreau holds the receipt number LC-20931.
        await page.Keyboard.PressAsync("/");
        await Assertions.Expect(inbox.SearchBox).ToBeFocusedAsync();
        await inbox.SearchAsync("LC-20931");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=LC-20931"));
        var result = inbox.SearchResults.Filter(new() { HasText = "Alice Moreau" });
        await Assertions.Expect(result).ToHaveCountAsync(1);
        await Assertions.Expect(result.Locator("mark").First).ToHaveTextAsync("LC");

        await result.GetByTestId("inbox-row").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("msg=post_"));
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Alice Moreau");
        var found = inbox.History.Locator("[data-found='true']");
        await Assertions.Expect(found).ToContainTextAsync("LC-20931");
        await Assertions.Expect(found).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("search.png") });

        // A query the parser cannot read is said under the box, and the text stays.
        await inbox.SearchAsync("LC-20931 colour:red");
        await Assertions.Expect(page.GetByTestId("search-error")).ToContainTextAsync("colour: is not an operator");
        await Assertions.Expect(inbox.SearchBox).ToHaveValueAsync("LC-20931 colour:red");

        // Clearing returns to the inbox's list.
        await page.GetByTestId("clear-search").ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("q="));
        await Assertions.Expect(inbox.Rows.First).ToBeVisibleAsync();
    }
}
