namespace Whop.Inbox.E2E.Pages;

/// <summary>Driving Radzen's inputs the way a person does.</summary>
public static class RadzenInputs
{
    /// <summary>
    /// A drop-down: open it and click the choice in its (now visible) list. Its list is opened by script; on a
    /// cold, busy machine a first click can come before that is ready, so it is closed and clicked again.
    /// </summary>
    public static async Task ChooseAsync(this IPage page, ILocator dropDown, string choice)
    {
        var option = page.Locator(".rz-dropdown-panel:visible").GetByRole(AriaRole.Option, new() { Name = choice, Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            await dropDown.ClickAsync();
            try
            {
                await option.WaitForAsync(new() { Timeout = 10_000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3)
            {
                await page.Keyboard.PressAsync("Escape");
            }
        }
        await option.ClickAsync();
    }

    /// <summary>A type-ahead: type into it until it suggests <paramref name="suggestion"/>, then click that.</summary>
    public static async Task PickSuggestionAsync(this IPage page, ILocator input, string typed, string suggestion) =>
        await (await page.TypeUntilSuggestedAsync(input, typed, suggestion)).ClickAsync();

    /// <summary>
    /// Types key by key (a type-ahead listens to keys, not to a filled-in value) until the suggestion shows, and
    /// returns it. The type-ahead's script attaches just after the first interactive render; keys typed before
    /// that open no list, so on a cold, busy machine the typing is tried again, as a person would.
    /// </summary>
    public static async Task<ILocator> TypeUntilSuggestedAsync(this IPage page, ILocator input, string typed, string suggestion)
    {
        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = suggestion });
        for (var attempt = 1; ; attempt++)
        {
            await input.FillAsync("");
            await input.PressSequentiallyAsync(typed, new() { Delay = 40 });
            try
            {
                await option.WaitForAsync(new() { Timeout = 10_000 });
                return option;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
