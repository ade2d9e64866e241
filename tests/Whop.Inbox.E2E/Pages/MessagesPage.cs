namespace Whop.Inbox.E2E.Pages;

/// <summary>The conversations page: the list, the open conversation and its members panel.</summary>
public sealed class MessagesPage(IPage page)
{
    public ILocator Rows => page.GetByTestId("conversation-row");
    public ILocator Row(string title) => Rows.Filter(new() { HasText = title });
    public ILocator History => page.GetByTestId("history");
    /// <summary>The message box of a conversation once Enter sends from it (see conversation.js), or the first-message box of a support chat.</summary>
    public ILocator Composer =>
        page.Locator("[data-composer='ready'] [data-testid='composer-input'], [data-testid='start-support'] [data-testid='composer-input']");
    public ILocator Members => page.GetByTestId("member");
    public ILocator MembersError => page.GetByTestId("members-error");

    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    /// <summary>Writes a poll in the open conversation's composer (the question is the message) and sends it.</summary>
    public async Task SendPollAsync(string question, params string[] options)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a poll" }).ClickAsync();
        await Composer.FillAsync(question);
        for (var i = 0; i < options.Length; i++)
        {
            if (i >= 2) await page.GetByTestId("poll-add-option").ClickAsync();
            await page.GetByRole(AriaRole.Textbox, new() { Name = $"Option {i + 1}", Exact = true }).FillAsync(options[i]);
        }
        await page.GetByTestId("send").ClickAsync();
    }

    /// <summary>A poll option's button in the history, by the option's text.</summary>
    public ILocator PollOption(string text) => History.GetByTestId("poll-option").Filter(new() { HasText = text });

    public ILocator AddMember => page.GetByRole(AriaRole.Combobox, new() { Name = "Add a member" });

    public async Task AddMemberAsync(string typed, string pick) => await page.PickSuggestionAsync(AddMember, typed, pick);
}
