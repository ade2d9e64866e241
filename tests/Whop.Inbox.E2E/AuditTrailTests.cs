using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class AuditTrailTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_admins_team_changes_show_newest_first_and_filter_by_action()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        var shell = await new SignInPage(page).SignInAndWaitAsync("admin");
        (await shell.NavigationItemsAsync()).ShouldContain("Audit trail");

        var team = new TeamPage(page);
        await team.OpenAsync();
        await team.PickPersonAsync("rosa", "Rosa Alvarez");
        await team.AddAsync();
        await Assertions.Expect(team.Notice).ToContainTextAsync("Rosa Alvarez joined the team as moderator.");
        await team.ChangeRoleAsync("Rosa Alvarez", "Admin");
        await Assertions.Expect(team.Notice).ToContainTextAsync("Rosa Alvarez is now admin.");
        await team.RemoveAsync("Rosa Alvarez");
        await team.ConfirmAsync("Remove");
        await Assertions.Expect(team.Row("Rosa Alvarez")).ToHaveCountAsync(0);

        var trail = new AuditTrailPage(page);
        await trail.OpenAsync();
        var rosa = trail.Rows.Filter(new() { HasText = "Rosa Alvarez" });
        await Assertions.Expect(rosa).ToHaveCountAsync(3);
        await Assertions.Expect(rosa.Nth(0)).ToContainTextAsync("Removed from the team");
        await Assertions.Expect(rosa.Nth(1)).ToContainTextAsync("Changed a team role");
        await Assertions.Expect(rosa.Nth(1)).ToContainTextAsync("admin");
        await Assertions.Expect(rosa.Nth(2)).ToContainTextAsync("Added to the team");
        await Assertions.Expect(rosa.Nth(2)).ToContainTextAsync("Jordan Blake");
        await Assertions.Expect(rosa.Nth(0).Locator("time")).ToHaveAttributeAsync("title", new Regex("UTC$"));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("audit-trail.png") });

        await trail.FilterByActionAsync("Changed a team role");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("action=team.role_changed"));
        await Assertions.Expect(rosa).ToHaveCountAsync(1);
        (await trail.ActionsShownAsync()).ShouldAllBe(a => a == "Changed a team role");

        await trail.FilterByActorAsync("jord", "Jordan Blake");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("actor=admin"));
        await Assertions.Expect(rosa).ToHaveCountAsync(1);

        await trail.FilterByActorAsync("omar", "Omar Haddad");
        await Assertions.Expect(page.GetByTestId("audit-empty")).ToHaveTextAsync("No entries match these filters.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Assertions.Expect(rosa).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task A_wrong_chat_id_is_explained_and_kept_in_the_filter()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var trail = new AuditTrailPage(page);
        await page.GotoAsync("/settings/audit");
        await new Shell(page).WaitUntilInteractiveAsync();

        await trail.Chat.FillAsync("alice's chat");
        await trail.ApplyAsync();
        await Assertions.Expect(trail.Error).ToContainTextAsync("is not a chat id");
        await Assertions.Expect(trail.Chat).ToHaveValueAsync("alice's chat");
        await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("chat="));
    }

    [Fact]
    public async Task Load_more_walks_the_trail_a_page_at_a_time()
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        for (var i = 0; i < 30; i++)
        {
            var created = await api.PostAsJsonAsync("/api/v1/api_keys", new { name = $"Paging key {i:00}" });
            created.EnsureSuccessStatusCode();
        }

        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var trail = new AuditTrailPage(page);
        await page.GotoAsync("/settings/audit?action=api_key.created");
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(trail.Action).ToHaveValueAsync("Created an API key");

        await Assertions.Expect(trail.Rows).ToHaveCountAsync(25);
        await Assertions.Expect(trail.Rows.First).ToContainTextAsync("Bootstrap API key");
        await Assertions.Expect(trail.Rows.First).ToContainTextAsync("Paging key 29");
        await trail.LoadMore.ClickAsync();
        await Assertions.Expect(trail.Rows.Filter(new() { HasText = "Paging key 00" })).ToHaveCountAsync(1);
        (await trail.Rows.CountAsync()).ShouldBeGreaterThanOrEqualTo(30);
        await Assertions.Expect(trail.LoadMore).ToHaveCountAsync(0);
        (await trail.ActionsShownAsync()).ShouldAllBe(a => a == "Created an API key");
    }

    [Fact]
    public async Task A_moderator_has_no_audit_trail_in_the_navigation_and_is_refused_at_its_url()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        var shell = await new SignInPage(page).SignInAndWaitAsync("maya");
        (await shell.NavigationItemsAsync()).ShouldNotContain("Audit trail");

        await page.GotoAsync("/settings/audit");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to this page" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("audit-grid")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_resolved_chat_links_to_the_inbox_and_narrows_the_trail_to_that_chat()
    {
        using var api = fixture.App.CreateHttpClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        var chats = await api.GetFromJsonAsync<JsonElement>("/api/v1/support_channels?customer_id=dan");
        var chatId = chats.GetProperty("data")[0].GetProperty("id").GetString()!;
        (await api.PostAsync($"/api/v1/support_channels/{chatId}/resolve", null)).EnsureSuccessStatusCode();

        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        await new SignInPage(page).SignInAndWaitAsync("admin");
        var trail = new AuditTrailPage(page);
        await trail.OpenAsync();
        var row = trail.Rows.Filter(new() { HasText = chatId });
        await Assertions.Expect(row.First).ToContainTextAsync("Resolved a support chat");
        await Assertions.Expect(row.First.GetByRole(AriaRole.Link, new() { Name = "Support chat with Dan Whitaker", Exact = true }))
            .ToHaveAttributeAsync("href", $"inbox?chat={chatId}");

        await row.First.GetByRole(AriaRole.Link, new() { Name = "Show only entries for Support chat with Dan Whitaker" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"chat={chatId}"));
        await Assertions.Expect(trail.Chat).ToHaveValueAsync(chatId);
        await Assertions.Expect(trail.Rows).ToHaveCountAsync(1);
    }
}
