using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>Two people in two browsers: what one does appears for the other without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RealTimeTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task A_moderator_and_a_customer_see_each_others_messages_typing_and_resolve_live()
    {
        // Priya's chat, opened by the company just now: no other test touches it.
        var backend = new Whop.Inbox.Identity.Rights.Actor(null, Whop.Inbox.Identity.Rights.Credential.ApiKey,
            await Fixture.CompanyIdAsync(), "key_test", new HashSet<string>());
        var chats = Fixture.App.Services.GetRequiredService<Whop.Inbox.Support.SupportChats>();
        (await chats.OpenAsync(backend, null, "priya", null)).Failure.ShouldBeNull();

        var moderatorPage = await Fixture.NewPageAsync();
        await new SignInPage(moderatorPage).SignInAndWaitAsync("omar");
        var inbox = new InboxPage(moderatorPage);
        await moderatorPage.GotoAsync("/inbox?status=all&customer=priya");
        await new Shell(moderatorPage).WaitUntilInteractiveAsync();
        await inbox.Row("Priya Sharma").ClickAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Priya Sharma");

        var customerPage = await Fixture.NewPageAsync();
        await new SignInPage(customerPage).SignInAndWaitAsync("priya");
        var customer = new MessagesPage(customerPage);
        await customer.Row("Lumen Courses support").ClickAsync();
        await Assertions.Expect(customer.Composer).ToBeVisibleAsync();

        // Typing shows on the other side.
        await customer.Composer.PressSequentiallyAsync("Is the Q&A recorded", new() { Delay = 20 });
        await Assertions.Expect(moderatorPage.GetByTestId("typing")).ToHaveTextAsync("Priya Sharma is typing…");

        // A message sent on one side appears on the other without a reload (how fast is measured by
        // the benchmarks; a test only waits).
        await customer.Composer.PressAsync("Enter");
        await Assertions.Expect(inbox.Message("Is the Q&A recorded")).ToBeVisibleAsync();
        await Assertions.Expect(moderatorPage.GetByTestId("typing")).ToHaveTextAsync("");

        await inbox.SendAsync("Yes, the recording is up the next morning.");
        await Assertions.Expect(customer.History.GetByTestId("message").Filter(new() { HasText = "the recording is up" }))
            .ToBeVisibleAsync();

        // Resolving on one side shows on the other.
        await moderatorPage.GetByTestId("resolve").ClickAsync();
        await Assertions.Expect(customer.History.GetByTestId("system-message").Last)
            .ToContainTextAsync("Omar Haddad resolved this chat");
    }

    [Fact]
    public async Task The_inbox_tabs_rows_and_badges_follow_new_chats_messages_and_resolves_without_a_reload()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("maya");
        var inbox = new InboxPage(page);
        await page.GotoAsync("/inbox?status=open");
        await new Shell(page).WaitUntilInteractiveAsync();
        await Assertions.Expect(inbox.Rows.First).ToBeVisibleAsync();
        var (open, waiting, resolved) = (await CountAsync(inbox, "open"), await CountAsync(inbox, "waiting"), await CountAsync(inbox, "resolved"));
        // Her unread chats per status, as the API counts them: the tabs' unread badges show the same.
        var unreadOpen = (await UnreadCountsAsync("maya"))[Whop.Inbox.Messaging.SupportStatus.Open];
        await ExpectUnreadAsync(inbox, "open", unreadOpen);

        // A customer nobody has heard from writes in: a new chat, on top of the open tab, unread.
        await Fixture.NewCustomerAsync("yusuf", "Yusuf Demir");
        var chat = await Fixture.CustomerWritesInAsync("yusuf", "Where do I find my receipts?");
        var row = page.Locator($"[data-testid='inbox-row'][data-channel-id='{chat}']");
        await Assertions.Expect(inbox.Rows.First).ToHaveAttributeAsync("data-channel-id", chat);
        await Assertions.Expect(row.GetByTestId("unread-badge")).ToHaveTextAsync("1");
        await Assertions.Expect(row.GetByTestId("inbox-row-preview")).ToHaveTextAsync("Where do I find my receipts?");
        await Assertions.Expect(inbox.TabCount("open")).ToHaveTextAsync($"{open + 1}");
        await Assertions.Expect(inbox.TabCount("waiting")).ToHaveTextAsync($"{waiting}");
        await ExpectUnreadAsync(inbox, "open", unreadOpen + 1);

        // A second message adds to the badge, not to the tab, nor to the chats unread.
        await Fixture.CustomerWritesInAsync("yusuf", "Found them, sorry!");
        await Assertions.Expect(row.GetByTestId("unread-badge")).ToHaveTextAsync("2");
        await Assertions.Expect(row.GetByTestId("inbox-row-preview")).ToHaveTextAsync("Found them, sorry!");
        await Assertions.Expect(inbox.TabCount("open")).ToHaveTextAsync($"{open + 1}");
        await ExpectUnreadAsync(inbox, "open", unreadOpen + 1);

        // Opening it reads it: the chat leaves the tab's unread badge.
        await row.ClickAsync();
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Yusuf Demir");
        await ExpectUnreadAsync(inbox, "open", unreadOpen);

        // Resolved elsewhere (another app, through the API): off the open tab, onto the resolved count.
        await Fixture.ResolveThroughTheApiAsync(chat);
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(inbox.TabCount("open")).ToHaveTextAsync($"{open}");
        await Assertions.Expect(inbox.TabCount("resolved")).ToHaveTextAsync($"{resolved + 1}");
    }

    /// <summary>A tab's unread badge: absent at 0, else the number (and, for screen readers, "unread").</summary>
    private static async Task ExpectUnreadAsync(InboxPage inbox, string tab, int expected)
    {
        if (expected == 0) await Assertions.Expect(inbox.TabUnread(tab)).ToHaveCountAsync(0);
        else await Assertions.Expect(inbox.TabUnread(tab)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex($@"^\s*{expected}\s*unread\s*$"));
    }

    private async Task<IReadOnlyDictionary<Whop.Inbox.Messaging.SupportStatus, int>> UnreadCountsAsync(string userName)
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        var person = new Whop.Inbox.Identity.Rights.Actor(id, Whop.Inbox.Identity.Rights.Credential.Session, null, null, new HashSet<string>());
        return (await Fixture.App.Services.GetRequiredService<Whop.Inbox.Support.SupportChats>().UnreadCountsAsync(person, null)).Value!;
    }

    private static async Task<int> CountAsync(InboxPage inbox, string tab)
    {
        await Assertions.Expect(inbox.TabCount(tab)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        return int.Parse(await inbox.TabCount(tab).InnerTextAsync());
    }
}
