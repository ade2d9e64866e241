using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>Moving up: an embedded database copied into PostgreSQL with <c>copy-to-postgres</c>.</summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class DataCopyTests
{
    [Fact]
    public async Task An_embedded_database_copied_to_PostgreSQL_serves_the_same_chats_sign_ins_cookies_and_api_keys()
    {
        await using var sqlite = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var postgres = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);

        string apiKey, chat, cookie, before;
        long position;
        await using (var embedded = InboxApp.Over(sqlite))
        {
            await embedded.InitializeAsync();
            var customer = await embedded.NewUserAsync("customer");
            chat = await embedded.SupportChatForAsync(customer);
            var sent = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Sent **before** the move" }).OkJsonAsync();
            await customer.Client.PostJsonAsync("/api/v1/reactions", new { resource_id = sent.Id(), emoji = "👍" }).OkJsonAsync();
            apiKey = (await embedded.Backend().PostJsonAsync("/api/v1/api_keys", new { name = "Moved along" }).OkJsonAsync())["secret"]!.GetValue<string>();
            cookie = await embedded.SignInCookieAsync("maya");
            before = (await embedded.WithBearer(apiKey).GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync()).ToJsonString();
            position = await PositionAsync(embedded, chat);
        }

        var output = new StringWriter();
        (await DatabaseCopy.RunAsync(["--from", sqlite.SqlitePath, "--to", postgres.ConnectionString], output)).ShouldBe(0, output.ToString());
        output.ToString().ShouldContain("every table's count matches");

        await using var moved = InboxApp.Over(postgres);
        await moved.InitializeAsync();
        // The same messages, reactions, ids and times, read with the API key made on SQLite.
        (await moved.WithBearer(apiKey).GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync()).ToJsonString().ShouldBe(before);
        (await PositionAsync(moved, chat)).ShouldBe(position, "event positions are kept");
        // The cookie issued on SQLite still signs Maya in (the key ring came along), and so does her password.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = moved.BaseAddress };
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        (await browser.GetAsync("/inbox")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await moved.SignInCookieAsync("maya")).ShouldStartWith("whop_inbox=");
        // Writing goes on from there: the next event takes the next position.
        await moved.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "After the move" }).OkJsonAsync();
        (await PositionAsync(moved, chat)).ShouldBe(position + 1);

        // A second copy into a database that has rows is refused, and changes nothing.
        var again = new StringWriter();
        (await DatabaseCopy.RunAsync(["--from", sqlite.SqlitePath, "--to", postgres.ConnectionString], again)).ShouldBe(1);
        again.ToString().ShouldContain("not empty");
    }

    private static async Task<long> PositionAsync(InboxApp app, string chat)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.Id == chat).Select(c => c.EventPosition).SingleAsync();
    }
}
