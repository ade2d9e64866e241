using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support;

/// <summary>Labels and priority through the API: the company's labels, a chat's labels and priority, the list's filters and sort.</summary>
[Collection(AppCollection.Name)]
public sealed class LabelsAndPriorityApiTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";
    private const string Labels = "/api/v1/labels";

    [Fact]
    public async Task API_keys_keep_the_labels_the_team_reads_them_and_moderators_and_customers_are_refused()
    {
        var moderator = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        var name = Unique("Billing");

        var created = await app.Backend().PostJsonAsync(Labels, new { name, color = "#2E7D32" }).OkJsonAsync();
        created.Id().ShouldStartWith("label_");
        created.Str("name").ShouldBe(name);
        created.Str("color").ShouldBe("#2e7d32", "colours are kept in lower case");
        (await moderator.Client.GetAsync(Labels).OkJsonAsync())["data"]!.AsArray().Select(l => l!.Id()).ShouldContain(created.Id());

        await (await moderator.Client.PostJsonAsync(Labels, new { name = Unique("Access"), color = "#000000" })).ShouldBeProblemAsync(403);
        await (await moderator.Client.PatchJsonAsync($"{Labels}/{created.Id()}", new { name = "x" })).ShouldBeProblemAsync(403);
        await (await moderator.Client.DeleteAsync($"{Labels}/{created.Id()}")).ShouldBeProblemAsync(403);
        await (await customer.Client.GetAsync(Labels)).ShouldBeProblemAsync(403);
        await (await customer.Client.PostJsonAsync(Labels, new { name = Unique("Mine"), color = "#000000" })).ShouldBeProblemAsync(403);

        var renamed = await app.Backend().PatchJsonAsync($"{Labels}/{created.Id()}", new { name = name + " 2", color = "#c62828" }).OkJsonAsync();
        renamed.Str("name").ShouldBe(name + " 2");
        renamed.Str("color").ShouldBe("#c62828");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.Action.StartsWith("label.") && (e.Detail!.Contains(name)))).ShouldBe(2);
    }

    [Fact]
    public async Task A_duplicate_name_a_colour_that_is_not_one_and_a_bad_name_are_refused_naming_the_field()
    {
        var name = Unique("Refunds");
        var first = await app.Backend().PostJsonAsync(Labels, new { name, color = "#1565c0" }).OkJsonAsync();
        await (await app.Backend().PostJsonAsync(Labels, new { name = name.ToUpperInvariant(), color = "#1565c0" })).ShouldBeProblemAsync(422, "name");
        await (await app.Backend().PostJsonAsync(Labels, new { name = Unique("Red"), color = "red" })).ShouldBeProblemAsync(422, "color");
        await (await app.Backend().PostJsonAsync(Labels, new { name = Unique("Short"), color = "#fff" })).ShouldBeProblemAsync(422, "color");
        await (await app.Backend().PostJsonAsync(Labels, new { name = "  ", color = "#ffffff" })).ShouldBeProblemAsync(400, "name");
        await (await app.Backend().PostJsonAsync(Labels, new { name = new string('x', 51), color = "#ffffff" })).ShouldBeProblemAsync(400, "name");
        var other = await app.Backend().PostJsonAsync(Labels, new { name = Unique("Other"), color = "#ffffff" }).OkJsonAsync();
        await (await app.Backend().PatchJsonAsync($"{Labels}/{other.Id()}", new { name })).ShouldBeProblemAsync(422, "name");
        await (await app.Backend().PatchJsonAsync($"{Labels}/{other.Id()}", new { color = "#12345g" })).ShouldBeProblemAsync(422, "color");
        (await app.Backend().GetAsync(Labels).OkJsonAsync())["data"]!.AsArray()
            .Single(l => l!.Id() == other.Id())!.Str("color").ShouldBe("#ffffff", "a refused change changes nothing");
        first.Str("name").ShouldBe(name);
    }

    [Fact]
    public async Task A_moderator_labels_and_prioritises_a_chat_in_one_change_with_notes_only_the_team_sees()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "I was charged twice.");
        var billing = await NewLabelAsync("Billing");
        var urgentish = await NewLabelAsync("Escalated");

        var changed = await maya.Client.PatchJsonAsync($"{Chats}/{chat}",
            new { label_ids = new[] { billing.Id(), urgentish.Id() }, priority = "urgent", assignee_id = maya.Id }).OkJsonAsync();
        changed["labels"]!.AsArray().Select(l => l!.Str("name")).ShouldBe(new[] { billing.Str("name"), urgentish.Str("name") }.Order());
        changed["labels"]![0]!["color"].ShouldNotBeNull();
        changed.Str("priority").ShouldBe("urgent");
        changed.Str("assignee_id").ShouldBe(maya.Id);

        var notes = (await maya.Client.MessagesAsync(chat)).Where(m => m!["visibility"]!.GetValue<string>() == "team")
            .Select(m => m!.Str("content")).ToList();
        notes.ShouldContain($"{maya.Name} added {changed["labels"]![0]!.Str("name")} and {changed["labels"]![1]!.Str("name")}.");
        notes.ShouldContain($"{maya.Name} set the priority to urgent.");
        notes.ShouldContain($"{maya.Name} took this chat.");

        var seenByCustomer = await customer.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        seenByCustomer["labels"]!.AsArray().ShouldBeEmpty("labels are the team's business");
        seenByCustomer.Str("priority").ShouldBe("none");
        (await customer.Client.MessagesAsync(chat)).ShouldNotContain(m => m!["visibility"]!.GetValue<string>() == "team");

        var fewer = await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { billing.Id() } }).OkJsonAsync();
        fewer["labels"]!.AsArray().Select(l => l!.Id()).ShouldBe([billing.Id()]);
        fewer.Str("priority").ShouldBe("urgent", "fields not in the body are left as they are");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.AuditEntries.CountAsync(e => e.ChannelId == chat && e.Action == "support_chat.labeled")).ShouldBe(2);
        (await db.AuditEntries.CountAsync(e => e.ChannelId == chat && e.Action == "support_chat.prioritized")).ShouldBe(1);
    }

    [Fact]
    public async Task Bad_input_on_a_chat_is_refused_naming_the_field_and_changes_nothing()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var billing = await NewLabelAsync("Billing");
        var other = await app.SecondCompanyAsync();
        var theirs = await other.Backend.PostJsonAsync(Labels, new { name = Unique("Theirs"), color = "#000000" }).OkJsonAsync();

        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { billing.Id(), theirs.Id() }, priority = "high" }))
            .ShouldBeProblemAsync(422, "label_ids[1]");
        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { billing.Id() }, priority = "asap" }))
            .ShouldBeProblemAsync(400, "priority");
        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { billing.Id() }, assignee_id = customer.Id }))
            .ShouldBeProblemAsync(422, "assignee_id");
        await (await maya.Client.PatchJsonAsync($"{Chats}/{chat}", new { })).ShouldBeProblemAsync(400);
        await (await customer.Client.PatchJsonAsync($"{Chats}/{chat}", new { priority = "urgent" })).ShouldBeProblemAsync(403);
        await (await customer.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = new[] { billing.Id() } })).ShouldBeProblemAsync(403);
        await (await other.Backend.PatchJsonAsync($"{Chats}/{chat}", new { priority = "urgent" })).ShouldBeProblemAsync(404);

        var unchanged = await maya.Client.GetAsync($"{Chats}/{chat}").OkJsonAsync();
        unchanged["labels"]!.AsArray().ShouldBeEmpty();
        unchanged.Str("priority").ShouldBe("none");
        unchanged["assignee_id"].ShouldBeNull();
        (await maya.Client.MessagesAsync(chat)).ShouldBeEmpty("a refused change leaves no note");
    }

    [Fact]
    public async Task The_list_filters_by_every_label_named_and_by_priority()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var billing = await NewLabelAsync("Billing");
        var refunds = await NewLabelAsync("Refunds");
        var both = await ChatAsync(maya, [billing.Id(), refunds.Id()], "high");
        var onlyBilling = await ChatAsync(maya, [billing.Id()], "low");
        var neither = await ChatAsync(maya, [], "high");

        (await ListIdsAsync(maya.Client, $"label={billing.Id()}")).Order().ShouldBe(new[] { both, onlyBilling }.Order());
        (await ListIdsAsync(maya.Client, $"label={billing.Id()}&label={refunds.Id()}")).ShouldBe([both]);
        (await ListIdsAsync(maya.Client, $"label={refunds.Id()}&priority=high")).ShouldBe([both]);
        var high = await ListIdsAsync(maya.Client, "priority=high");
        high.ShouldContain(both);
        high.ShouldContain(neither);
        high.ShouldNotContain(onlyBilling);

        await (await maya.Client.GetAsync($"{Chats}?priority=soon")).ShouldBeProblemAsync(400, "priority");
        await (await maya.Client.GetAsync($"{Chats}?label=label_nothing")).ShouldBeProblemAsync(400, "label");
        var customer = await app.NewUserAsync("customer");
        await (await customer.Client.GetAsync($"{Chats}?view=customer&priority=high")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task Sorting_by_priority_pages_urgent_first_then_by_activity_across_pages_both_ways()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var tag = await NewLabelAsync("Sorted");
        var priorities = new[] { "low", "urgent", "none", "high", "urgent", "medium", "none", "high" };
        var made = new List<(string Id, string Priority)>();
        foreach (var priority in priorities) made.Add((await ChatAsync(maya, [tag.Id()], priority), priority));

        var rank = new Dictionary<string, int> { ["none"] = 0, ["low"] = 1, ["medium"] = 2, ["high"] = 3, ["urgent"] = 4 };
        // Made one after another: a later chat has later activity, so within a priority the later comes first.
        var expected = made.Select((c, i) => (c.Id, Rank: rank[c.Priority], Order: i))
            .OrderByDescending(c => c.Rank).ThenByDescending(c => c.Order).Select(c => c.Id).ToList();

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await maya.Client.GetAsync($"{Chats}?label={tag.Id()}&sort_by_priority=true&first=3{(after is null ? "" : $"&after={after}")}")
                .OkJsonAsync();
            seen.AddRange(page["data"]!.AsArray().Select(c => c!.Id()));
            after = page["page_info"]!["end_cursor"]?.GetValue<string>();
        }
        while (after is not null);
        seen.ShouldBe(expected);

        var backwards = new List<string>();
        string? before = null;
        var lastPage = await maya.Client.GetAsync($"{Chats}?label={tag.Id()}&sort_by_priority=true&last=3").OkJsonAsync();
        backwards.InsertRange(0, lastPage["data"]!.AsArray().Select(c => c!.Id()));
        before = lastPage["page_info"]!["start_cursor"]?.GetValue<string>();
        while (before is not null)
        {
            var page = await maya.Client.GetAsync($"{Chats}?label={tag.Id()}&sort_by_priority=true&last=3&before={before}").OkJsonAsync();
            backwards.InsertRange(0, page["data"]!.AsArray().Select(c => c!.Id()));
            before = page["page_info"]!["start_cursor"]?.GetValue<string>();
        }
        backwards.ShouldBe(expected);

        var oldestFirst = await ListIdsAsync(maya.Client, $"label={tag.Id()}&sort_by_priority=true&direction=asc");
        oldestFirst.ShouldBe(made.Select((c, i) => (c.Id, Rank: rank[c.Priority], Order: i))
            .OrderByDescending(c => c.Rank).ThenBy(c => c.Order).Select(c => c.Id).ToList(), "urgent first whatever the direction");
    }

    [Fact]
    public async Task A_deleted_label_leaves_every_chat_with_a_note_and_an_event()
    {
        var maya = await app.NewTeamMemberAsync("moderator");
        var doomed = await NewLabelAsync("Doomed");
        var kept = await NewLabelAsync("Kept");
        var first = await ChatAsync(maya, [doomed.Id(), kept.Id()], "none");
        var second = await ChatAsync(maya, [doomed.Id()], "none");

        (await app.Backend().DeleteAsync($"{Labels}/{doomed.Id()}")).EnsureSuccessStatusCode();

        (await maya.Client.GetAsync($"{Chats}/{first}").OkJsonAsync())["labels"]!.AsArray().Select(l => l!.Id()).ShouldBe([kept.Id()]);
        (await maya.Client.GetAsync($"{Chats}/{second}").OkJsonAsync())["labels"]!.AsArray().ShouldBeEmpty();
        (await ListIdsAsync(maya.Client, $"label={kept.Id()}")).ShouldBe([first]);
        await (await maya.Client.GetAsync($"{Chats}?label={doomed.Id()}")).ShouldBeProblemAsync(400, "label");
        (await maya.Client.MessagesAsync(second)).ShouldContain(m => m!.Str("content").EndsWith($" deleted the label {doomed.Str("name")}."));
        (await app.Backend().GetAsync(Labels).OkJsonAsync())["data"]!.AsArray().Select(l => l!.Id()).ShouldNotContain(doomed.Id());
        await (await app.Backend().DeleteAsync($"{Labels}/{doomed.Id()}")).ShouldBeProblemAsync(404);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.Channels.Where(c => c.Id == first || c.Id == second).Select(c => c.LabelIdList).ToListAsync())
            .ShouldAllBe(list => !list.Contains(doomed.Id()), "the chats' kept label lists let it go too");
    }

    private async Task<string> ChatAsync(TestUser agent, string[] labelIds, string priority)
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "Hello");
        await agent.Client.PatchJsonAsync($"{Chats}/{chat}", new { label_ids = labelIds, priority }).OkJsonAsync();
        return chat;
    }

    private async Task<JsonNode> NewLabelAsync(string name) =>
        await app.Backend().PostJsonAsync(Labels, new { name = Unique(name), color = "#6a1b9a" }).OkJsonAsync();

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..(name.Length + 9)];

    private static async Task<List<string>> ListIdsAsync(HttpClient client, string query) =>
        (await client.GetAsync($"{Chats}?{query}&first=100").OkJsonAsync())["data"]!.AsArray().Select(c => c!.Id()).ToList();
}
