using Microsoft.Data.Sqlite;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>SQLite's one write lock held elsewhere longer than the busy timeout: a 503 to retry, never a 500, and nothing lost.</summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Sqlite)]
public sealed class SqliteBusyTests
{
    [Fact]
    public async Task A_write_that_waits_out_the_busy_timeout_answers_503_with_retry_after_and_succeeds_once_the_lock_is_free()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var app = InboxApp.Over(database, ("Inbox:Database:BusyTimeout", "00:00:01"));
        await app.InitializeAsync();
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        // Another process (here: another connection) holds the write lock.
        await using (var other = new SqliteConnection(database.ConnectionString))
        {
            await other.OpenAsync();
            await using var hold = other.BeginTransaction(deferred: false);

            var refused = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "While the lock is held" });
            await refused.ShouldBeProblemAsync(503);
            refused.Headers.RetryAfter.ShouldNotBeNull();
        }

        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "After the lock is free" }).OkJsonAsync();
        var history = await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync();
        history["data"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ShouldBe(["After the lock is free"]);
    }
}
