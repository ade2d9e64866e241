using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Unread;

namespace Whop.Inbox.E2E;

[Collection(BrowserCollection.Name)]
public sealed class MessagesTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task An_admin_adds_a_member_to_a_group_dm_and_the_51st_is_refused_with_a_message()
    {
        // A company group DM with 49 members, the admin among them, and two more people to add.
        var (dmId, extra) = await GroupDmWith49MembersAsync();
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("admin");
        await page.GotoAsync($"/messages/{dmId}");
        await new Shell(page).WaitUntilInteractiveAsync();
        var messages = new MessagesPage(page);

        await page.GetByTestId("toggle-members").ClickAsync();
        await Assertions.Expect(page.GetByTestId("member-count")).ToHaveTextAsync("49 / 50");
        await messages.AddMemberAsync(extra[0].Username[..8], extra[0].Name);
        await Assertions.Expect(page.GetByTestId("member-count")).ToHaveTextAsync("50 / 50");
        await Assertions.Expect(messages.Members.Filter(new() { HasText = extra[0].Name })).ToBeVisibleAsync();
        await Assertions.Expect(messages.History.GetByTestId("system-message").Last).ToContainTextAsync($"added {extra[0].Name}");
        // Full: the picker gives way to the cap, said plainly.
        await Assertions.Expect(page.GetByTestId("member-cap")).ToContainTextAsync("50 members, the most it can have");

        // The server refuses the 51st too, whatever the screen shows: someone else adds at the same time.
        var dms = Fixture.App.Services.GetRequiredService<Whop.Inbox.DirectMessages.DirectMessageService>();
        var outcome = await dms.AddMemberAsync(await ActorOfAsync("admin"), dmId, extra[1].Id);
        outcome.Failure!.Message.ShouldContain("already has 50 members");
    }

    [Fact]
    public async Task A_message_holding_a_script_or_an_img_onerror_renders_as_text()
    {
        var page = await Fixture.NewPageAsync();
        var alerts = 0;
        page.Dialog += async (_, dialog) => { alerts++; await dialog.DismissAsync(); };
        await new SignInPage(page).SignInAndWaitAsync("ben");
        var messages = new MessagesPage(page);
        await messages.Row("Alice Moreau").First.ClickAsync();
        await Assertions.Expect(messages.Composer).ToBeVisibleAsync();

        const string script = "<script>alert('x')</script>";
        const string image = "<img src=x onerror=alert(1)>";
        var history = messages.History;
        await messages.SendAsync(script);
        await Assertions.Expect(history.GetByTestId("message-content").Filter(new() { HasText = script })).ToHaveCountAsync(1);
        await messages.SendAsync(image);
        await Assertions.Expect(history.GetByTestId("message-content").Filter(new() { HasText = image })).ToHaveCountAsync(1);
        await Assertions.Expect(history.Locator("script")).ToHaveCountAsync(0);
        await Assertions.Expect(history.Locator("img")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(300);
        alerts.ShouldBe(0);
    }

    [Fact]
    public async Task A_customer_starts_their_support_chat_with_a_first_message_and_sees_their_dms_on_a_phone()
    {
        var page = await Fixture.NewPageAsync(390, 844);
        await new SignInPage(page).SignInAndWaitAsync("quinn");
        var messages = new MessagesPage(page);

        await Assertions.Expect(messages.Row("Lumen Courses support")).ToBeVisibleAsync();
        await messages.Row("Lumen Courses support").ClickAsync();
        await Assertions.Expect(page.GetByTestId("start-support")).ToBeVisibleAsync();
        await messages.SendAsync("Hello, can I change my email address?");
        await page.GetByTestId("send").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/messages/feed_"));
        await Assertions.Expect(messages.History).ToContainTextAsync("Hello, can I change my email address?");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("customer-phone.png") });

        // The team sees it in the open tab.
        var team = await Fixture.NewPageAsync();
        await new SignInPage(team).SignInAndWaitAsync("maya");
        await Assertions.Expect(new InboxPage(team).Row("Quinn Foster")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Someone_starts_a_group_dm_names_it_renames_it_and_leaves_it()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("chloe");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("dm-list.png") });
        await page.GetByTestId("new-dm").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "New message" });
        var people = dialog.GetByRole(AriaRole.Combobox, new() { Name = "To" });
        await page.PickSuggestionAsync(people, "gra", "Grace Liu");
        await Assertions.Expect(page.GetByTestId("picked-person")).ToHaveCountAsync(1);
        await Assertions.Expect(people).ToHaveValueAsync("");
        await page.PickSuggestionAsync(people, "hug", "Hugo Martins");
        await Assertions.Expect(page.GetByTestId("picked-person")).ToHaveCountAsync(2);
        await dialog.GetByLabel("Group name (optional)").FillAsync("Lighting buddies");
        await page.GetByTestId("create-dm").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/messages/feed_"));
        await Assertions.Expect(page.GetByTestId("conversation-title")).ToHaveTextAsync("Lighting buddies");

        await page.GetByTestId("rename-dm").ClickAsync();
        var rename = page.GetByRole(AriaRole.Dialog, new() { Name = "Rename conversation" }).GetByLabel("Name");
        await rename.FillAsync("Night shoot crew");
        await page.GetByTestId("dm-rename-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conversation-title")).ToHaveTextAsync("Night shoot crew");
        await Assertions.Expect(new MessagesPage(page).Row("Night shoot crew")).ToBeVisibleAsync();

        await page.GetByTestId("leave-dm").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/messages$"));
        await Assertions.Expect(new MessagesPage(page).Row("Night shoot crew")).ToHaveCountAsync(0);
    }

    private async Task<(string DmId, List<UserSummary> Extra)> GroupDmWith49MembersAsync()
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        var company = await db.Companies.OrderBy(c => c.CreatedAt).FirstAsync();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
        var dm = Channel.NewDm(company.Id, admin.Id, $"Big group {Guid.NewGuid():N}"[..18], now);
        db.Channels.Add(dm);
        db.ChannelMembers.Add(dm.AddMember(admin.Id, now));
        var people = new List<User>();
        for (var i = 0; i < 50; i++)
        {
            var name = $"member{i:00}{Guid.NewGuid():N}"[..16];
            var user = new User(name, $"Member {name}", null, now) { NormalizedUserName = name.ToUpperInvariant() };
            db.Users.Add(user);
            people.Add(user);
        }
        // 48 more join now (49 with the admin); two stay outside to be added. They are the company's
        // customers (each has a support chat), so the people picker offers them.
        foreach (var person in people.Take(48)) db.ChannelMembers.Add(dm.AddMember(person.Id, now));
        foreach (var person in people.Skip(48)) db.Channels.Add(Channel.NewSupportChat(company.Id, person.Id, null, now));
        await db.SaveChangesAsync();
        // Rows written behind the app's back: its kept counts (the inbox tabs') are taken again, as docs/unread-counts.md asks.
        await UnreadCounts.RecountAsync(db);
        return (dm.Id, people.Skip(48).Select(p => new UserSummary(p.Id, p.Name, p.UserName!)).ToList());
    }

    [Fact]
    public async Task Two_people_in_a_dm_vote_in_a_poll_with_one_click_each_and_both_see_the_counts_move()
    {
        // Farid and Nora: no other test uses them. Farid starts a DM with Nora.
        var farid = await ActorOfAsync("farid");
        var dms = Fixture.App.Services.GetRequiredService<Whop.Inbox.DirectMessages.DirectMessageService>();
        var dm = await dms.CreateAsync(farid, [(await ActorOfAsync("nora")).UserId!], await Fixture.CompanyIdAsync(), null);
        dm.Failure.ShouldBeNull();
        var (faridPage, noraPage) = (await Fixture.NewPageAsync(), await Fixture.NewPageAsync(width: 390, height: 844));
        var (asFarid, asNora) = (new MessagesPage(faridPage), new MessagesPage(noraPage));
        foreach (var (page, user, messages) in new[] { (faridPage, "farid", asFarid), (noraPage, "nora", asNora) })
        {
            await new SignInPage(page).SignInAndWaitAsync(user);
            await page.GotoAsync($"/messages/{dm.Value!.Id}");
            await new Shell(page).WaitUntilInteractiveAsync();
            await Assertions.Expect(messages.Composer).ToBeVisibleAsync();
        }

        await asFarid.SendPollAsync("Which evening works for the study call?", "Tuesday", "Thursday");
        await Assertions.Expect(asNora.PollOption("Thursday")).ToBeVisibleAsync();

        await asNora.PollOption("Thursday").ClickAsync();
        await Assertions.Expect(asNora.PollOption("Thursday")).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(asFarid.PollOption("Thursday")).ToHaveAttributeAsync("data-votes", "1");

        await asFarid.PollOption("Tuesday").ClickAsync();
        await Assertions.Expect(asNora.PollOption("Tuesday")).ToHaveAttributeAsync("data-votes", "1");
        await Assertions.Expect(asFarid.PollOption("Tuesday")).ToHaveAttributeAsync("aria-pressed", "true");

        // Nora changes her mind: her vote moves, and both see it.
        await asNora.PollOption("Tuesday").ClickAsync();
        await Assertions.Expect(asFarid.PollOption("Tuesday")).ToHaveAttributeAsync("data-votes", "2");
        await Assertions.Expect(asFarid.PollOption("Thursday")).ToHaveAttributeAsync("data-votes", "0");
        await Assertions.Expect(asNora.History.GetByTestId("poll-total")).ToContainTextAsync("2 votes");
    }

    private async Task<Whop.Inbox.Identity.Rights.Actor> ActorOfAsync(string userName)
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var id = await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
        return new Whop.Inbox.Identity.Rights.Actor(id, Whop.Inbox.Identity.Rights.Credential.Session, null, null, new HashSet<string>());
    }
}
