using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class ReportsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task An_admin_opens_the_reports_and_downloads_the_csv()
    {
        var page = await fixture.NewPageAsync();
        await using var browser = page.Context; // closed at the end: no idle circuit left for the tests after
        var shell = await new SignInPage(page).SignInAndWaitAsync("admin");
        (await shell.NavigationItemsAsync()).ShouldContain("Reports");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" }).GetByRole(AriaRole.Link, new() { Name = "Reports" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reports" })).ToBeVisibleAsync();
        // The demo company's chats were answered and resolved in the last 30 days.
        await Assertions.Expect(page.GetByTestId("report-figures")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("chart-volume").Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("report-agents")).ToContainTextAsync("Maya Chen");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("reports.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("reports-csv").ClickAsync());
        download.SuggestedFilename.ShouldStartWith("support-report-");
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        csv.ShouldStartWith("section,key,name,opened,resolved,first_responses,");
        csv.ShouldContain("\r\ntotal,");
        csv.ShouldContain("\r\nagent,maya,Maya Chen,");
    }
}
