using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>
/// Automatic assignment is one switch for the whole company, and who gets a chat depends on who is online:
/// each test has an app of its own, so no other test's connections or chats take part in its round robin,
/// and no other test's new chats are assigned while the switch is on.
/// </summary>
public sealed class AutomaticAssignmentTests
{
    private const string Chats = "/api/v1/support_channels";

    [Fact]
    public async Task New_chats_go_round_robin_to_whoever_is_online()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        var first = await app.NewTeamMemberAsync("moderator");
        var second = await app.NewTeamMemberAsync("moderator");
        var offline = await app.NewTeamMemberAsync("moderator");
        await (await app.Backend().PatchJsonAsync($"{Chats}/settings", new { auto_assign = "yes" })).ShouldBeProblemAsync(400);
        await (await first.Client.PatchJsonAsync($"{Chats}/settings", new { auto_assign = true })).ShouldBeProblemAsync(403);
        (await app.Backend().PatchJsonAsync($"{Chats}/settings", new { auto_assign = true }).OkJsonAsync())["auto_assign"]!.GetValue<bool>()
            .ShouldBeTrue();
        using var firstOnline = await RawHubConnection.OpenAsync(app, first.Token());
        using var secondOnline = await RawHubConnection.OpenAsync(app, second.Token());
        await OnlineAsync(app, first.Id, second.Id);

        var assignees = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var chat = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
            assignees.Add((await app.Backend().GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"]?.GetValue<string>());
        }

        assignees.ShouldNotContain(offline.Id, "never to someone offline");
        assignees.ShouldAllBe(a => a == first.Id || a == second.Id);
        assignees.Count(a => a == first.Id).ShouldBe(2, "round robin between the two online");
        assignees.Zip(assignees.Skip(1)).ShouldAllBe(pair => pair.First != pair.Second, "whoever waited longest gets the next one");
    }

    [Fact]
    public async Task With_the_switch_off_a_new_chat_stays_unassigned_even_with_the_team_online()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        var here = await app.NewTeamMemberAsync("moderator");
        using var online = await RawHubConnection.OpenAsync(app, here.Token());
        await OnlineAsync(app, here.Id);

        var chat = await app.SupportChatForAsync(await app.NewUserAsync("customer"));

        (await app.Backend().GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"].ShouldBeNull();
        (await app.Backend().GetAsync($"{Chats}/settings").OkJsonAsync())["auto_assign"]!.GetValue<bool>().ShouldBeFalse("off by default");
    }

    [Fact]
    public async Task A_chat_that_reopens_while_its_assignee_is_away_goes_to_someone_online()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        var away = await app.NewTeamMemberAsync("moderator");
        var here = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await here.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = away.Id }).OkJsonAsync();
        await here.Client.PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        await app.Backend().PatchJsonAsync($"{Chats}/settings", new { auto_assign = true }).OkJsonAsync();
        using var online = await RawHubConnection.OpenAsync(app, here.Token());
        await OnlineAsync(app, here.Id);

        await customer.Client.SendAsync(chat, "It broke again.");

        var reopened = await here.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        reopened["status"]!.GetValue<string>().ShouldBe("open");
        reopened["assignee_id"]!.GetValue<string>().ShouldBe(here.Id, "its assignee is offline, and the one online takes it");
    }

    /// <summary>Presence is written as the connection opens, off the request: wait until the rows are there.</summary>
    private static async Task OnlineAsync(InboxApp app, params string[] userIds)
    {
        var contexts = app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        for (var i = 0; i < 100; i++)
        {
            await using var db = await contexts.CreateDbContextAsync();
            if (await db.Presence.CountAsync(p => userIds.Contains(p.UserId)) >= userIds.Length) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The connections were not recorded as online.");
    }
}
