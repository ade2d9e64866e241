using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Support.Snooze;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>
/// A snooze wakes by itself when its time comes, exactly once: with two instances on one PostgreSQL, and on
/// an instance started again after the time passed while none ran.
/// </summary>
public sealed class SnoozeWakeTests
{
    private const string Chats = "/api/v1/support_channels";

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_due_snooze_wakes_exactly_once_with_two_instances_on_one_database()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        // The background pass of each instance runs at start and then rarely: the test drives both instances' waking itself.
        await using var first = InboxApp.Over(database, ("Snooze:WakeInterval", "01:00:00"));
        await using var second = InboxApp.Over(database, ("Snooze:WakeInterval", "01:00:00"));
        await Task.WhenAll(first.InitializeAsync(), second.InitializeAsync());

        var customer = await first.NewUserAsync("customer");
        var maya = await first.NewTeamMemberAsync("moderator");
        var chat = await first.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Ping me in a moment.");
        var until = DateTimeOffset.UtcNow.AddSeconds(2);
        await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = until.ToString("O") } }).OkJsonAsync();
        await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { assignee_id = maya.Id }).OkJsonAsync();

        var snoozes = new[] { first, second, first, second }.Select(a => a.Services.GetRequiredService<Snoozes>()).ToList();
        while ((await snoozes[0].DueAsync(100)).All(d => d.ChatId != chat)) await Task.Delay(100);

        // Both instances find it due and wake it at once, twice each.
        var due = (await snoozes[0].DueAsync(100)).Single(d => d.ChatId == chat);
        var woke = await Task.WhenAll(snoozes.Select(s => Task.Run(() => s.WakeIfDueAsync(due.ChatId, due.Until))));
        woke.Count(w => w).ShouldBe(1);

        (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open");
        (await maya.Client.MessagesAsync(chat)).Count(m => m!["content"]!.GetValue<string>().EndsWith("— woke up.")).ShouldBe(1);
        await using var db = await first.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.ChannelEvents.CountAsync(e => e.ChannelId == chat && e.Type == ChatEventTypes.SupportChatWoke)).ShouldBe(1);
    }

    [Fact]
    public async Task A_snooze_that_came_due_while_no_instance_ran_wakes_when_one_starts()
    {
        await using var database = await TestDatabase.CreateAsync();
        string chat;
        TestUser maya;
        await using (var before = InboxApp.Over(database))
        {
            await before.InitializeAsync();
            var customer = await before.NewUserAsync("customer");
            maya = await before.NewTeamMemberAsync("moderator");
            chat = await before.SupportChatForAsync(customer);
            await customer.Client.SendAsync(chat, "Back on Monday.");
            await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { snooze = new { until = DateTimeOffset.UtcNow.AddSeconds(1).ToString("O") } })
                .OkJsonAsync();
            (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("snoozed");
        }
        // Stopped until the time has passed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        await using var after = InboxApp.Over(database, ("Snooze:WakeInterval", "01:00:00"));
        await after.InitializeAsync();
        var client = await after.ClientForAsync(maya.Id);
        var status = "snoozed";
        for (var i = 0; i < 300 && status == "snoozed"; i++)
        {
            status = (await client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>();
            if (status == "snoozed") await Task.Delay(100);
        }
        status.ShouldBe("open", "the waker's first pass, at start, woke it");
        (await client.MessagesAsync(chat)).Count(m => m!["content"]!.GetValue<string>().EndsWith("— woke up.")).ShouldBe(1);
    }
}
