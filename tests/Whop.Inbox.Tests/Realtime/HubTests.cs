using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// The hub at /hubs/chat driven by ASP.NET Core's official JavaScript client under Node.js: the
/// scripts next to this file do the hub side and say which checks passed.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class HubTests(InboxApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_receives_a_REST_post_it_subscribed_to_and_a_customer_is_refused_someone_elses_chat()
    {
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var maya = await db.Users.Where(u => u.UserName == "maya").Select(u => u.Id).SingleAsync();

        await NodeScript.RunAsync("hub-subscribe.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = app.BaseAddress.ToString(),
            ["API_KEY"] = InboxApp.BootstrapApiKey,
            ["COMPANY_ID"] = await app.CompanyIdAsync(),
            ["CHANNEL_ID"] = chat,
            ["CUSTOMER_ID"] = customer.Id,
            ["CUSTOMER_TOKEN"] = customer.Token(),
            ["OTHER_CUSTOMER_TOKEN"] = other.Token(),
            ["MODERATOR_ID"] = maya,
            ["MODERATOR_COOKIE"] = await app.SignInCookieAsync("maya"),
        }, output);
    }

    [Fact]
    public async Task Hub_calls_share_the_per_credential_rate_limit_and_a_refused_call_leaves_the_connection_open()
    {
        // An app of its own with the production allowance (the shared one's is raised for the suite's sake).
        await using var database = await TestDatabase.CreateAsync();
        await using var limited = InboxApp.Over(database, ("Inbox:RateLimit:RequestsPerSecond", "50"), ("Inbox:RateLimit:Burst", "200"));
        await limited.InitializeAsync();
        var customer = await limited.NewUserAsync("customer");
        using var hub = await RawHubConnection.OpenAsync(limited, customer.Token());
        const int calls = 300; // past the default burst of 200

        for (var i = 1; i <= calls; i++) await hub.InvokeAsync($"{i}", "UnsubscribeInbox");
        var answers = new Dictionary<string, string?>();
        while (answers.Count < calls)
        {
            foreach (var message in await hub.ReadAsync(TimeSpan.FromSeconds(15)))
            {
                if (message["type"]?.GetValue<int>() == 3) answers[message["invocationId"]!.GetValue<string>()] = message["error"]?.GetValue<string>();
            }
        }

        // Connecting took two of the burst (the negotiation and the WebSocket's request).
        Enumerable.Range(1, 198).Select(i => answers[$"{i}"]).ShouldAllBe(error => error == null, "the rest of the burst is allowed");
        var refused = answers.Values.Where(error => error != null).ToList();
        refused.ShouldNotBeEmpty();
        refused.ShouldAllBe(error => error!.Contains("HubException: rate_limited: Too many requests from this credential; retry after"));

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await hub.InvokeAsync("after", "UnsubscribeInbox");
        var later = (await hub.ReadAsync(TimeSpan.FromSeconds(10))).Single(m => m["invocationId"]?.GetValue<string>() == "after");
        later["error"].ShouldBeNull("the bucket refills and the connection is still open");
    }

    [Fact]
    public async Task A_client_that_drops_while_100_messages_are_posted_resumes_with_all_of_them_once_and_in_order()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await NodeScript.RunAsync("hub-reconnect.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = app.BaseAddress.ToString(),
            ["API_KEY"] = InboxApp.BootstrapApiKey,
            ["CHANNEL_ID"] = chat,
            ["CUSTOMER_TOKEN"] = customer.Token(),
        }, output);
    }
}

/// <summary>Two instances on two loopback ports over one PostgreSQL database, as behind a load balancer.</summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class TwoInstanceHubTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_message_posted_through_one_instance_reaches_a_hub_client_connected_to_the_other()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database);
        await first.InitializeAsync();
        await using var second = InboxApp.Over(database);
        await second.InitializeAsync();
        first.BaseAddress.Port.ShouldNotBe(second.BaseAddress.Port);

        var customer = await first.NewUserAsync("customer");
        var chat = await first.SupportChatForAsync(customer);
        await NodeScript.RunAsync("hub-two-instances.mjs", new Dictionary<string, string>
        {
            ["BASE_URL_A"] = first.BaseAddress.ToString(),
            ["BASE_URL_B"] = second.BaseAddress.ToString(),
            ["API_KEY"] = InboxApp.BootstrapApiKey,
            ["CHANNEL_ID"] = chat,
            ["CUSTOMER_TOKEN"] = customer.Token(),
        }, output);
    }
}
