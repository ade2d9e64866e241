using System.Net.Http.Headers;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class ApiKeysPageTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_admin_creates_a_key_sees_it_once_and_revokes_it_and_the_api_then_refuses_it()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API keys" })).ToBeVisibleAsync();

        // No name: a visible message, nothing created.
        await page.GetByTestId("api-key-create").ClickAsync();
        // The reason shows under the field it is about, and the field says it is wrong.
        await Assertions.Expect(page.GetByText("Give the key a name")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");

        var name = $"Browser key {Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByTestId("api-key-create").ClickAsync();
        var secret = (await page.GetByTestId("api-key-secret").InnerTextAsync()).Trim();
        secret.ShouldStartWith("whk_");

        using var api = Fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        ((int)(await api.GetAsync("/api/v1/api_keys")).StatusCode).ShouldBe(200);

        // After a reload the secret is gone for good; only the prefix is listed.
        await page.ReloadAsync();
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(page.GetByTestId("api-key-secret")).ToHaveCountAsync(0);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync(secret[..16]);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync("Revoked");
        ((int)(await api.GetAsync("/api/v1/api_keys")).StatusCode).ShouldBe(401);
    }
}
