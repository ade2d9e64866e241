using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>Assignment, internal notes and mentions through the API, as an SDK or a team's own backend uses them.</summary>
[Collection(AppCollection.Name)]
public sealed class TeamWorkApiTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";
    private const string Messages = "/api/v1/messages";

    [Fact]
    public async Task A_moderator_assigns_a_chat_and_the_list_filters_by_me_none_and_a_person_with_a_note_only_the_team_sees()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "My invoice is wrong.");

        var assigned = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = omar.Id }).OkJsonAsync();
        assigned["assignee_id"]!.GetValue<string>().ShouldBe(omar.Id);
        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"]!.GetValue<string>().ShouldBe(omar.Id);

        (await ListIdsAsync(omar.Client, "assignee_id=me")).ShouldContain(chat);
        (await ListIdsAsync(maya.Client, "assignee_id=me")).ShouldNotContain(chat);
        (await ListIdsAsync(maya.Client, $"assignee_id={omar.Id}&status=open")).ShouldBe([chat]);
        (await ListIdsAsync(maya.Client, "assignee_id=none")).ShouldNotContain(chat);

        var teamSees = await maya.Client.MessagesAsync(chat);
        var note = teamSees.Single(m => m!["content"]!.GetValue<string>().Contains("assigned this chat to"))!;
        note["content"]!.GetValue<string>().ShouldBe($"{maya.Name} assigned this chat to {omar.Name}.");
        note["visibility"]!.GetValue<string>().ShouldBe("team");
        var customerSees = await customer.Client.MessagesAsync(chat);
        customerSees.ShouldNotContain(m => m!["visibility"]!.GetValue<string>() == "team");
        (await customer.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"].ShouldBeNull("who has the chat is the team's business");

        var unassigned = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new Dictionary<string, object?> { ["assignee_id"] = null }).OkJsonAsync();
        unassigned["assignee_id"].ShouldBeNull();
        (await ListIdsAsync(maya.Client, "assignee_id=none&status=open")).ShouldContain(chat);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.ChannelId == chat && e.Action == "support_chat.assigned" && e.ActorUserId == maya.Id))
            .ShouldBe(2, "the assignment and the unassignment are in the audit trail");
    }

    [Fact]
    public async Task Assigning_to_someone_off_the_team_in_a_dm_or_unseen_is_refused_and_changes_nothing()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var other = await app.SecondCompanyAsync();
        var theirs = await other.Backend.PostJsonAsync("/api/v1/users", new { username = $"agent-{Guid.NewGuid():N}"[..20], name = "Their Agent" })
            .OkJsonAsync();
        await other.Backend.PostJsonAsync("/api/v1/team_members", new { user_id = theirs.Id(), role = "moderator" }).OkJsonAsync();

        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = customer.Id })).ShouldBeProblemAsync(422, "assignee_id");
        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = theirs.Id() })).ShouldBeProblemAsync(422, "assignee_id");
        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { })).ShouldBeProblemAsync(400, "assignee_id");
        await (await customer.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = maya.Id })).ShouldBeProblemAsync(403);
        await (await other.Backend.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = theirs.Id() })).ShouldBeProblemAsync(404);
        var dm = (await maya.Client.CreateDmAsync(customer.Id)).Id();
        await (await maya.Client.PatchJsonAsync($"{Chats}/{dm}", new { assignee_id = maya.Id })).ShouldBeProblemAsync(422, "assignee_id");

        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"].ShouldBeNull();
        (await maya.Client.MessagesAsync(chat)).ShouldBeEmpty("a refused assignment leaves no note");
        await (await maya.Client.GetAsync($"{Chats}?assignee_id=user_nobody")).ShouldBeProblemAsync(400, "assignee_id");
        await (await customer.Client.GetAsync($"{Chats}?assignee_id=me")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task A_note_is_the_teams_alone_and_moves_neither_status_nor_activity_nor_the_customers_counts()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Can I get a refund?");
        await maya.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        await omar.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        var before = await customer.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();

        var note = await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "Refunds over 30 days need Omar.", visibility = "team" })
            .OkJsonAsync();
        note["visibility"]!.GetValue<string>().ShouldBe("team");

        var after = await customer.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        after["status"]!.GetValue<string>().ShouldBe("open", "a note is not an answer: the customer still waits");
        after["last_message_at"]!.ToString().ShouldBe(before["last_message_at"]!.ToString());
        after["unread_count"]!.GetValue<int>().ShouldBe(before["unread_count"]!.GetValue<int>());
        after["last_message_preview"]!.GetValue<string>().ShouldBe("Can I get a refund?");
        (await customer.Client.MessagesAsync(chat)).Select(m => m!.Id()).ShouldNotContain(note.Id());
        await (await customer.Client.GetAsync($"{Messages}/{note.Id()}")).ShouldBeProblemAsync(404);
        await (await customer.Client.PostJsonAsync("/api/v1/reactions", new { resource_id = note.Id(), emoji = "👀" })).ShouldBeProblemAsync(404);
        await (await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "quoting", replying_to_message_id = note.Id() }))
            .ShouldBeProblemAsync(400, "replying_to_message_id");

        (await omar.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["unread_count"]!.GetValue<int>().ShouldBe(1, "a teammate has it unread");
        (await omar.Client.GetAsync($"{Messages}/{note.Id()}").OkJsonAsync())["content"]!.GetValue<string>().ShouldContain("Refunds");
    }

    [Fact]
    public async Task Notes_are_refused_in_dms_from_customers_and_with_an_unknown_visibility()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var dm = (await maya.Client.CreateDmAsync(customer.Id)).Id();

        await (await maya.Client.PostJsonAsync(Messages, new { channel_id = dm, content = "psst", visibility = "team" }))
            .ShouldBeProblemAsync(422, "visibility");
        await (await customer.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "me too", visibility = "team" }))
            .ShouldBeProblemAsync(403);
        await (await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "hm", visibility = "secret" }))
            .ShouldBeProblemAsync(400, "visibility");
        (await maya.Client.MessagesAsync(chat)).ShouldBeEmpty("nothing refused was written");
    }

    [Fact]
    public async Task Mentions_name_only_people_who_may_read_the_message_and_the_mentions_view_lists_unread_ones_first()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var stranger = await app.NewUserAsync("stranger");
        var chat = await app.SupportChatForAsync(customer);
        var quiet = await app.SupportChatForAsync(await app.NewUserAsync("customer"));

        var note = await maya.Client.PostJsonAsync(Messages, new
        {
            channel_id = chat, content = $"@{omar.Username} can you check? (not @{customer.Username}, not @{stranger.Username})", visibility = "team",
        }).OkJsonAsync();
        note["mentions"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe([omar.Id]);

        var reply = await maya.Client.SendAsync(chat, $"@{customer.Username} we are on it; @{omar.Username} will write.");
        reply["mentions"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe([customer.Id, omar.Id]);
        await maya.Client.PostJsonAsync(Messages, new { channel_id = quiet, content = $"@{omar.Username} fyi", visibility = "team" }).OkJsonAsync();
        await omar.Client.PostAsync($"{Chats}/{quiet}/mark_read", null).OkJsonAsync();

        var dm = (await maya.Client.CreateDmAsync(omar.Id)).Id();
        var inDm = await maya.Client.SendAsync(dm, $"@{omar.Username} and @{stranger.Username}");
        inDm["mentions"]!.AsArray().Select(m => m!.GetValue<string>()).ShouldBe([omar.Id], "only the DM's members can be mentioned there");

        var actor = new Whop.Inbox.Identity.Rights.Actor(omar.Id, Whop.Inbox.Identity.Rights.Credential.Session, null, null, new HashSet<string>());
        var chats = app.Services.GetRequiredService<Whop.Inbox.Support.SupportChats>();
        var mentioned = (await chats.MentionedAsync(actor, await app.CompanyIdAsync())).Value!;
        mentioned.Select(c => c.Id).ShouldBe([chat, quiet], "unread mentions first, then the read ones");
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await Whop.Inbox.Support.Assignment.AssignmentCounts.UnreadMentionsAsync(db, await app.CompanyIdAsync(), omar.Id)).ShouldBe(1);

        await omar.Client.PostAsync($"{Chats}/{chat}/mark_read", null).OkJsonAsync();
        (await Whop.Inbox.Support.Assignment.AssignmentCounts.UnreadMentionsAsync(db, await app.CompanyIdAsync(), omar.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Removing_someone_from_the_team_unassigns_their_chats()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var leaver = await app.NewTeamMemberAsync("moderator");
        var chats = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var chat = await app.SupportChatForAsync(await app.NewUserAsync("customer"));
            await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = leaver.Id }).OkJsonAsync();
            chats.Add(chat);
        }

        var team = await app.Backend().GetAsync("/api/v1/team_members").OkJsonAsync();
        var membership = team["data"]!.AsArray().Single(m => m!["user"]!["id"]!.GetValue<string>() == leaver.Id)!;
        (await app.Backend().DeleteAsync($"/api/v1/team_members/{membership.Id()}")).EnsureSuccessStatusCode();

        foreach (var chat in chats)
        {
            (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"].ShouldBeNull();
            (await maya.Client.MessagesAsync(chat)).SystemContents().ShouldContain($"{leaver.Name} left the team, so this chat is unassigned.");
        }
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string query) =>
        (await client.GetAsync($"{Chats}?{query}&first=100").OkJsonAsync())["data"]!.AsArray().Select(c => c!.Id()).ToList();
}
