using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Audit;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging;
using Whop.Inbox.Tests.Support;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Messaging;

[Collection(AppCollection.Name)]
public sealed class MessagesApiTests(InboxApp app)
{
    private const string Path = "/api/v1/messages";

    [Fact]
    public async Task A_message_is_stored_trimmed_with_its_author_and_wire_fields()
    {
        var (customer, _, chat) = await SupportChatAsync();
        var sent = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "  **Hi** there  " }).OkJsonAsync();

        sent.Id().ShouldStartWith("post_");
        sent["content"]!.GetValue<string>().ShouldBe("**Hi** there");
        sent["user"]!["id"]!.GetValue<string>().ShouldBe(customer.Id);
        sent["message_type"]!.GetValue<string>().ShouldBe("regular");
        sent["is_edited"]!.GetValue<bool>().ShouldBeFalse();
        sent["is_pinned"]!.GetValue<bool>().ShouldBeFalse();
        sent["mentions"]!.AsArray().Count.ShouldBe(0);
        sent["reaction_counts"]!.AsArray().Count.ShouldBe(0);
        sent["poll_votes"]!.AsArray().Count.ShouldBe(0);
        sent.AsObject().ContainsKey("poll").ShouldBeTrue();
        sent.AsObject().ContainsKey("view_count").ShouldBeTrue();

        var fetched = await customer.Client.GetAsync($"{Path}/{sent.Id()}").OkJsonAsync();
        fetched["content"]!.GetValue<string>().ShouldBe("**Hi** there");
    }

    [Fact]
    public async Task A_message_through_an_api_key_is_automated_and_signed_by_the_company()
    {
        var (_, _, chat) = await SupportChatAsync();
        var sent = await app.Backend().PostJsonAsync(Path, new { channel_id = chat, content = "Your order shipped." }).OkJsonAsync();
        sent["message_type"]!.GetValue<string>().ShouldBe("automated");
        sent["user"]!["name"]!.GetValue<string>().ShouldBe(DemoData.CompanyName);
    }

    [Fact]
    public async Task Empty_oversized_and_misdirected_messages_are_refused_naming_the_field()
    {
        var (customer, _, chat) = await SupportChatAsync();
        await (await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "   " })).ShouldBeProblemAsync(400, "content");
        await (await customer.Client.PostJsonAsync(Path, new { channel_id = chat })).ShouldBeProblemAsync(400, "content");
        await (await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = new string('x', Message.MaxContentLength + 1) }))
            .ShouldBeProblemAsync(400, "content");
        (await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = new string('x', Message.MaxContentLength) }).OkJsonAsync())
            ["content"]!.GetValue<string>().Length.ShouldBe(Message.MaxContentLength);
        await (await customer.Client.PostJsonAsync(Path, new { content = "hi" })).ShouldBeProblemAsync(400, "channel_id");
        await (await customer.Client.PostJsonAsync(Path, new { channel_id = "feed_doesnotexist00000", content = "hi" })).ShouldBeProblemAsync(404);
        await (await customer.Client.PostRawJsonAsync(Path, $$"""{"channel_id": "{{chat}}", "content": ["not", "text"]}""")).ShouldBeProblemAsync(400, "content");
        await (await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "x", attachments = new[] { new { id = "a" } } }))
            .ShouldBeProblemAsync(422, "attachments[0].id");
    }

    [Fact]
    public async Task A_reply_must_point_into_the_same_channel()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        var (_, _, otherChat) = await SupportChatAsync();
        var question = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Question" }).OkJsonAsync();
        var elsewhere = await app.Backend().PostJsonAsync(Path, new { channel_id = otherChat, content = "Elsewhere" }).OkJsonAsync();

        var reply = await moderator.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Answer", replying_to_message_id = question.Id() }).OkJsonAsync();
        reply["replying_to_message_id"]!.GetValue<string>().ShouldBe(question.Id());
        await (await moderator.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Wrong", replying_to_message_id = elsewhere.Id() }))
            .ShouldBeProblemAsync(400, "replying_to_message_id");
    }

    [Fact]
    public async Task The_author_edits_and_nobody_else_does()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        var sent = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Teh typo" }).OkJsonAsync();

        await (await moderator.Client.PatchJsonAsync($"{Path}/{sent.Id()}", new { content = "Not yours" })).ShouldBeProblemAsync(403);
        var edited = await customer.Client.PatchJsonAsync($"{Path}/{sent.Id()}", new { content = "The typo" }).OkJsonAsync();
        edited["content"]!.GetValue<string>().ShouldBe("The typo");
        edited["is_edited"]!.GetValue<bool>().ShouldBeTrue();
        await (await customer.Client.PatchJsonAsync($"{Path}/{sent.Id()}", new { content = "" })).ShouldBeProblemAsync(400, "content");
    }

    [Fact]
    public async Task The_team_pins_in_support_chats_and_customers_cannot()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        var sent = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Important" }).OkJsonAsync();
        await (await customer.Client.PatchJsonAsync($"{Path}/{sent.Id()}", new { is_pinned = true })).ShouldBeProblemAsync(403);
        (await moderator.Client.PatchJsonAsync($"{Path}/{sent.Id()}", new { is_pinned = true }).OkJsonAsync())["is_pinned"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Authors_delete_their_own_the_team_deletes_any_in_support_and_deletions_are_audited()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        var mine = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Oops" }).OkJsonAsync();
        var teams = await moderator.Client.PostJsonAsync(Path, new { channel_id = chat, content = "From the team" }).OkJsonAsync();
        var rude = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Something rude" }).OkJsonAsync();

        await (await customer.Client.DeleteAsync($"{Path}/{teams.Id()}")).ShouldBeProblemAsync(403);
        (await (await customer.Client.DeleteAsync($"{Path}/{mine.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");
        (await (await moderator.Client.DeleteAsync($"{Path}/{rude.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");

        await (await customer.Client.GetAsync($"{Path}/{mine.Id()}")).ShouldBeProblemAsync(404);
        var remaining = await SupportChannelsApiTests.AllIdsAsync(customer.Client, $"{Path}?channel_id={chat}");
        remaining.ShouldBe([teams.Id()]);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(e => e.ChannelId == chat && e.Action == AuditActions.MessageDeleted).ToListAsync();
        audited.Count.ShouldBe(2);
        audited.ShouldContain(e => e.ActorUserId == moderator.Id && e.TargetUserId == customer.Id);
        // Soft delete: the row stays for the audit trail.
        (await db.Messages.CountAsync(m => m.ChannelId == chat && m.DeletedAt != null)).ShouldBe(2);
    }

    [Fact]
    public async Task History_pages_both_ways_and_stays_stable_while_messages_arrive()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        for (var i = 1; i <= 7; i++)
            await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = $"m{i}" }).OkJsonAsync();

        // Newest first, three at a time, with new messages arriving between pages.
        var first = await moderator.Client.GetAsync($"{Path}?channel_id={chat}&direction=desc&first=3").OkJsonAsync();
        Contents(first).ShouldBe(["m7", "m6", "m5"]);
        await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "late" }).OkJsonAsync();
        var cursor = first["page_info"]!["end_cursor"]!.GetValue<string>();
        var second = await moderator.Client.GetAsync($"{Path}?channel_id={chat}&direction=desc&first=3&after={cursor}").OkJsonAsync();
        Contents(second).ShouldBe(["m4", "m3", "m2"]);
        var third = await moderator.Client.GetAsync(
            $"{Path}?channel_id={chat}&direction=desc&first=3&after={second["page_info"]!["end_cursor"]!.GetValue<string>()}").OkJsonAsync();
        Contents(third).ShouldBe(["m1"]);
        third["page_info"]!["end_cursor"].ShouldBeNull();
        third["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeFalse();

        // Backwards from the oldest page's start: last/before walk towards the newest.
        var oldest = await moderator.Client.GetAsync($"{Path}?channel_id={chat}&first=2").OkJsonAsync();
        Contents(oldest).ShouldBe(["m1", "m2"]);
        var newest = await moderator.Client.GetAsync($"{Path}?channel_id={chat}&last=2").OkJsonAsync();
        Contents(newest).ShouldBe(["m7", "late"]);
        newest["page_info"]!["has_previous_page"]!.GetValue<bool>().ShouldBeTrue();
        var before = newest["page_info"]!["start_cursor"]!.GetValue<string>();
        var previous = await moderator.Client.GetAsync($"{Path}?channel_id={chat}&last=2&before={before}").OkJsonAsync();
        Contents(previous).ShouldBe(["m5", "m6"]);
    }

    [Fact]
    public async Task Mentions_resolve_to_users_and_everyone_is_flagged()
    {
        var (customer, moderator, chat) = await SupportChatAsync();
        var sent = await moderator.Client.PostJsonAsync(Path,
            new { channel_id = chat, content = $"@{customer.Username} see above, and @everyone else; mail me at a@b.c" }).OkJsonAsync();
        sent["mentions"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe([customer.Id]);
        sent["mentions_everyone"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_message_id_nobody_can_see_is_404_for_every_verb()
    {
        var (_, _, chat) = await SupportChatAsync();
        var secret = await app.Backend().PostJsonAsync(Path, new { channel_id = chat, content = "Private" }).OkJsonAsync();
        var stranger = await app.NewUserAsync("stranger");
        await (await stranger.Client.GetAsync($"{Path}/{secret.Id()}")).ShouldBeProblemAsync(404);
        await (await stranger.Client.PatchJsonAsync($"{Path}/{secret.Id()}", new { content = "x" })).ShouldBeProblemAsync(404);
        await (await stranger.Client.DeleteAsync($"{Path}/{secret.Id()}")).ShouldBeProblemAsync(404);
        await (await stranger.Client.GetAsync($"{Path}/post_doesnotexist00000")).ShouldBeProblemAsync(404);
    }

    private static List<string> Contents(System.Text.Json.Nodes.JsonNode page) =>
        page["data"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task An_api_key_edits_un_reacts_and_deletes_what_it_sent_and_is_named_as_the_deleter()
    {
        var (customer, _, chat) = await SupportChatAsync();
        var backend = app.Backend();
        var sent = await backend.PostJsonAsync(Path, new { channel_id = chat, content = "Your order shipped." }).OkJsonAsync();
        var author = sent["user"]!["id"]!.GetValue<string>();

        var edited = await backend.PatchJsonAsync($"{Path}/{sent.Id()}", new { content = "Your order shipped today." }).OkJsonAsync();
        edited["content"]!.GetValue<string>().ShouldBe("Your order shipped today.");
        edited["is_edited"]!.GetValue<bool>().ShouldBeTrue();

        var reaction = await backend.PostJsonAsync("/api/v1/reactions", new { resource_id = sent.Id(), emoji = "📦" }).OkJsonAsync();
        reaction["user"]!["id"]!.GetValue<string>().ShouldBe(author);
        (await (await backend.DeleteAsync($"/api/v1/reactions/{sent.Id()}?emoji={Uri.EscapeDataString("📦")}")).Content.ReadAsStringAsync()).ShouldBe("true");
        (await backend.GetAsync($"{Path}/{sent.Id()}").OkJsonAsync())["reaction_counts"]!.AsArray().Count.ShouldBe(0);

        // The customer's message is not the key's to edit (it may delete it, as the team may).
        var fromCustomer = await customer.Client.PostJsonAsync(Path, new { channel_id = chat, content = "Thanks!" }).OkJsonAsync();
        await (await backend.PatchJsonAsync($"{Path}/{fromCustomer.Id()}", new { content = "Changed" })).ShouldBeProblemAsync(403);

        (await (await backend.DeleteAsync($"{Path}/{sent.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");
        (await (await backend.DeleteAsync($"{Path}/{fromCustomer.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var deleters = await db.Messages.Where(m => m.Id == sent.Id() || m.Id == fromCustomer.Id()).Select(m => m.DeletedById).ToListAsync();
        deleters.ShouldBe([author, author]);
        var events = await db.ChannelEvents.Where(e => e.ChannelId == chat && e.Type == "message.deleted").Select(e => e.Payload).ToListAsync();
        events.Count.ShouldBe(2);
        events.Select(p => System.Text.Json.Nodes.JsonNode.Parse(p)!["data"]!["deleted_by_id"]!.GetValue<string>()).ShouldBe([author, author]);
    }

    private async Task<(TestUser Customer, TestUser Moderator, string Chat)> SupportChatAsync()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = (await app.Backend().PostJsonAsync("/api/v1/support_channels",
            new { company_id = await app.CompanyIdAsync(), user_id = customer.Id }).OkJsonAsync()).Id();
        return (customer, moderator, chat);
    }
}
