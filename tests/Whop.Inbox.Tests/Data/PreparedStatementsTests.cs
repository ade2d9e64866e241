using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// On PostgreSQL the app's statements run prepared (Npgsql's automatic preparation, on by default):
/// a migration that adds columns while instances are running, as a rolling deploy does, must not
/// break the statements those instances prepared.
/// </summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class PreparedStatementsTests
{
    [Fact]
    public async Task Sends_and_reads_keep_working_when_a_migration_adds_columns_under_a_running_instance()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = InboxApp.Over(database);
        await app.InitializeAsync();
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        // Enough of the same requests for their statements to be prepared on the pooled connections.
        for (var i = 0; i < 12; i++) await SendAndReadAsync(customer, chat, $"Before the migration {i}");

        await using (var db = database.CreateContext())
        {
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE channels ADD COLUMN added_later text; ALTER TABLE messages ADD COLUMN added_later text;");
        }

        for (var i = 0; i < 12; i++) await SendAndReadAsync(customer, chat, $"After the migration {i}");
    }

    [Theory]
    [InlineData("Host=db;Database=inbox", 64)]
    [InlineData("Host=db;Database=inbox;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=inbox;MaxAutoPrepare=8", 8)]
    public void Preparation_is_on_unless_the_connection_string_says_otherwise(string given, int prepared) =>
        new Npgsql.NpgsqlConnectionStringBuilder(Whop.Inbox.Data.Postgres.PostgresDialect.WithPreparedStatements(given)).MaxAutoPrepare.ShouldBe(prepared);

    private static async Task SendAndReadAsync(TestUser customer, string chat, string text)
    {
        var sent = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = text });
        ((int)sent.StatusCode).ShouldBe(200, await sent.Content.ReadAsStringAsync());
        var read = await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}&direction=desc&first=5");
        ((int)read.StatusCode).ShouldBe(200, await read.Content.ReadAsStringAsync());
    }
}
