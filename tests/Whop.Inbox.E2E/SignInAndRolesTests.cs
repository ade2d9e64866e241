using System.Text.RegularExpressions;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class SignInAndRolesTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_admin_sees_the_inbox_messages_team_and_api_keys()
    {
        var page = await Fixture.NewPageAsync();
        var shell = await new SignInPage(page).SignInAndWaitAsync("admin");

        (await shell.NavigationItemsAsync()).ShouldBe(["Support inbox", "Direct messages", "Saved replies", "Team", "Reports", "Labels", "API keys", "Audit trail", "Embedding", "Webhooks", "Profile"]);
        await Assertions.Expect(shell.SignedInAs).ToContainTextAsync("Jordan Blake");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/inbox$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("team-grid")).ToContainTextAsync("Maya Chen");
    }

    [Fact]
    public async Task A_moderator_sees_the_inbox_and_messages_but_not_settings()
    {
        var page = await Fixture.NewPageAsync();
        var shell = await new SignInPage(page).SignInAndWaitAsync("maya");

        (await shell.NavigationItemsAsync()).ShouldBe(["Support inbox", "Direct messages", "Saved replies", "Profile"]);
        await Assertions.Expect(page.GetByTestId("inbox-list")).ToContainTextAsync("Alice Moreau");

        // The README's picture: the demo's chats, oldest first (other tests add customers of their own),
        // with Alice's conversation open.
        var inbox = new InboxPage(page);
        await page.GotoAsync("/inbox?status=all&sort=created-asc");
        await new Shell(page).WaitUntilInteractiveAsync();
        await inbox.Row("Alice Moreau").ClickAsync();
        await Assertions.Expect(inbox.Composer).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("customer-chats")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("inbox.png") });
    }

    [Fact]
    public async Task A_moderator_who_types_the_team_settings_url_is_refused()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("omar");

        await page.GotoAsync("/team");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("team-grid")).ToHaveCountAsync(0);

        await page.GotoAsync("/settings/api-keys");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("api-keys-grid")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_customer_sees_only_their_messages_with_their_support_chat_and_no_inbox()
    {
        var page = await Fixture.NewPageAsync();
        var shell = await new SignInPage(page).SignInAndWaitAsync("alice");

        (await shell.NavigationItemsAsync()).ShouldBe(["Messages", "Profile"]);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/messages$"));
        var list = page.GetByTestId("conversation-list");
        await Assertions.Expect(list.Locator("[data-kind='support']")).ToContainTextAsync("Lumen Courses support");
        await Assertions.Expect(list).ToContainTextAsync("Cohort 4 study group");

        await page.GotoAsync("/inbox");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("inbox-list")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wrong_password_shows_an_error_and_keeps_the_username()
    {
        var page = await Fixture.NewPageAsync();
        var signIn = new SignInPage(page);
        await signIn.OpenAsync();
        await signIn.SignInAsync("ben", "not-the-password");

        await Assertions.Expect(signIn.Error).ToHaveTextAsync("That username or password is not right.");
        await Assertions.Expect(page.GetByLabel("Username or email")).ToHaveValueAsync("ben");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var page = await Fixture.NewPageAsync();
        var signIn = new SignInPage(page);
        await signIn.OpenAsync();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await signIn.SignInAsync("tomas", $"wrong-{attempt}");
            await Assertions.Expect(signIn.Error).ToBeVisibleAsync();
        }
        await signIn.SignInAsync("tomas", InboxApp.DemoPassword);
        await Assertions.Expect(signIn.Error).ToContainTextAsync("locked");
    }

    [Fact]
    public async Task Signing_out_returns_to_the_sign_in_page_and_protected_pages_ask_to_sign_in_again()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("chloe");

        await page.GetByTestId("sign-out").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));

        await page.GotoAsync("/messages");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}

internal static class Screenshots
{
    /// <summary>Screenshots live beside the tests; the README shows the inbox one.</summary>
    public static string PathFor(string name) => Path.Combine(RepositoryPaths.Root, "tests", "Whop.Inbox.E2E", "Screenshots", name);
}
