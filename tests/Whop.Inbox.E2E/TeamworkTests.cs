using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.Team;

namespace Whop.Inbox.E2E;

/// <summary>Two agents and a customer at once: assigning, notes and mentions reach the team live, and never the customer.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TeamworkTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Two_agents_share_a_chat_with_assignment_notes_and_mentions_while_the_customer_sees_none_of_it()
    {
        // Elena's chat, with nobody on it: no other test touches her.
        var chat = await Fixture.CustomerWritesInAsync("elena", "Can I pause my subscription for a month?");
        await Fixture.AssignThroughTheApiAsync(chat, null);
        var (maya, omar) = (await UserIdAsync("maya"), await UserIdAsync("omar"));

        var omarPage = await Fixture.NewPageAsync();
        await new SignInPage(omarPage).SignInAndWaitAsync("omar");
        var omarsInbox = new InboxPage(omarPage);
        await omarPage.GotoAsync("/inbox?status=all&customer=elena&show=unassigned");
        await new Shell(omarPage).WaitUntilInteractiveAsync();
        await Assertions.Expect(omarsInbox.Row("Elena Rossi")).ToBeVisibleAsync();
        await Assertions.Expect(omarsInbox.View("unassigned")).ToHaveAttributeAsync("aria-current", "page");
        var unassigned = await omarsInbox.ViewCountAsync("unassigned");
        var mentions = await omarsInbox.ViewCountAsync("mentions");

        var mayaPage = await Fixture.NewPageAsync();
        await new SignInPage(mayaPage).SignInAndWaitAsync("maya");
        var mayasInbox = new InboxPage(mayaPage);
        await mayaPage.GotoAsync($"/inbox?status=all&customer=elena&chat={chat}");
        await new Shell(mayaPage).WaitUntilInteractiveAsync();
        await Assertions.Expect(mayasInbox.ConversationTitle).ToHaveTextAsync("Elena Rossi");

        // Maya takes the chat: it leaves Omar's Unassigned view, live, and his count drops.
        await mayasInbox.AssignToMe.ClickAsync();
        await Assertions.Expect(mayasInbox.AssignToMe).ToHaveCountAsync(0);
        await Assertions.Expect(mayasInbox.AssigneePicker).ToHaveValueAsync(maya);
        await Assertions.Expect(mayasInbox.RowAssignee("Elena Rossi")).ToHaveAttributeAsync("aria-label", "Assigned to Maya Chen");
        await Assertions.Expect(omarsInbox.Row("Elena Rossi")).ToHaveCountAsync(0);
        await Assertions.Expect(omarsInbox.ViewCount("unassigned")).ToHaveTextAsync($"{unassigned - 1}");

        // A note for Omar: marked as the team's, and his Mentions count goes up.
        await mayasInbox.SendNoteAsync("@omar could you check whether pausing keeps her discount?");
        await Assertions.Expect(mayasInbox.Message("could you check whether pausing").GetByTestId("note-label")).ToBeVisibleAsync();
        await Assertions.Expect(omarsInbox.ViewCount("mentions")).ToHaveTextAsync($"{mentions + 1}");
        await mayasInbox.SendAsync("Yes, you can pause for up to three months.");
        await Assertions.Expect(mayasInbox.Message("you can pause")).ToBeVisibleAsync();

        // Elena sees the reply, and neither the note nor who took her chat.
        var elenaPage = await Fixture.NewPageAsync();
        await new SignInPage(elenaPage).SignInAndWaitAsync("elena");
        var elena = new MessagesPage(elenaPage);
        await elena.Row("Lumen Courses support").ClickAsync();
        await Assertions.Expect(elena.History).ToContainTextAsync("you can pause for up to three months");
        await Assertions.Expect(elena.History).Not.ToContainTextAsync("could you check whether pausing");
        await Assertions.Expect(elena.History).Not.ToContainTextAsync("took this chat");
        await Assertions.Expect(elenaPage.GetByTestId("composer-mode-note")).ToHaveCountAsync(0);

        // With automatic assignment on, a new chat goes to someone who is online.
        await Fixture.SetAutoAssignThroughTheApiAsync(true);
        try
        {
            await Fixture.NewCustomerAsync("vera", "Vera Lindgren");
            var newChat = await Fixture.CustomerWritesInAsync("vera", "Hello, is anyone there?");
            var assignee = await AssigneeAsync(newChat);
            assignee.ShouldNotBeNull("maya and omar are online");
            (await OnlineAsync()).ShouldContain(assignee);
            var name = assignee == maya ? "Maya Chen" : assignee == omar ? "Omar Haddad" : null;
            if (name is not null)
            {
                await mayaPage.GotoAsync("/inbox?status=all&customer=vera");
                await Assertions.Expect(mayasInbox.RowAssignee("Vera Lindgren")).ToHaveAttributeAsync("aria-label", $"Assigned to {name}");
            }
        }
        finally
        {
            await Fixture.SetAutoAssignThroughTheApiAsync(false);
        }
    }

    private async Task<string> UserIdAsync(string userName)
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }

    private async Task<string?> AssigneeAsync(string chatId)
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.Id == chatId).Select(c => c.AssigneeId).SingleAsync();
    }

    private async Task<List<string>> OnlineAsync()
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await Fixture.App.Services.GetRequiredService<Presence>().Online(db).ToListAsync();
    }
}
