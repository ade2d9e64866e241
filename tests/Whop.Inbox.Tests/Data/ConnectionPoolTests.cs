using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// A change holds one pooled connection from its lock to its commit and asks for no other meanwhile:
/// were it to wait for a second while holding the first, a busy minute would leave every connection
/// held by a change waiting for another, until the pool's timeout failed them all.
/// </summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class ConnectionPoolTests
{
    [Fact]
    public async Task More_changes_at_once_than_the_pool_has_connections_all_go_through()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var app = InboxApp.Over(database,
            ("ConnectionStrings:Inbox", $"{database.ConnectionString};Maximum Pool Size=3;Timeout=5"));
        await app.InitializeAsync();
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var sent = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "First" }).OkJsonAsync();

        // The bound on database work follows the pool (no more than its 3 at once), so the rest are
        // refused at once with 503 and sent again, never left to wait for the pool's time-out.
        var changes = Enumerable.Range(1, 24).Select(i => ApiClient.RetryingBusyAsync(() => (i % 3) switch
        {
            0 => customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"Customer {i}" }),
            1 => moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"Moderator {i}" }),
            _ => moderator.Client.PatchJsonAsync($"/api/v1/messages/{sent.Id()}", new { is_pinned = i % 2 == 0 }),
        }));
        var answers = await Task.WhenAll(changes);

        answers.Select(a => (int)a.StatusCode).ShouldAllBe(status => status == 200);
    }
}
