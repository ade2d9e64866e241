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

    /// <summary>A view beside the status tabs: all, mine, unassigned or mentions.</summary>
    public ILocator View(string key) => page.GetByTestId($"view-{key}");
    public ILocator ViewCount(string key) => page.GetByTestId($"view-count-{key}");

    public async Task<int> ViewCountAsync(string key) => int.Parse(await ViewCount(key).InnerTextAsync());

    /// <summary>The conversation header's assignment controls (team members who may assign).</summary>
    public ILocator AssignToMe => page.GetByTestId("assign-to-me");
    public ILocator AssigneePicker => page.GetByTestId("assignee-picker");
    public ILocator AssigneeOptions => AssigneePicker.GetByTestId("assignee-option");
    public ILocator AssignError => page.GetByTestId("assign-error");

    /// <summary>Gives the open chat to a team member by name, or to nobody ("Unassigned").</summary>
    public async Task AssignToAsync(string name) => await AssigneePicker.SelectOptionAsync(new SelectOptionValue { Label = name });

    /// <summary>The small avatar of whoever has the chat, in its row.</summary>
    public ILocator RowAssignee(string customerName) => Row(customerName).GetByTestId("row-assignee");

    /// <summary>Who is here: the teammates viewing the open chat (header), a row's viewer, and the composer's soft lock.</summary>
    public ILocator ViewersStrip => page.GetByTestId("viewers-strip");
    public ILocator Viewers => ViewersStrip.GetByTestId("viewer");
    public ILocator RowViewers(string customerName) => Row(customerName).GetByTestId("row-viewers");
    public ILocator SoftLock => page.GetByTestId("soft-lock");
    public ILocator TypingLine => page.GetByTestId("typing");

    /// <summary>The composer's Reply / Note switch (team members in support chats only).</summary>
    public ILocator ReplyMode => page.GetByTestId("composer-mode-reply");
    public ILocator NoteMode => page.GetByTestId("composer-mode-note");

    /// <summary>Writes an internal note: switches to Note, sends, and goes back to Reply.</summary>
    public async Task SendNoteAsync(string text)
    {
        await NoteMode.ClickAsync();
        await Assertions.Expect(page.GetByTestId("composer")).ToHaveAttributeAsync("data-mode", "note");
        await SendAsync(text);
        await Assertions.Expect(Message(text)).ToBeVisibleAsync();
        await ReplyMode.ClickAsync();
    }

    /// <summary>The team-only marks: a note's "Internal note" label, a team system note's lock.</summary>
    public ILocator NoteLabels => History.GetByTestId("note-label");

    /// <summary>Waits until the page's shortcuts answer: they are wired up just after the page turns interactive.</summary>
    public async Task WaitUntilKeyboardReadyAsync() =>
        await Assertions.Expect(page.Locator("[data-inbox][data-keyboard='ready']")).ToHaveCountAsync(1);

    /// <summary>The one search box; the customer filter is one of its suggestions.</summary>
    public ILocator SearchBox => page.GetByRole(AriaRole.Combobox, new() { Name = "Search" });

    /// <summary>Typed key by key, as a person would: the box suggests "Chats with …" (the customer filter) as keys are pressed.</summary>
    public async Task FilterByCustomerAsync(string text, string pick) => await page.PickSuggestionAsync(SearchBox, text, $"Chats with {pick}");

    /// <summary>Searches for a query, as typed and sent with Enter.</summary>
    public async Task SearchAsync(string query)
    {
        await SearchBox.FillAsync(query);
        await SearchBox.PressAsync("Enter");
    }

    public ILocator SearchResults => page.GetByTestId("search-result");

    public async Task SendAsync(string text)
    {
        await Composer.FillAsync(text);
        await Composer.PressAsync("Enter");
    }

    public ILocator Message(string text) => History.GetByTestId("message").Filter(new() { HasText = text });
}
