using System.Text.Json.Nodes;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>Removing someone from the team ends their inbox and support-chat subscriptions at once, on every instance.</summary>
public sealed class TeamRevocationTests
{
    [Fact]
    public async Task A_moderator_removed_from_the_team_gets_access_revoked_within_seconds()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await RemovalRevokesAsync(app, app);
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_moderator_removed_from_the_team_gets_access_revoked_within_seconds_on_every_instance()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = InboxApp.Over(database);
        await app.InitializeAsync();
        await using var second = InboxApp.Over(database);
        await second.InitializeAsync();
        await RemovalRevokesAsync(app, second);
    }

    private static async Task RemovalRevokesAsync(InboxApp app, InboxApp second)
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        using var here = await RawHubConnection.OpenAsync(app, moderator.Token());
        using var there = await RawHubConnection.OpenAsync(second, moderator.Token());
        foreach (var hub in new[] { here, there })
        {
            await hub.InvokeAsync("1", "Subscribe", chat, null);
            await hub.InvokeAsync("2", "SubscribeInbox", (object?)null);
            (await hub.CompletionErrorsAsync(2)).Values.ShouldAllBe(error => error == null);
        }

        var team = await app.Backend().GetAsync("/api/v1/team_members").OkJsonAsync();
        var membership = team["data"]!.AsArray().Single(m => m!["user"]!["id"]!.GetValue<string>() == moderator.Id)!;
        (await app.Backend().DeleteAsync($"/api/v1/team_members/{membership.Id()}")).EnsureSuccessStatusCode();

        foreach (var (hub, instance) in new[] { (here, "the instance that removed them"), (there, "the other instance") })
        {
            var revoked = await RevokedSubscriptionsAsync(hub, TimeSpan.FromSeconds(5));
            revoked.ShouldBe(["channel:" + chat, "inbox"], ignoreOrder: true, $"access.revoked on {instance}");
        }

        // And they are over: a new message in the chat reaches neither connection.
        await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "after the removal" }).OkJsonAsync();
        foreach (var hub in new[] { here, there })
            (await EventsWithinAsync(hub, TimeSpan.FromSeconds(1))).ShouldNotContain(e => e.Type == "message.created");
    }

    /// <summary>The streams (<c>subscription</c> argument) that received <c>access.revoked</c> within the time.</summary>
    private static async Task<List<string>> RevokedSubscriptionsAsync(RawHubConnection hub, TimeSpan within)
    {
        var revoked = new List<string>();
        var deadline = DateTime.UtcNow + within;
        while (revoked.Count < 2 && DateTime.UtcNow < deadline)
        {
            foreach (var evt in await EventsWithinAsync(hub, deadline - DateTime.UtcNow))
                if (evt.Type == "access.revoked") revoked.Add(evt.Subscription);
        }
        return revoked;
    }

    private static async Task<List<(string Type, string Subscription)>> EventsWithinAsync(RawHubConnection hub, TimeSpan within)
    {
        try
        {
            var messages = await hub.ReadAsync(within);
            return messages.Where(m => m["type"]?.GetValue<int>() == 1 && m["target"]?.GetValue<string>() == "event")
                .Select(m => (m["arguments"]![0]!["type"]!.GetValue<string>(), m["arguments"]![1]!.GetValue<string>()))
                .ToList();
        }
        catch (OperationCanceledException)
        {
            return [];
        }
    }
}
