using System.Text.Json.Nodes;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// A note, and an assignment, reach only the team: a customer's hub connection, on the instance that wrote
/// it or on another, never receives one, nor who has the chat; a teammate's receives both.
/// </summary>
public sealed class NoteReachTests
{
    [Fact]
    public async Task A_customers_connection_never_receives_a_note_or_an_assignment()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await NotesStayWithTheTeamAsync(app, app);
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_customers_connection_on_another_instance_never_receives_a_note_or_an_assignment()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = InboxApp.Over(database);
        await app.InitializeAsync();
        await using var second = InboxApp.Over(database);
        await second.InitializeAsync();
        await NotesStayWithTheTeamAsync(app, second);
    }

    private static async Task NotesStayWithTheTeamAsync(InboxApp app, InboxApp customersInstance)
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);

        using var customerHub = await RawHubConnection.OpenAsync(customersInstance, customer.Token());
        using var teamHub = await RawHubConnection.OpenAsync(customersInstance, maya.Token());
        await customerHub.InvokeAsync("1", "Subscribe", chat, null);
        await customerHub.InvokeAsync("2", "SubscribeConversations");
        (await customerHub.CompletionErrorsAsync(2)).Values.ShouldAllBe(error => error == null);
        await teamHub.InvokeAsync("1", "Subscribe", chat, null);
        await teamHub.InvokeAsync("2", "SubscribeInbox", (object?)null);
        (await teamHub.CompletionErrorsAsync(2)).Values.ShouldAllBe(error => error == null);

        await maya.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Internal: VIP customer", visibility = "team" })
            .OkJsonAsync();
        await maya.Client.PatchJsonAsync($"/api/v1/support_channels/{chat}", new { assignee_id = maya.Id }).OkJsonAsync();
        await maya.Client.SendAsync(chat, "Hello! Looking into it now.");

        var teamEvents = await EventsUntilAsync(teamHub, e => e.Content == "Hello! Looking into it now.", expected: 2);
        teamEvents.ShouldContain(e => e.Content == "Internal: VIP customer" && e.Reach == "team");
        teamEvents.ShouldContain(e => e.Type == "support_chat.assigned");
        teamEvents.Where(e => e.Content == "Hello! Looking into it now.").ShouldAllBe(e => e.AssigneeId == maya.Id);

        var customerEvents = await EventsUntilAsync(customerHub, e => e.Content == "Hello! Looking into it now.", expected: 2);
        customerEvents.ShouldNotContain(e => e.Reach == "team");
        customerEvents.ShouldNotContain(e => e.Type == "support_chat.assigned");
        customerEvents.ShouldNotContain(e => e.Content != null && (e.Content.Contains("VIP") || e.Content.Contains("took this chat")));
        customerEvents.ShouldAllBe(e => e.AssigneeId == null, "who has the chat is not in what the customer receives");
        customerEvents.Count(e => e.Content == "Hello! Looking into it now.").ShouldBe(2, "the reply, on both of the customer's streams");
    }

    private sealed record Received(string Type, string Subscription, string? Content, string? Reach, string? AssigneeId);

    /// <summary>Every event until <paramref name="expected"/> of them match <paramref name="last"/> (or 10 s pass).</summary>
    private static async Task<List<Received>> EventsUntilAsync(RawHubConnection hub, Func<Received, bool> last, int expected) =>
        (await hub.EventsUntilAsync(events => events.Select(Of).Count(last) >= expected, TimeSpan.FromSeconds(10))).Select(Of).ToList();

    private static Received Of((JsonNode Event, string Subscription) e) => new(e.Event["type"]!.GetValue<string>(), e.Subscription,
        e.Event["data"]?["message"]?["content"]?.GetValue<string>(), e.Event["reach"]?.GetValue<string>(),
        e.Event["channel"]?["assignee_id"]?.GetValue<string>());
}
