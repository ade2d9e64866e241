using Microsoft.AspNetCore.Hosting;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Data;

/// <summary>The app with <c>Inbox:StatementDiagnostics</c> and <c>Inbox:MemoryDiagnostics</c> on, as the benchmarks start it.</summary>
public sealed class StatementCountingApp : InboxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:StatementDiagnostics", "true");
        builder.UseSetting("Inbox:MemoryDiagnostics", "true");
    }
}

public sealed class StatementCountingTests(StatementCountingApp app) : IClassFixture<StatementCountingApp>
{
    [Fact]
    public async Task Each_response_says_how_many_statements_its_request_made_and_the_total_counts_sends()
    {
        var backend = app.Backend();
        var list = await backend.GetAsync("/api/v1/support_channels?view=admin");
        ((int)list.StatusCode).ShouldBe(200);
        // At least the credential's check and the page's query.
        int.Parse(list.Headers.GetValues(StatementCounting.Header).Single()).ShouldBeGreaterThanOrEqualTo(2);

        var before = await TotalAsync(backend);

        var customer = await app.NewUserAsync();
        var chat = await backend.PostJsonAsync("/api/v1/support_channels", new { company_id = await app.CompanyIdAsync(), user_id = customer.Id })
            .OkJsonAsync();
        var sent = await backend.PostJsonAsync("/api/v1/messages", new { channel_id = chat.Id(), content = "Counted" });
        ((int)sent.StatusCode).ShouldBe(200);
        var sendStatements = int.Parse(sent.Headers.GetValues(StatementCounting.Header).Single());
        sendStatements.ShouldBeGreaterThan(1);
        (await TotalAsync(backend)).ShouldBeGreaterThanOrEqualTo(before + sendStatements);
    }

    [Fact]
    public async Task A_send_costs_the_same_few_statements_however_long_the_conversation_and_its_events_ride_in_the_same_save()
    {
        var customer = await app.NewUserAsync();
        var chat = await app.SupportChatForAsync(customer);
        var counts = new List<int>();
        for (var i = 1; i <= 12; i++)
        {
            var sent = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"Message {i}" });
            ((int)sent.StatusCode).ShouldBe(200);
            counts.Add(int.Parse(sent.Headers.GetValues(StatementCounting.Header).Single()));
        }
        counts.Skip(1).Distinct().Count().ShouldBe(1, $"no statement per earlier message: {string.Join(", ", counts)}");
        // The credential, the lock, the rights with the author's name, one save (message, conversation, event)
        // and one command after it (the unread counts with the author's read mark and, on PostgreSQL, the
        // notification): 5 there, 7 on SQLite, which runs the save's three inserts and updates as three commands.
        counts.Last().ShouldBeLessThanOrEqualTo(app.Database.Provider == DatabaseProvider.Postgres ? 5 : 7);
    }

    [Fact]
    public async Task The_total_is_for_api_keys_only()
    {
        var customer = await app.NewUserAsync();
        await (await customer.Client.GetAsync(StatementCounting.Path)).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task The_memory_figures_are_for_api_keys_only_and_a_person_gets_a_403_not_a_sign_in_redirect()
    {
        var customer = await app.NewUserAsync();
        await (await customer.Client.GetAsync(Whop.Inbox.Common.MemoryDiagnostics.Path)).ShouldBeProblemAsync(403);
        (await app.Backend().GetAsync(Whop.Inbox.Common.MemoryDiagnostics.Path).OkJsonAsync())["managed_heap_bytes"]!.GetValue<long>()
            .ShouldBeGreaterThan(0);
    }

    private static async Task<long> TotalAsync(HttpClient backend) =>
        (await backend.GetAsync(StatementCounting.Path).OkJsonAsync())["total"]!.GetValue<long>();
}

[Collection(AppCollection.Name)]
public sealed class StatementCountingOffTests(InboxApp app)
{
    [Fact]
    public async Task By_default_nothing_is_counted_or_served()
    {
        var list = await app.Backend().GetAsync("/api/v1/support_channels?view=admin");
        list.Headers.Contains(StatementCounting.Header).ShouldBeFalse();
        ((int)(await app.Backend().GetAsync(StatementCounting.Path)).StatusCode).ShouldBe(404);
    }
}
