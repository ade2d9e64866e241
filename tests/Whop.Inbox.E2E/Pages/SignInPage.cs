using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E.Pages;

/// <summary>The sign-in form, as a person sees it.</summary>
public sealed class SignInPage(IPage page)
{
    public ILocator Error => page.GetByTestId("login-error");

    public async Task OpenAsync() => await page.GotoAsync("/account/login");

    public async Task SignInAsync(string userName, string password = InboxApp.DemoPassword)
    {
        await page.GetByLabel("Username or email").FillAsync(userName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in and waits until the app shell is interactive (clicks before that are lost).</summary>
    public async Task<Shell> SignInAndWaitAsync(string userName)
    {
        await OpenAsync();
        await SignInAsync(userName);
        var shell = new Shell(page);
        await shell.WaitUntilInteractiveAsync();
        return shell;
    }
}

/// <summary>The signed-in layout: header and navigation.</summary>
public sealed class Shell(IPage page)
{
    public IPage Page => page;
    public ILocator Navigation => page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" });
    public ILocator SignedInAs => page.GetByTestId("signed-in-as");

    public async Task WaitUntilInteractiveAsync() =>
        await page.Locator("main[data-interactive='true']").WaitForAsync();

    /// <summary>The visible labels of the navigation, in order.</summary>
    public async Task<IReadOnlyList<string>> NavigationItemsAsync()
    {
        await Navigation.GetByRole(AriaRole.Link).First.WaitForAsync();
        var texts = await Navigation.GetByRole(AriaRole.Link).AllInnerTextsAsync();
        return texts.Select(t => t.Trim()).Where(t => t.Length > 0).ToList();
    }
}
