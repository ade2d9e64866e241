namespace Whop.Inbox.E2E.Pages;

/// <summary>The support inbox: tabs, filters, the list and the open conversation.</summary>
public sealed class InboxPage(IPage page)
{
    public ILocator Rows => page.GetByTestId("inbox-row");
    public ILocator Conversation => page.GetByTestId("conversation");
    public ILocator ConversationTitle => page.GetByTestId("conversation-title");
    public ILocator ConversationStatus => page.GetByTestId("conversation-status");
    public ILocator History => page.GetByTestId("history");
    /// <summary>The message box, once Enter sends from it (see conversation.js).</summary>
    public ILocator Composer => page.Locator("[data-composer='ready']").GetByTestId("composer-input");
    public ILocator SendError => page.GetByTestId("send-error");

    public ILocator Row(string customerName) => Rows.Filter(new() { HasText = customerName });
    public ILocator Tab(string key) => page.GetByTestId($"tab-{key}");
    public ILocator TabCount(string key) => page.GetByTestId($"tab-count-{key}");
    public ILocator TabUnread(string key) => page.GetByTestId($"tab-unread-{key}");

    /// <summary>Waits until the page's shortcuts answer: they are wired up just after the page turns interactive.</summary>
    public async Task WaitUntilKeyboardReadyAsync() =>
        await Assertions.Expect(page.Locator("[data-inbox][data-keyboard='ready']")).ToHaveCountAsync(1);

    public ILocator CustomerFilter => page.GetByRole(AriaRole.Combobox, new() { Name = "Filter by customer" });

    /// <summary>Typed key by key, as a person would: the type-ahead searches as keys are pressed.</summary>
    public async Task FilterByCustomerAsync(string text, string pick) => await page.PickSuggestionAsync(CustomerFilter, text, pick);

    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    public ILocator Message(string text) => History.GetByTestId("message").Filter(new() { HasText = text });
}
