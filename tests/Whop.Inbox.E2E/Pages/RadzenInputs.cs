namespace Whop.Inbox.E2E.Pages;

/// <summary>Driving Radzen's inputs the way a person does.</summary>
public static class RadzenInputs
{
    /// <summary>A drop-down: open it and click the choice in its (now visible) list.</summary>
    public static async Task ChooseAsync(this IPage page, ILocator dropDown, string choice)
    {
        await dropDown.ClickAsync();
        await page.Locator(".rz-dropdown-panel:visible").GetByRole(AriaRole.Option, new() { Name = choice, Exact = true }).ClickAsync();
    }

    /// <summary>A type-ahead: type key by key (it listens to keys, not to a filled-in value), then click the suggestion.</summary>
    public static async Task PickSuggestionAsync(this IPage page, ILocator input, string typed, string suggestion)
    {
        await input.FillAsync("");
        await input.PressSequentiallyAsync(typed, new() { Delay = 40 });
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = suggestion }).ClickAsync();
    }
}
