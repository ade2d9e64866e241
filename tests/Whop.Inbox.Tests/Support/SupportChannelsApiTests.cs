using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

[Collection(AppCollection.Name)]
public sealed class SupportChannelsApiTests(InboxApp app)
{
    private const string Path = "/api/v1/support_channels";

    [Fact]
    public async Task Opening_a_support_chat_twice_returns_the_same_chat_by_id_or_username()
    {
        var companyId = await app.CompanyIdAsync();
        var customer = await app.NewUserAsync("customer");

        var first = await app.Backend().PostJsonAsync(Path, new { company_id = companyId, user_id = customer.Id }).OkJsonAsync();
        var again = await app.Backend().PostJsonAsync(Path, new { company_id = companyId, user_id = customer.Username }).OkJsonAsync();

        again.Id().ShouldBe(first.Id());
        first.Id().ShouldStartWith("feed_");
        first["company_id"]!.GetValue<string>().ShouldBe(companyId);
        first["customer_user"]!["id"]!.GetValue<string>().ShouldBe(customer.Id);
        first["customer_user"]!["username"]!.GetValue<string>().ShouldBe(customer.Username);
        first["resolved_at"].ShouldBeNull();
        first["status"]!.GetValue<string>().ShouldBe("waiting");
    }

    [Fact]
    public async Task Concurrent_opens_for_one_customer_agree_on_one_chat()
    {
        var companyId = await app.CompanyIdAsync();
        var customer = await app.NewUserAsync("customer");

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            (await app.Backend().PostJsonAsync(Path, new { company_id = companyId, user_id = customer.Id }).OkJsonAsync()).Id()));

        ids.Distinct().Count().ShouldBe(1);
    }

    [Fact]
    public async Task A_customer_opens_their_own_chat_but_not_someone_elses()
    {
        var companyId = await app.CompanyIdAsync();
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");

        var own = await customer.Client.PostJsonAsync(Path, new { company_id = companyId, user_id = customer.Id }).OkJsonAsync();
        own["customer_user"]!["id"]!.GetValue<string>().ShouldBe(customer.Id);
        await (await customer.Client.PostJsonAsync(Path, new { company_id = companyId, user_id = other.Id })).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task An_unknown_customer_is_404_with_a_message()
    {
        var body = await (await app.Backend().PostJsonAsync(Path, new { company_id = await app.CompanyIdAsync(), user_id = "nobody-by-this-name" }))
            .ShouldBeProblemAsync(404);
        body["error"]!["message"]!.GetValue<string>().ShouldContain("nobody-by-this-name");
    }

    [Fact]
    public async Task Opening_without_user_id_is_400_naming_it()
    {
        await (await app.Backend().PostJsonAsync(Path, new { company_id = await app.CompanyIdAsync() })).ShouldBeProblemAsync(400, "user_id");
        await (await app.Backend().PostRawJsonAsync(Path, """{"company_id": 42, "user_id": "x"}""")).ShouldBeProblemAsync(400, "company_id");
    }

    [Fact]
    public async Task A_customer_cannot_see_another_customers_chat_and_learns_nothing_of_it()
    {
        var chat = await OpenChatAsync(await app.NewUserAsync("customer"));
        var other = await app.NewUserAsync("customer");

        await (await other.Client.GetAsync($"{Path}/{chat}")).ShouldBeProblemAsync(404);
        await (await other.Client.GetAsync($"/api/v1/messages?channel_id={chat}")).ShouldBeProblemAsync(404);
        await (await other.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "hi" })).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Moderators_resolve_and_reopen_with_system_messages_and_audit_entries_and_customers_cannot()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await OpenChatAsync(customer);
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "My download link is broken." }).OkJsonAsync();

        await (await customer.Client.PostAsync($"{Path}/{chat}/resolve", null)).ShouldBeProblemAsync(403);

        var resolved = await moderator.Client.PostAsync($"{Path}/{chat}/resolve", null).OkJsonAsync();
        resolved["status"]!.GetValue<string>().ShouldBe("resolved");
        resolved["resolved_at"].ShouldNotBeNull();

        var reopened = await moderator.Client.PostAsync($"{Path}/{chat}/reopen", null).OkJsonAsync();
        reopened["status"]!.GetValue<string>().ShouldBe("open");
        reopened["resolved_at"].ShouldBeNull();

        var system = await SystemMessagesAsync(moderator.Client, chat);
        system.ShouldContain(m => m.Contains("resolved this chat"));
        system.ShouldContain(m => m.Contains("reopened this chat"));
    }

    [Fact]
    public async Task A_customer_reply_reopens_a_resolved_chat_and_a_team_reply_hands_it_back()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await OpenChatAsync(customer);

        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Where is my invoice?" }).OkJsonAsync();
        (await StatusAsync(chat)).ShouldBe("open");
        await moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Sent it just now." }).OkJsonAsync();
        (await StatusAsync(chat)).ShouldBe("waiting");
        await moderator.Client.PostAsync($"{Path}/{chat}/resolve", null).OkJsonAsync();
        (await StatusAsync(chat)).ShouldBe("resolved");

        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "It has the wrong address." }).OkJsonAsync();
        (await StatusAsync(chat)).ShouldBe("open");
        (await SystemMessagesAsync(moderator.Client, chat)).ShouldContain(m => m.Contains("reopened"));
    }

    [Fact]
    public async Task The_list_filters_by_open_resolved_customer_and_pages_in_both_orders()
    {
        var companyId = await app.CompanyIdAsync();
        var moderator = await app.NewTeamMemberAsync("moderator");
        var awaiting = await app.NewUserAsync("customer");
        var resolved = await app.NewUserAsync("customer");
        var awaitingChat = await OpenChatAsync(awaiting);
        var resolvedChat = await OpenChatAsync(resolved);
        await awaiting.Client.PostJsonAsync("/api/v1/messages", new { channel_id = awaitingChat, content = "Hello?" }).OkJsonAsync();
        await moderator.Client.PostAsync($"{Path}/{resolvedChat}/resolve", null).OkJsonAsync();

        var open = await AllIdsAsync(app.Backend(), $"{Path}?company_id={companyId}&open=true");
        open.ShouldContain(awaitingChat);
        open.ShouldNotContain(resolvedChat);
        var closed = await AllIdsAsync(app.Backend(), $"{Path}?company_id={companyId}&open=false");
        closed.ShouldContain(resolvedChat);
        closed.ShouldNotContain(awaitingChat);

        var byCustomer = await AllIdsAsync(app.Backend(), $"{Path}?customer_id={awaiting.Username}");
        byCustomer.ShouldBe([awaitingChat]);

        // Newest activity first by default; created_at ascending is the exact reverse of descending.
        var all = await AllIdsAsync(app.Backend(), $"{Path}?first=5");
        all.IndexOf(awaitingChat).ShouldBeLessThan(all.IndexOf(resolvedChat));
        var ascending = await AllIdsAsync(app.Backend(), $"{Path}?order=created_at&direction=asc&first=7");
        var descending = await AllIdsAsync(app.Backend(), $"{Path}?order=created_at&direction=desc&first=7");
        ascending.ShouldBe(Enumerable.Reverse(descending).ToList());
        ascending.Count.ShouldBeGreaterThan(14);
    }

    [Fact]
    public async Task A_customer_sees_only_their_own_chats_whatever_the_view()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await OpenChatAsync(customer);

        (await AllIdsAsync(customer.Client, $"{Path}?view=customer")).ShouldBe([chat]);
        (await AllIdsAsync(customer.Client, $"{Path}")).ShouldBe([chat]);
        await (await customer.Client.GetAsync($"{Path}?view=admin")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task Unread_counts_take_each_chat_the_caller_read_off_its_own_status()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var waiting = await OpenChatAsync(await app.NewUserAsync("customer"));
        var resolved = await OpenChatAsync(await app.NewUserAsync("customer"));
        foreach (var chat in new[] { waiting, resolved })
            await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Hello from the shop" }).OkJsonAsync();
        await app.Backend().PostAsync($"{Path}/{resolved}/resolve", null).OkJsonAsync();
        var before = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();

        await moderator.Client.PostAsync($"{Path}/{resolved}/mark_read", null).OkJsonAsync();
        var after = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();

        after["resolved"]!.GetValue<int>().ShouldBe(before["resolved"]!.GetValue<int>() - 1);
        after["waiting"]!.GetValue<int>().ShouldBe(before["waiting"]!.GetValue<int>());
        after["open"]!.GetValue<int>().ShouldBe(before["open"]!.GetValue<int>());

        // A read chat that changes status stays read: reopening it moves nothing into "open".
        await app.Backend().PostAsync($"{Path}/{resolved}/reopen", null).OkJsonAsync();
        var reopened = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();
        reopened["open"]!.GetValue<int>().ShouldBe(after["open"]!.GetValue<int>());
        reopened["resolved"]!.GetValue<int>().ShouldBe(after["resolved"]!.GetValue<int>());

        // A new message from someone else makes it unread again, in its status of now.
        await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = resolved, content = "One more thing" }).OkJsonAsync();
        var again = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();
        again["waiting"]!.GetValue<int>().ShouldBe(after["waiting"]!.GetValue<int>() + 1);
    }

    [Fact]
    public async Task Unread_counts_follow_the_callers_read_state()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await OpenChatAsync(customer);
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "One" }).OkJsonAsync();
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Two" }).OkJsonAsync();

        (await moderator.Client.GetAsync($"{Path}/{chat}").OkJsonAsync())["unread_count"]!.GetValue<int>().ShouldBe(2);
        var before = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();
        before["open"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);

        await moderator.Client.PostAsync($"{Path}/{chat}/mark_read", null).OkJsonAsync();
        (await moderator.Client.GetAsync($"{Path}/{chat}").OkJsonAsync())["unread_count"]!.GetValue<int>().ShouldBe(0);
        var after = await moderator.Client.GetAsync($"{Path}/unread_counts").OkJsonAsync();
        after["open"]!.GetValue<int>().ShouldBe(before["open"]!.GetValue<int>() - 1);

        // The customer's own messages are never unread for them.
        (await customer.Client.GetAsync($"{Path}/{chat}").OkJsonAsync())["unread_count"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Bad_list_parameters_are_400_naming_the_parameter()
    {
        await (await app.Backend().GetAsync($"{Path}?view=everyone")).ShouldBeProblemAsync(400, "view");
        await (await app.Backend().GetAsync($"{Path}?order=name")).ShouldBeProblemAsync(400, "order");
        await (await app.Backend().GetAsync($"{Path}?direction=up")).ShouldBeProblemAsync(400, "direction");
        (await (await app.Backend().GetAsync($"{Path}?open=maybe")).ShouldBeProblemAsync(400, "open"))["detail"]!.GetValue<string>()
            .ShouldBe("open must be true or false (got \"maybe\").");
        (await (await app.Backend().GetAsync($"{Path}?first=abc")).ShouldBeProblemAsync(400, "first"))["errors"]!["first"]![0]!.GetValue<string>()
            .ShouldBe("first must be a whole number (got \"abc\").");
        await (await app.Backend().GetAsync($"{Path}?first=500")).ShouldBeProblemAsync(400, "first");
        await (await app.Backend().GetAsync($"{Path}?after=not-a-cursor")).ShouldBeProblemAsync(400, "after");
        await (await app.Backend().GetAsync($"{Path}?first=2&last=2")).ShouldBeProblemAsync(400, "last");
    }

    [Fact]
    public async Task A_token_without_the_support_scopes_is_refused()
    {
        var customer = await app.NewUserAsync("customer", "dms:read");
        await (await customer.Client.PostJsonAsync(Path, new { company_id = await app.CompanyIdAsync(), user_id = customer.Id }))
            .ShouldBeProblemAsync(403);
    }

    private async Task<string> OpenChatAsync(TestUser customer) =>
        (await app.Backend().PostJsonAsync(Path, new { company_id = await app.CompanyIdAsync(), user_id = customer.Id }).OkJsonAsync()).Id();

    private async Task<string> StatusAsync(string chat) =>
        (await app.Backend().GetAsync($"{Path}/{chat}").OkJsonAsync())["status"]!.GetValue<string>();

    private static async Task<List<string>> SystemMessagesAsync(HttpClient client, string chat)
    {
        var page = await client.GetAsync($"/api/v1/messages?channel_id={chat}&first=100").OkJsonAsync();
        return page["data"]!.AsArray().Where(m => m!["message_type"]!.GetValue<string>() == "system")
            .Select(m => m!["content"]!.GetValue<string>()).ToList();
    }

    /// <summary>Follows end_cursor to the end, as the SDK does.</summary>
    internal static async Task<List<string>> AllIdsAsync(HttpClient client, string path)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (var pages = 0; pages < 500; pages++)
        {
            var separator = path.Contains('?') ? '&' : '?';
            var page = await client.GetAsync(cursor is null ? path : $"{path}{separator}after={cursor}").OkJsonAsync();
            ids.AddRange(page["data"]!.AsArray().Select(n => n!.Id()));
            cursor = page["page_info"]!["end_cursor"]?.GetValue<string>();
            if (cursor is null) return ids;
            page["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeTrue();
        }
        throw new InvalidOperationException("The list never ended.");
    }
}
