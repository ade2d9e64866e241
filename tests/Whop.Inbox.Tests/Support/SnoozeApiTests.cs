using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>Snoozing support chats through the API: until a time, until the customer replies, waking, and what is refused.</summary>
[Collection(AppCollection.Name)]
public sealed class SnoozeApiTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";

    [Fact]
    public async Task A_snoozed_chat_leaves_open_shows_under_snoozed_and_wakes_now_with_team_notes_and_audit_entries()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Can you check tomorrow?");
        var until = DateTimeOffset.UtcNow.AddHours(2);

        var snoozed = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = until.ToString("O") } }).OkJsonAsync();
        snoozed["status"]!.GetValue<string>().ShouldBe("snoozed");
        snoozed["snoozed_until"]!.GetValue<DateTimeOffset>().ShouldBe(until, TimeSpan.FromMilliseconds(1));
        snoozed["snooze_until_customer_replies"]!.GetValue<bool>().ShouldBeFalse();

        (await ListIdsAsync(maya.Client, "status=snoozed")).ShouldContain(chat);
        (await ListIdsAsync(maya.Client, "status=open")).ShouldNotContain(chat);
        (await ListIdsAsync(maya.Client, "status=waiting")).ShouldNotContain(chat);
        (await ListIdsAsync(maya.Client, "open=false")).ShouldNotContain(chat, "Whop's open=false is resolved chats; a snoozed chat is not resolved");
        (await ListIdsAsync(maya.Client, "open=true")).ShouldNotContain(chat, "open=true is what awaits the team now");
        (await maya.Client.GetAsync($"{Chats}/unread_counts").OkJsonAsync())["snoozed"].ShouldNotBeNull();

        var note = (await maya.Client.MessagesAsync(chat)).Single(m => m!["content"]!.GetValue<string>().Contains("snoozed this chat until"))!;
        note["visibility"]!.GetValue<string>().ShouldBe("team");
        (await customer.Client.MessagesAsync(chat)).ShouldNotContain(m => m!["visibility"]!.GetValue<string>() == "team");

        var woken = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new Dictionary<string, object?> { ["snooze"] = null }).OkJsonAsync();
        woken["status"]!.GetValue<string>().ShouldBe("open");
        woken["snoozed_until"].ShouldBeNull();
        (await ListIdsAsync(maya.Client, "status=open")).ShouldContain(chat);
        (await maya.Client.MessagesAsync(chat)).ShouldContain(m => m!["content"]!.GetValue<string>() == $"{maya.Name} woke this chat (snoozed {Snoozes.Describe(snoozed["snoozed_until"]!.GetValue<DateTimeOffset>())}).");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.ChannelId == chat && e.Action == "support_chat.snoozed" && e.ActorUserId == maya.Id)).ShouldBe(1);
        (await db.AuditEntries.CountAsync(e => e.ChannelId == chat && e.Action == "support_chat.woken" && e.ActorUserId == maya.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_chat_snoozed_until_the_customer_replies_sleeps_through_team_replies_and_wakes_with_the_customers_message()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "I'll send the logs later.");

        var snoozed = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until_customer_replies = true } }).OkJsonAsync();
        snoozed["status"]!.GetValue<string>().ShouldBe("snoozed");
        snoozed["snoozed_until"].ShouldBeNull();
        snoozed["snooze_until_customer_replies"]!.GetValue<bool>().ShouldBeTrue();

        await maya.Client.SendAsync(chat, "Sure, take your time.");
        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("snoozed", "a team reply leaves it asleep");

        await customer.Client.SendAsync(chat, "Here are the logs.");
        var awake = await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        awake["status"]!.GetValue<string>().ShouldBe("open");
        awake["snooze_until_customer_replies"]!.GetValue<bool>().ShouldBeFalse();
        var note = (await maya.Client.MessagesAsync(chat)).Single(m => m!["content"]!.GetValue<string>().Contains("woke up because the customer replied"))!;
        note["content"]!.GetValue<string>().ShouldBe("Snoozed until the customer replies — woke up because the customer replied.");
        note["visibility"]!.GetValue<string>().ShouldBe("team");
        (await ListIdsAsync(maya.Client, "status=snoozed")).ShouldNotContain(chat);
    }

    [Fact]
    public async Task Assignee_and_snooze_in_one_patch_happen_together_or_not_at_all()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hello?");
        var until = DateTimeOffset.UtcNow.AddDays(1).ToString("O");

        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = customer.Id, snooze = new { until } }))
            .ShouldBeProblemAsync(422, "assignee_id");
        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open", "nothing changed");

        var both = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = maya.Id, snooze = new { until } }).OkJsonAsync();
        both["assignee_id"]!.GetValue<string>().ShouldBe(maya.Id);
        both["status"]!.GetValue<string>().ShouldBe("snoozed");
        (await ListIdsAsync(maya.Client, "status=snoozed&assignee_id=me")).ShouldContain(chat);
    }

    [Fact]
    public async Task Bad_snoozes_are_refused_naming_the_field_and_change_nothing()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hi");
        async Task<HttpResponseMessage> Snooze(HttpClient client, string id, object? snooze) =>
            await client.PatchJsonAsync($"{Chats}/{id}", new Dictionary<string, object?> { ["snooze"] = snooze });

        await (await Snooze(maya.Client, chat, new { until = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O") })).ShouldBeProblemAsync(422, "snooze.until");
        await (await Snooze(maya.Client, chat, new { until = DateTimeOffset.UtcNow.AddDays(366).ToString("O") })).ShouldBeProblemAsync(422, "snooze.until");
        await (await Snooze(maya.Client, chat, new { until = "tomorrow morning" })).ShouldBeProblemAsync(400, "snooze.until");
        await (await Snooze(maya.Client, chat, new { until = "2030-01-01T09:00:00" })).ShouldBeProblemAsync(400, "snooze.until");
        await (await Snooze(maya.Client, chat, new { })).ShouldBeProblemAsync(400, "snooze");
        await (await Snooze(maya.Client, chat, new { until = DateTimeOffset.UtcNow.AddDays(1).ToString("O"), until_customer_replies = true }))
            .ShouldBeProblemAsync(400, "snooze");
        await (await Snooze(customer.Client, chat, new { until_customer_replies = true })).ShouldBeProblemAsync(403);
        var other = await app.SecondCompanyAsync();
        await (await Snooze(other.Backend, chat, new { until_customer_replies = true })).ShouldBeProblemAsync(404);
        var dm = (await maya.Client.CreateDmAsync(customer.Id)).Id();
        await (await Snooze(maya.Client, dm, new { until_customer_replies = true })).ShouldBeProblemAsync(422, "snooze");

        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open");
        (await maya.Client.MessagesAsync(chat)).ShouldNotContain(m => m!["content"]!.GetValue<string>().Contains("snoozed"), "a refused snooze leaves no note");

        await maya.Client.PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        await (await Snooze(maya.Client, chat, new { until_customer_replies = true })).ShouldBeProblemAsync(422, "snooze");
        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("resolved");
    }

    [Fact]
    public async Task Resolving_a_snoozed_chat_ends_its_snooze()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Thanks!");
        await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = DateTimeOffset.UtcNow.AddHours(3).ToString("O") } }).OkJsonAsync();

        var resolved = await maya.Client.PostAsync($"{Chats}/{chat}/resolve", null).OkJsonAsync();
        resolved["status"]!.GetValue<string>().ShouldBe("resolved");
        resolved["snoozed_until"].ShouldBeNull();
    }

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string query)
    {
        var page = await client.GetAsync($"{Chats}?{query}&first=100").OkJsonAsync();
        return page["data"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList();
    }
}
