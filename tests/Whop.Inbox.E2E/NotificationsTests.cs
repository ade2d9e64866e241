using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Notifications;

namespace Whop.Inbox.E2E;

/// <summary>
/// An agent works in another tab: a customer writes, and the agent's tab says so in its title and favicon and
/// (with the browser's permission granted) decides on a desktop notification. Headless Chromium shows no
/// notification to look at, so the test reads the decision our script leaves on the page (<c>html[data-last-alert]</c>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NotificationsTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_customer_writes_and_the_agents_tab_title_and_favicon_count_it_and_a_desktop_notification_is_decided()
    {
        var preferences = Fixture.App.Services.GetRequiredService<NotificationPreferences>();
        var maya = await MayaAsync();
        (await preferences.UpdateAsync(maya, new PreferencesChange(Desktop: true))).Failure.ShouldBeNull();
        try
        {
            var page = await Fixture.NewPageAsync();
            await page.Context.GrantPermissionsAsync(["notifications"]);
            await new SignInPage(page).SignInAndWaitAsync("maya");
            await page.GotoAsync("/inbox?status=open");
            await new Shell(page).WaitUntilInteractiveAsync();
            var total = page.GetByTestId("unread-total");
            await Assertions.Expect(total).ToHaveAttributeAsync("data-count", new Regex(@"^\d+$"));
            var before = int.Parse((await total.GetAttributeAsync("data-count"))!);
            await Assertions.Expect(page).ToHaveTitleAsync(Titled(before, "Support inbox · Whop Inbox"));

            var username = $"notify-{Guid.NewGuid():N}"[..20];
            await Fixture.NewCustomerAsync(username, "Nadia Notify");
            var chat = await Fixture.CustomerWritesInAsync(username, "My receipt number is 4417");

            await Assertions.Expect(page).ToHaveTitleAsync(Titled(before + 1, "Support inbox · Whop Inbox"));
            (await page.EvaluateAsync<string>("document.title")).ShouldBe($"({Label(before + 1)}) Support inbox · Whop Inbox");
            await Assertions.Expect(page.Locator("link[rel~='icon']")).ToHaveAttributeAsync("data-badge", Label(before + 1));
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-last-alert", $"desktop CustomerMessages {chat}");

            // Opened, the chat is read: the count drops back and the page's own title follows the chat.
            await page.GotoAsync($"/inbox?status=open&chat={chat}");
            await new Shell(page).WaitUntilInteractiveAsync();
            await Assertions.Expect(page).ToHaveTitleAsync(Titled(before, "Nadia Notify · Support inbox · Whop Inbox"));
        }
        finally
        {
            await preferences.UpdateAsync(maya, new PreferencesChange(Desktop: false));
        }
    }

    private async Task<Actor> MayaAsync()
    {
        using var scope = Fixture.App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Whop.Inbox.Identity.User>>();
        var maya = await users.FindByNameAsync("maya");
        return new Actor(maya!.Id, Credential.Session, null, null, new HashSet<string>());
    }

    private static string Label(int count) => count > 99 ? "99+" : $"{count}";

    private static Regex Titled(int count, string title) =>
        new($"^{(count > 0 ? Regex.Escape($"({Label(count)}) ") : "")}{Regex.Escape(title)}$");
}
