using Whop.Inbox.E2E.Pages;
using Whop.Inbox.Webhooks;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class WebhooksPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_admin_adds_an_endpoint_sees_its_secret_once_and_the_endpoint_listed()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var hooks = new WebhooksPage(page);
        await hooks.OpenAsync();

        // A documentation address (TEST-NET-1): public, so accepted, and nothing there answers.
        var url = $"https://192.0.2.20/hooks/{Guid.NewGuid():N}";
        await hooks.Url.FillAsync(url);
        await hooks.ChooseTopicAsync("message.created");
        await hooks.ChooseTopicAsync("support_chat.created");
        await hooks.IncludeTeamNotesAsync();
        await hooks.AddAsync();

        await Assertions.Expect(hooks.Secret).ToContainTextAsync(WebhookIds.Secret);
        await Assertions.Expect(page.GetByText("webhook-signature").First).ToBeVisibleAsync();
        var row = hooks.Row(url);
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("message.created");
        await Assertions.Expect(row).ToContainTextAsync("support_chat.created");
        await Assertions.Expect(row).ToContainTextAsync("Team notes");
        await Assertions.Expect(hooks.Url).ToHaveValueAsync("");

        // Once: after a reload the endpoint is still listed and its secret is gone for good.
        await page.ReloadAsync();
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(hooks.Row(url)).ToHaveCountAsync(1);
        await Assertions.Expect(hooks.Secret).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_moderator_has_no_webhooks_link_and_is_refused_the_page()
    {
        var page = await Fixture.NewPageAsync();
        var shell = await new SignInPage(page).SignInAndWaitAsync("maya");

        (await shell.NavigationItemsAsync()).ShouldNotContain("Webhooks");
        await Assertions.Expect(page.GetByTestId("nav-webhooks")).ToHaveCountAsync(0);

        await page.GotoAsync("/settings/webhooks");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("webhook-create")).ToHaveCountAsync(0);
    }
}
