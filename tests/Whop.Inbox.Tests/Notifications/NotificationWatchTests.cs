using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Notifications;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Notifications;

/// <summary>
/// Who is told of what, decided on the server from each person's own feeds, through the real notifier and real
/// writes: the right person for the right events, and nobody for their own message, a note they may not read, a
/// colleague's chat, or an event they switched off. A "not told" is proved by order: a later event that is told
/// arrives, and nothing came before it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class NotificationWatchTests(InboxApp app)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_team_member_is_told_of_customers_in_unassigned_chats_and_their_own_but_not_in_a_colleagues_and_of_assignments_to_them()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await using var mayas = await WatchAsync(maya, onTeam: true);

        await customer.Client.SendAsync(chat, "Nobody has this chat yet");
        await omar.Client.PatchJsonAsync($"/api/v1/support_channels/{chat}", new { assignee_id = omar.Id }).OkJsonAsync();
        await customer.Client.SendAsync(chat, "Omar has it now");
        await omar.Client.PatchJsonAsync($"/api/v1/support_channels/{chat}", new { assignee_id = maya.Id }).OkJsonAsync();
        await customer.Client.SendAsync(chat, "Maya has it now");

        var told = await mayas.UntilAsync(a => a.Alert.Body == "Maya has it now");
        told.Select(a => (a.Alert.Kind, a.Alert.ChannelId)).ShouldBe(
        [
            (NotificationEvent.CustomerMessages, chat),
            (NotificationEvent.Assignments, chat),
            (NotificationEvent.CustomerMessages, chat),
        ]);
        told[0].Alert.Body.ShouldBe("Nobody has this chat yet");
        told[0].Alert.Title.ShouldBe(customer.Name);
        told[0].Alert.Url.ShouldBe($"inbox?chat={chat}");
        told.ShouldAllBe(a => !a.Desktop && !a.Sound && !a.Quiet, "desktop and sound are off until the person turns them on");
    }

    [Fact]
    public async Task Nobody_is_told_of_their_own_message_a_customer_never_of_a_note_and_a_mention_reaches_the_one_mentioned()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await omar.Client.PatchJsonAsync($"/api/v1/support_channels/{chat}", new { assignee_id = omar.Id }).OkJsonAsync();
        await using var mayas = await WatchAsync(maya, onTeam: true);
        await using var customers = await WatchAsync(customer, onTeam: false);

        await maya.Client.SendAsync(chat, "Maya replies");
        await omar.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"Note: @{maya.Username} can you look? @{customer.Username}", visibility = "team" })
            .OkJsonAsync();
        await customer.Client.SendAsync(chat, "The customer again");
        await omar.Client.SendAsync(chat, "Omar replies");

        var customerTold = await customers.UntilAsync(a => a.Alert.Body == "Omar replies");
        customerTold.Select(a => (a.Alert.Kind, a.Alert.Body)).ShouldBe(
        [
            (NotificationEvent.DirectMessages, "Maya replies"),
            (NotificationEvent.DirectMessages, "Omar replies"),
        ], "the customer hears of the team's replies in their conversation, never of the note nor of their own message");
        customerTold.ShouldAllBe(a => a.Alert.Url == $"messages/{chat}");

        var mayaTold = await mayas.UntilAsync(a => a.Alert.Kind == NotificationEvent.Mentions);
        mayaTold.Count.ShouldBe(1, "not her own reply; the customer's message is in Omar's chat");
        mayaTold[0].Alert.Title.ShouldBe($"{omar.Name} mentioned you");
        // Omar's reply, and the customer's message in his own chat, are not for Maya: the customer's next word in an unassigned chat is.
        await omar.Client.PatchJsonAsync($"/api/v1/support_channels/{chat}", new { assignee_id = (string?)null }).OkJsonAsync();
        await customer.Client.SendAsync(chat, "Anyone there?");
        (await mayas.UntilAsync(a => a.Alert.Body == "Anyone there?")).Select(a => a.Alert.Kind)
            .ShouldBe([NotificationEvent.Mentions, NotificationEvent.CustomerMessages]);
    }

    [Fact]
    public async Task In_quiet_hours_nothing_pops_up_or_sounds_and_a_switched_off_event_is_not_told()
    {
        var ana = await app.NewUserAsync("customer");
        var ben = await app.NewUserAsync("customer");
        var now = DateTimeOffset.UtcNow;
        await ana.Client.PatchJsonAsync("/api/v1/me/notification_preferences", new
        {
            events = new[] { "mentions" },
            desktop = true,
            sound = true,
            quiet_hours = new { start = $"{now.AddHours(-1):HH:mm}", end = $"{now.AddHours(1):HH:mm}", time_zone = "UTC" },
        }).OkJsonAsync();
        var dm = (await ben.Client.CreateDmAsync(ana.Id)).Id();
        var unread = new ConcurrentQueue<int>();
        await using var anas = await WatchAsync(ana, onTeam: false, unread);

        await ben.Client.SendAsync(dm, "Just a message");
        await ben.Client.SendAsync(dm, $"Hey @{ana.Username}");

        var told = await anas.UntilAsync(a => a.Alert.Kind == NotificationEvent.Mentions);
        told.Count.ShouldBe(1, "direct messages are switched off; mentions are on");
        told[0].Quiet.ShouldBeTrue();
        told[0].Desktop.ShouldBeFalse("quiet hours: no desktop notification, though it is on");
        told[0].Sound.ShouldBeFalse("quiet hours: no sound, though it is on");
        await WaitForAsync(() => anas.Watch.Unread == 1, "the tab's count still shows the unread DM");

        await ana.Client.PostAsync($"/api/v1/dm_channels/{dm}/mark_read", null);
        await WaitForAsync(() => anas.Watch.Unread == 0, "reading clears it");
        unread.ShouldContain(1);
        unread.ShouldContain(0);
    }

    [Fact]
    public async Task Out_of_quiet_hours_a_direct_message_pops_up_and_sounds_as_chosen()
    {
        var ana = await app.NewUserAsync("customer");
        var ben = await app.NewUserAsync("customer");
        var now = DateTimeOffset.UtcNow;
        await ana.Client.PatchJsonAsync("/api/v1/me/notification_preferences", new
        {
            desktop = true,
            sound = true,
            quiet_hours = new { start = $"{now.AddHours(2):HH:mm}", end = $"{now.AddHours(3):HH:mm}", time_zone = "UTC" },
        }).OkJsonAsync();
        var dm = (await ben.Client.CreateDmAsync(ana.Id)).Id();
        await using var anas = await WatchAsync(ana, onTeam: false);

        await ana.Client.SendAsync(dm, "Ana's own");
        await ben.Client.SendAsync(dm, "Ben's");

        var told = await anas.UntilAsync(a => a.Alert.Body == "Ben's");
        told.Count.ShouldBe(1, "not her own message");
        told[0].ShouldBe(told[0] with { Desktop = true, Sound = true, Quiet = false });
        told[0].Alert.Kind.ShouldBe(NotificationEvent.DirectMessages);
    }

    private async Task<Watching> WatchAsync(TestUser person, bool onTeam, ConcurrentQueue<int>? unread = null)
    {
        var actor = new Actor(person.Id, Credential.Session, null, null, new HashSet<string>());
        var alerts = new ConcurrentQueue<AlertSignal>();
        var started = await app.Services.GetRequiredService<NotificationWatches>().StartAsync(actor, await app.CompanyIdAsync(), onTeam,
            count => { unread?.Enqueue(count); return Task.CompletedTask; },
            signal => { alerts.Enqueue(signal); return Task.CompletedTask; });
        started.Failure.ShouldBeNull();
        return new Watching(started.Value!, alerts);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new ShouldAssertException($"Waited {Patience.TotalSeconds} s: {what}");
            await Task.Delay(50);
        }
    }

    private sealed record Watching(NotificationWatch Watch, ConcurrentQueue<AlertSignal> Alerts) : IAsyncDisposable
    {
        /// <summary>Every alert until one matches <paramref name="last"/>, in the order told.</summary>
        public async Task<List<AlertSignal>> UntilAsync(Func<AlertSignal, bool> last)
        {
            await WaitForAsync(() => Alerts.Any(last), "an alert that never came");
            var all = Alerts.ToList();
            return all[..(all.FindIndex(a => last(a)) + 1)];
        }

        public ValueTask DisposeAsync()
        {
            Watch.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
