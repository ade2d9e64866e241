namespace Whop.Inbox.E2E.Pages;

/// <summary>Driving the app's drop-downs and type-aheads the way a person does: by their roles and labels.</summary>
public static class FormInputs
{
    /// <summary>
    /// A drop-down (a combobox): open it and click the choice in its (now visible) list. Its list is opened by
    /// script; on a cold, busy machine a first click can come before that is ready, so it is closed and clicked again.
    /// </summary>
    public static async Task ChooseAsync(this IPage page, ILocator dropDown, string choice)
    {
        var option = page.GetByRole(AriaRole.Option, new() { Name = choice, Exact = true });
        for (var attempt = 1; ; attempt++)
        {
            // A click opens the list; should the first click come before its script is ready, the keyboard does.
            if (attempt == 1) await dropDown.ClickAsync();
            else
            {
                await dropDown.FocusAsync();
                await page.Keyboard.PressAsync("Enter");
            }
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
    /// returns it. Keys typed before the page is live open no list, so on a cold, busy machine the typing is tried
    /// again, as a person would.
    /// </summary>
    public static async Task<ILocator> TypeUntilSuggestedAsync(this IPage page, ILocator input, string typed, string suggestion)
    {
        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = suggestion });
        for (var attempt = 1; ; attempt++)
        {
            await input.FillAsync("");
            // As a person pauses between clearing a box and typing: the type-ahead hears of the empty box first.
            await page.WaitForTimeoutAsync(300);
            await input.PressSequentiallyAsync(typed, new() { Delay = 40 });
            try
            {
                await option.First.WaitForAsync(new() { Timeout = 10_000 });
                return option.First;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>
    /// Types into a type-ahead key by key and checks it took every key: keys typed in the instant the field takes
    /// the focus can be overwritten as the type-ahead wakes up, so the typing is tried again, as a person would.
    /// </summary>
    public static async Task TypeIntoAsync(this IPage page, ILocator input, string text)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await input.FillAsync("");
            await page.WaitForTimeoutAsync(300);
            await input.PressSequentiallyAsync(text, new() { Delay = 40 });
            await page.WaitForTimeoutAsync(300);
            if (await input.InputValueAsync() == text) return;
        }
    }
}
