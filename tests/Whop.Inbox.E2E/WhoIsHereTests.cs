using Whop.Inbox.E2E.Pages;

namespace Whop.Inbox.E2E;

/// <summary>Two agents in one chat, in two browsers: each sees the other, a reply started beside another shows the soft lock, a closed tab drops out.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WhoIsHereTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Two_agents_in_one_chat_see_each_other_a_second_reply_shows_the_soft_lock_and_a_closed_tab_drops_out()
    {
        // Wanda is this test's own customer: no other test opens her chat.
        await Fixture.NewCustomerAsync("wanda", "Wanda Okafor");
        var chat = await Fixture.CustomerWritesInAsync("wanda", "My download link has expired.");
        var (maya, mayaPage) = await OpenChatAsync("maya", chat);
        var (omar, omarPage) = await OpenChatAsync("omar", chat);

        // Both see each other: in the conversation's header, and on the chat's row.
        await Assertions.Expect(maya.Viewers).ToHaveAttributeAsync("title", "Omar Haddad is viewing");
        await Assertions.Expect(omar.Viewers).ToHaveAttributeAsync("title", "Maya Chen is viewing");
        await Assertions.Expect(maya.RowViewers("Wanda Okafor")).ToHaveAttributeAsync("aria-label", "Omar Haddad is viewing");

        // Omar starts a reply; Maya sees him typing one, and the moment she starts hers the composer says so.
        var omarTypes = omar.Composer.PressSequentiallyAsync("Let me send you a fresh link right away, one moment please", new() { Delay = 120 });
        await Assertions.Expect(maya.TypingLine).ToHaveTextAsync("Omar Haddad is typing…");
        await Assertions.Expect(maya.SoftLock).ToHaveCountAsync(0);
        await maya.Composer.FillAsync("I can help with that");
        await Assertions.Expect(maya.SoftLock).ToHaveTextAsync("Omar Haddad is replying…");
        await mayaPage.ScreenshotAsync(new() { Path = Screenshots.PathFor("who-is-here.png") });
        await omarTypes;

        // A soft lock, never a refusal: her reply goes out.
        await maya.Composer.PressAsync("Enter");
        await Assertions.Expect(maya.Message("I can help with that")).ToBeVisibleAsync();

        // Omar closes his tab: he leaves her strip and her row within seconds.
        await omarPage.CloseAsync();
        await Assertions.Expect(maya.ViewersStrip).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Assertions.Expect(maya.RowViewers("Wanda Okafor")).ToHaveCountAsync(0);
    }

    private async Task<(InboxPage Inbox, IPage Page)> OpenChatAsync(string agent, string chat)
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync(agent);
        await page.GotoAsync($"/inbox?status=all&customer=wanda&chat={chat}");
        await new Shell(page).WaitUntilInteractiveAsync();
        var inbox = new InboxPage(page);
        await Assertions.Expect(inbox.ConversationTitle).ToHaveTextAsync("Wanda Okafor");
        return (inbox, page);
    }
}
