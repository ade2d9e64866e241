using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Audit;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary><c>POST /support_channels/bulk</c>: each chat changed on its own and reported in order; a request wrong as a whole changes nothing.</summary>
[Collection(AppCollection.Name)]
public sealed class BulkActionsApiTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";
    private const string Bulk = "/api/v1/support_channels/bulk";
    private const string Labels = "/api/v1/labels";

    [Fact]
    public async Task A_bulk_resolve_reports_each_chat_in_order_done_not_found_or_already_resolved_by_a_colleague()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var nora = await app.NewTeamMemberAsync("moderator");
        var first = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();
        var resolvedByNora = await ChatWithMessageAsync();
        await nora.Client.PostAsync($"{Chats}/{resolvedByNora}/resolve", null).OkJsonAsync();
        var other = await app.SecondCompanyAsync();
        var theirCustomer = await other.Backend.PostJsonAsync("/api/v1/users", new { username = $"theirs-{Guid.NewGuid():N}"[..20], name = "Their Customer" })
            .OkJsonAsync();
        var theirs = (await other.Backend.PostJsonAsync(Chats, new { company_id = other.Id, user_id = theirCustomer.Id() }).OkJsonAsync()).Id();

        var results = await BulkAsync(maya, new { ids = new[] { first, theirs, resolvedByNora, second }, action = "resolve" });

        results.Select(r => r!["id"]!.GetValue<string>()).ShouldBe([first, theirs, resolvedByNora, second], "one result per id, in order");
        results.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 404, 409, 200]);
        results[0]!["error"].ShouldBeNull("a chat that changed has no error");
        results[1]!["error"]!["type"]!.GetValue<string>().ShouldBe("not_found");
        var conflict = results[2]!["error"]!;
        conflict["type"]!.GetValue<string>().ShouldBe("conflict");
        conflict["message"]!.GetValue<string>().ShouldStartWith($"Already resolved by {nora.Name} at ");
        conflict["message"]!.GetValue<string>().ShouldEndWith(" UTC.");

        foreach (var done in new[] { first, second })
            (await maya.Client.GetAsync($"{Chats}/{done}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("resolved");
        (await other.Backend.GetAsync($"{Chats}/{theirs}").OkJsonAsync())["status"]!.GetValue<string>().ShouldNotBe("resolved");

        // Each chat changed as if alone: its own event, system message and audit entry, by Maya; the others none.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        foreach (var done in new[] { first, second })
        {
            (await db.ChannelEvents.CountAsync(e => e.ChannelId == done && e.Type == ChatEventTypes.SupportChatResolved)).ShouldBe(1);
            (await db.AuditEntries.CountAsync(e => e.ChannelId == done && e.Action == AuditActions.SupportChatResolved && e.ActorUserId == maya.Id))
                .ShouldBe(1);
            (await maya.Client.MessagesAsync(done)).ShouldContain(m => m!["content"]!.GetValue<string>() == $"{maya.Name} resolved this chat.");
        }
        (await db.AuditEntries.CountAsync(e => e.ChannelId == resolvedByNora && e.Action == AuditActions.SupportChatResolved))
            .ShouldBe(1, "Nora's resolve alone: the bulk one did not happen");
        (await db.ChannelEvents.CountAsync(e => e.ChannelId == theirs && e.Type == ChatEventTypes.SupportChatResolved)).ShouldBe(0);
    }

    [Fact]
    public async Task A_bulk_reopen_reports_a_chat_that_is_already_open()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var resolved = await ChatWithMessageAsync();
        var open = await ChatWithMessageAsync();
        await maya.Client.PostAsync($"{Chats}/{resolved}/resolve", null).OkJsonAsync();

        var results = await BulkAsync(maya, new { ids = new[] { resolved, open }, action = "reopen" });

        results.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 409]);
        results[1]!["error"]!["message"]!.GetValue<string>().ShouldStartWith("Already open");
        (await maya.Client.GetAsync($"{Chats}/{resolved}").OkJsonAsync())["status"]!.GetValue<string>().ShouldNotBe("resolved");
    }

    [Fact]
    public async Task A_bulk_assign_gives_each_chat_with_its_own_note_and_unassigns_with_null()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var omar = await app.NewTeamMemberAsync("moderator");
        var first = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();
        var omarsAlready = await ChatWithMessageAsync();
        await maya.Client.PatchJsonAsync($"{Chats}/{omarsAlready}", new { assignee_id = omar.Id }).OkJsonAsync();

        var assigned = await BulkAsync(maya, new { ids = new[] { first, second, omarsAlready }, action = "assign", assignee_id = omar.Id });

        assigned.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200, 409]);
        assigned[2]!["error"]!["message"]!.GetValue<string>().ShouldBe($"Already assigned to {omar.Name}.");
        foreach (var chat in new[] { first, second })
        {
            (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["assignee_id"]!.GetValue<string>().ShouldBe(omar.Id);
            (await maya.Client.MessagesAsync(chat)).ShouldContain(m => m!["content"]!.GetValue<string>() == $"{maya.Name} assigned this chat to {omar.Name}.");
        }

        var unassigned = await BulkAsync(maya, new Dictionary<string, object?> { ["ids"] = new[] { first, second }, ["action"] = "assign", ["assignee_id"] = null });

        unassigned.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        (await maya.Client.GetAsync($"{Chats}/{first}").OkJsonAsync())["assignee_id"].ShouldBeNull();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.ChannelId == second && e.Action == AuditActions.SupportChatAssigned)).ShouldBe(2);
    }

    [Fact]
    public async Task A_bulk_label_adds_to_each_chat_keeping_its_other_labels_and_unlabel_takes_off_only_those_named()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var billing = await NewLabelAsync("Billing");
        var refunds = await NewLabelAsync("Refunds");
        var vip = await NewLabelAsync("VIP");
        var first = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();
        await maya.Client.PatchJsonAsync($"{Chats}/{first}", new { label_ids = new[] { vip } }).OkJsonAsync();

        var labelled = await BulkAsync(maya, new { ids = new[] { first, second }, action = "label", label_ids = new[] { billing, refunds } });

        labelled.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        (await LabelIdsAsync(maya, first)).ShouldBe([billing, refunds, vip], ignoreOrder: true, "the chat keeps the label it had");
        (await LabelIdsAsync(maya, second)).ShouldBe([billing, refunds], ignoreOrder: true);
        (await maya.Client.MessagesAsync(second)).ShouldContain(m => m!["content"]!.GetValue<string>().StartsWith($"{maya.Name} added "),
            "each chat has its own note, as if labelled alone");

        var unlabelled = await BulkAsync(maya, new { ids = new[] { first, second }, action = "unlabel", label_ids = new[] { billing } });

        unlabelled.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        (await LabelIdsAsync(maya, first)).ShouldBe([refunds, vip], ignoreOrder: true, "only the label named comes off");
        (await LabelIdsAsync(maya, second)).ShouldBe([refunds]);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.ChannelEvents.CountAsync(e => e.ChannelId == second && e.Type == ChatEventTypes.SupportChatLabeled)).ShouldBe(2);
    }

    [Fact]
    public async Task A_label_of_another_company_or_no_label_ids_is_refused_naming_the_field_and_labels_nothing()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var billing = await NewLabelAsync("Billing");
        var first = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();
        var other = await app.SecondCompanyAsync();
        var theirs = (await other.Backend.PostJsonAsync(Labels, new { name = Unique("Theirs"), color = "#000000" }).OkJsonAsync()).Id();

        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { first, second }, action = "label", label_ids = new[] { billing, theirs } }))
            .ShouldBeProblemAsync(422, "label_ids[1]");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { first, second }, action = "unlabel", label_ids = new[] { theirs } }))
            .ShouldBeProblemAsync(422, "label_ids[0]");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { first, second }, action = "label" })).ShouldBeProblemAsync(400, "label_ids");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { first }, action = "unlabel" })).ShouldBeProblemAsync(400, "label_ids");

        foreach (var chat in new[] { first, second })
        {
            (await LabelIdsAsync(maya, chat)).ShouldBeEmpty();
            (await maya.Client.MessagesAsync(chat)).Count.ShouldBe(1, "only the customer's message: no system note");
        }
    }

    [Fact]
    public async Task A_bulk_snooze_snoozes_each_chat_names_the_resolved_one_and_snooze_null_wakes_them()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var first = await ChatWithMessageAsync();
        var resolved = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();
        await maya.Client.PostAsync($"{Chats}/{resolved}/resolve", null).OkJsonAsync();
        var until = DateTimeOffset.UtcNow.AddHours(3);

        var snoozed = await BulkAsync(maya, new { ids = new[] { first, resolved, second }, action = "snooze", snooze = new { until = until.ToString("O") } });

        snoozed.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 422, 200]);
        snoozed[1]!["error"]!["param"]!.GetValue<string>().ShouldBe("snooze");
        snoozed[1]!["error"]!["message"]!.GetValue<string>().ShouldContain("resolved");
        foreach (var chat in new[] { first, second })
        {
            var view = await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
            view["status"]!.GetValue<string>().ShouldBe("snoozed");
            view["snoozed_until"]!.GetValue<DateTimeOffset>().ShouldBe(until, TimeSpan.FromMilliseconds(1));
        }
        (await maya.Client.GetAsync($"{Chats}/{resolved}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("resolved");

        var woken = await BulkAsync(maya, new Dictionary<string, object?> { ["ids"] = new[] { first, second }, ["action"] = "snooze", ["snooze"] = null });

        woken.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        foreach (var chat in new[] { first, second })
        {
            var view = await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
            view["status"]!.GetValue<string>().ShouldBe("open");
            view["snoozed_until"].ShouldBeNull();
        }
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.ChannelId == second && e.Action == AuditActions.SupportChatSnoozed && e.ActorUserId == maya.Id)).ShouldBe(1);
        (await db.ChannelEvents.CountAsync(e => e.ChannelId == resolved && e.Type == ChatEventTypes.SupportChatSnoozed)).ShouldBe(0);
    }

    [Fact]
    public async Task A_bulk_snooze_until_the_customer_replies_and_a_time_in_the_past_is_refused_before_any_chat_changes()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var first = await ChatWithMessageAsync();
        var second = await ChatWithMessageAsync();

        await (await maya.Client.PostJsonAsync(Bulk,
                new { ids = new[] { first, second }, action = "snooze", snooze = new { until = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O") } }))
            .ShouldBeProblemAsync(422, "snooze.until");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { first, second }, action = "snooze" })).ShouldBeProblemAsync(400, "snooze");
        foreach (var chat in new[] { first, second })
        {
            (await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open");
            (await maya.Client.MessagesAsync(chat)).Count.ShouldBe(1, "a refused snooze leaves no note");
        }

        var results = await BulkAsync(maya, new { ids = new[] { first, second }, action = "snooze", snooze = new { until_customer_replies = true } });

        results.Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        var asleep = await maya.Client.GetAsync($"{Chats}/{second}").OkJsonAsync();
        asleep["status"]!.GetValue<string>().ShouldBe("snoozed");
        asleep["snooze_until_customer_replies"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_request_wrong_as_a_whole_is_refused_naming_the_field_and_changes_nothing()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await ChatWithMessageAsync();
        var customer = await app.NewUserAsync("customer");
        var many = Enumerable.Range(0, 101).Select(i => $"{chat}{i}").ToArray();

        await (await maya.Client.PostJsonAsync(Bulk, new { ids = Array.Empty<string>(), action = "resolve" })).ShouldBeProblemAsync(400, "ids");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = many, action = "resolve" })).ShouldBeProblemAsync(400, "ids");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { chat, chat }, action = "resolve" })).ShouldBeProblemAsync(400, "ids");
        await (await maya.Client.PostJsonAsync(Bulk, new { action = "resolve" })).ShouldBeProblemAsync(400, "ids");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { chat }, action = "archive" })).ShouldBeProblemAsync(400, "action");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { chat } })).ShouldBeProblemAsync(400, "action");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { chat }, action = "assign" })).ShouldBeProblemAsync(400, "assignee_id");
        await (await maya.Client.PostJsonAsync(Bulk, new { ids = new[] { chat }, action = "assign", assignee_id = customer.Id }))
            .ShouldBeProblemAsync(422, "assignee_id");
        await (await maya.Client.PostRawJsonAsync(Bulk, $$"""{"ids": "{{chat}}", "action": "resolve"}""")).ShouldBeProblemAsync(400, "ids");

        var after = await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        after["status"]!.GetValue<string>().ShouldBe("open");
        after["assignee_id"].ShouldBeNull();
        (await maya.Client.MessagesAsync(chat)).Count.ShouldBe(1, "only the customer's message: no system note");
    }

    [Fact]
    public async Task A_customers_credential_is_refused_and_another_companys_key_sees_none_of_our_chats()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Please close my own chat");
        var other = await app.SecondCompanyAsync();

        await (await customer.Client.PostJsonAsync(Bulk, new { ids = new[] { chat }, action = "resolve" })).ShouldBeProblemAsync(403);
        await (await other.Backend.PostJsonAsync(Bulk, new { ids = new[] { chat }, action = "resolve", company_id = await app.CompanyIdAsync() }))
            .ShouldBeProblemAsync(403);
        var theirs = await BulkAsync(other.Backend, new { ids = new[] { chat }, action = "resolve" });
        theirs.Single()!["status"]!.GetValue<int>().ShouldBe(404, "their inbox has no such chat");

        (await customer.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["status"]!.GetValue<string>().ShouldBe("open");
    }

    [Fact]
    public async Task Each_chat_is_judged_by_its_own_right_a_token_that_only_reads_changes_none()
    {
        var reader = await app.NewTeamMemberAsync("moderator", Scopes.SupportChatRead);
        var chat = await ChatWithMessageAsync();

        var results = await BulkAsync(reader.Client, new { ids = new[] { chat }, action = "resolve" });

        results.Single()!["status"]!.GetValue<int>().ShouldBe(403, "listing the inbox is not resolving its chats");
        results.Single()!["error"]!["type"]!.GetValue<string>().ShouldBe("forbidden");
    }

    [Fact]
    public async Task Whoever_lists_the_inbox_may_use_bulk_an_admin_and_the_companys_api_key()
    {
        var admin = await app.NewTeamMemberAsync("admin");
        var chats = new[] { await ChatWithMessageAsync(), await ChatWithMessageAsync() };

        (await BulkAsync(app.Backend(), new { ids = chats, action = "resolve" })).Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
        (await BulkAsync(admin, new { ids = chats, action = "reopen" })).Select(r => r!["status"]!.GetValue<int>()).ShouldBe([200, 200]);
    }

    [Fact]
    public async Task The_bulk_call_is_described_in_the_api_reference()
    {
        var document = await app.CreateHttpClient().GetAsync("/openapi/v1.json").OkJsonAsync();
        var bulk = document["paths"]!["/api/v1/support_channels/bulk"]!["post"]!;
        bulk["responses"]!["200"]!["content"]!["application/json"]!["schema"].ShouldNotBeNull();
        var request = document["components"]!["schemas"]!["BulkRequest"]!["properties"]!.AsObject();
        request.Select(p => p.Key).ShouldBe(["ids", "action", "assignee_id", "company_id", "label_ids", "snooze"], ignoreOrder: true);
        document["components"]!["schemas"]!["BulkItemResponse"]!["properties"]!.AsObject().Select(p => p.Key)
            .ShouldBe(["id", "status", "error"], ignoreOrder: true);
    }

    private Task<JsonArray> BulkAsync(TestUser user, object body) => BulkAsync(user.Client, body);

    private static async Task<JsonArray> BulkAsync(HttpClient client, object body) =>
        (await client.PostJsonAsync(Bulk, body).OkJsonAsync())["results"]!.AsArray();

    /// <summary>A new label of the test company, by its id.</summary>
    private async Task<string> NewLabelAsync(string name) =>
        (await app.Backend().PostJsonAsync(Labels, new { name = Unique(name), color = "#6a1b9a" }).OkJsonAsync()).Id();

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private static async Task<List<string>> LabelIdsAsync(TestUser user, string chat) =>
        [.. (await user.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync())["labels"]!.AsArray().Select(l => l!.Id())];

    /// <summary>A new customer's support chat, with their first message.</summary>
    private async Task<string> ChatWithMessageAsync()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hello, I need help");
        return chat;
    }
}
