namespace Whop.Inbox.E2E.Pages;

/// <summary>The audit trail: its filters, its rows and "Load more".</summary>
public sealed class AuditTrailPage(IPage page)
{
    public ILocator Grid => page.GetByTestId("audit-grid");
    public ILocator Rows => Grid.Locator("tbody").GetByRole(AriaRole.Row);
    public ILocator Chat => page.GetByLabel("Chat", new() { Exact = true });
    public ILocator Actor => page.GetByRole(AriaRole.Combobox, new() { Name = "Actor" });
    public ILocator Action => page.GetByRole(AriaRole.Combobox, new() { Name = "Action" });
    public ILocator Error => page.GetByTestId("audit-error");
    public ILocator LoadMore => page.GetByRole(AriaRole.Button, new() { Name = "Load more" });

    public async Task OpenAsync()
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" }).GetByRole(AriaRole.Link, new() { Name = "Audit trail" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit trail" })).ToBeVisibleAsync();
        await Grid.WaitForAsync();
    }

    public async Task FilterByActionAsync(string action) => await page.ChooseAsync(Action, action);

    public async Task FilterByActorAsync(string typed, string name) => await page.PickSuggestionAsync(Actor, typed, name);

    public async Task ApplyAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();

    /// <summary>The "What" column of every row shown, top to bottom.</summary>
    public async Task<IReadOnlyList<string>> ActionsShownAsync() =>
        (await Grid.GetByTestId("audit-action-text").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();
}
