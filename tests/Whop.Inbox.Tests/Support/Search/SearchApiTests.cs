using System.Text.Json.Nodes;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Files;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Support.Search;

/// <summary>
/// Search through the API on the database the run uses: <c>query</c> on the support chats list and on a chat's
/// messages. Every test writes words of its own (a fresh receipt number), so the shared app's other chats never match.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SearchApiTests(InboxApp app)
{
    private const string Chats = "/api/v1/support_channels";
    private const string Messages = "/api/v1/messages";

    [Fact]
    public async Task An_agent_finds_the_chat_by_a_receipt_number_with_the_message_that_holds_it_marked()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var receipt = Receipt();
        await customer.Client.SendAsync(chat, "Hello, I need help with an order.");
        var holding = await customer.Client.SendAsync(chat, $"My receipt is {receipt}, charged twice.");
        await maya.Client.SendAsync(chat, "Looking into it.");

        foreach (var typed in new[] { receipt, receipt.ToLowerInvariant(), $"\"{receipt}\"", receipt[..^2] + "*" })
        {
            var found = await SearchAsync(maya.Client, typed);
            var row = found.ShouldHaveSingleItem($"searching {typed}")!;
            row.Id().ShouldBe(chat);
            row["matched_message"]!.Id().ShouldBe(holding.Id());
            row["matched_message"]!.Str("snippet").ShouldContain("<mark>");
            row["customer_user"]!.Id().ShouldBe(customer.Id, "the row keeps Whop's support channel shape");
        }

        var messages = await MessagesAsync(maya.Client, chat, receipt);
        messages.ShouldHaveSingleItem()!.Id().ShouldBe(holding.Id());
        messages[0]!.Str("snippet").ShouldContain("</mark>");
        messages[0]!.Str("content").ShouldBe($"My receipt is {receipt}, charged twice.");
    }

    [Fact]
    public async Task Emails_and_customers_names_are_found_and_a_customer_match_ranks_first()
    {
        var word = Word();
        var customer = await app.NewUserAsync("customer");
        var named = await app.NewUserAsync("customer");
        await app.Backend().PostJsonAsync("/api/v1/users", new { username = named.Username, name = $"Zed {word}" }).OkJsonAsync();
        var chat = await app.SupportChatForAsync(customer);
        var namedChat = await app.SupportChatForAsync(named);
        var email = $"{word}@example.com";
        var holding = await customer.Client.SendAsync(chat, $"Write to me at {email} please, {word} here.");
        await named.Client.SendAsync(namedChat, "Hi there");

        (await SearchAsync(app.Backend(), email)).ShouldHaveSingleItem()!["matched_message"]!.Id().ShouldBe(holding.Id());
        var both = await SearchAsync(app.Backend(), word);
        both.Select(r => r!.Id()).ShouldBe([namedChat, chat], "the customer named so first, then the chat whose message holds it");
        both[0]!["matched_message"].ShouldBeNull();
    }

    [Fact]
    public async Task A_customer_never_finds_a_note_or_another_customers_chat_through_any_operator()
    {
        var customer = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var otherChat = await app.SupportChatForAsync(other);
        var secret = Word();
        var theirs = Word();
        await customer.Client.SendAsync(chat, "I have a question");
        await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = $"Internal: {secret} is a fraud flag", visibility = "team" }).OkJsonAsync();
        await other.Client.SendAsync(otherChat, $"my own {theirs} and {secret}");

        (await SearchAsync(maya.Client, secret)).Select(r => r!.Id()).ShouldBe([chat, otherChat], ignoreOrder: true);
        (await MessagesAsync(maya.Client, chat, secret)).ShouldHaveSingleItem()!["visibility"]!.GetValue<string>().ShouldBe("team");

        foreach (var query in new[]
                 {
                     secret, theirs, $"\"{secret}\"", $"{secret} from:{maya.Username}", $"from:{maya.Username}", $"from:{other.Username}",
                     $"{theirs} from:{other.Username}", $"{secret} is:unread", $"{secret} status:open", $"{secret} status:waiting",
                     $"-nothingsuch{theirs} status:waiting", $"{secret} after:2000-01-01", $"{secret} -before:2000-01-01", "is:unread", "status:open",
                     other.Username, other.Name,
                 })
        {
            var found = await SearchAsync(customer.Client, query);
            found.ShouldNotContain(r => r!.Id() == otherChat, $"{query} must not reach another customer's chat");
            found.ShouldNotContain(r => r!["matched_message"] != null && r["matched_message"]!.Str("snippet").Contains(secret), $"{query} must not find the note");
            (await MessagesAsync(customer.Client, chat, query)).ShouldNotContain(m => m!.Str("content").Contains(secret));
        }
        await (await customer.Client.GetAsync($"{Messages}?channel_id={otherChat}&query={theirs}")).ShouldBeProblemAsync(404);
        await (await customer.Client.GetAsync($"{Chats}?query={Uri.EscapeDataString($"label:billing {secret}")}")).ShouldBeProblemAsync(400, "query");
    }

    [Fact]
    public async Task Every_operator_narrows_the_results_and_a_dash_negates_it()
    {
        var word = Word();
        var alice = await app.NewUserAsync("customer");
        var ben = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var aliceChat = await app.SupportChatForAsync(alice);
        var benChat = await app.SupportChatForAsync(ben);
        var file = await alice.Client.UploadOkAsync("receipt.pdf", "application/pdf", TestFiles.Pdf());
        await alice.Client.PostJsonAsync(Messages, new { channel_id = aliceChat, content = $"{word} receipt attached", attachments = new[] { new { id = file.Id() } } })
            .OkJsonAsync();
        await ben.Client.SendAsync(benChat, $"{word} from ben");
        await maya.Client.SendAsync(benChat, $"{word} answered by maya");
        var label = await app.Backend().PostJsonAsync("/api/v1/labels", new { name = $"L{word}", color = "#2e7d32" }).OkJsonAsync();
        await maya.Client.PatchJsonAsync($"{Chats}/{benChat}", new { label_ids = new[] { label.Id() }, assignee_id = maya.Id }).OkJsonAsync();
        await ben.Client.SendAsync(benChat, "thanks");
        await maya.Client.PostAsync($"{Chats}/{benChat}/resolve", null);
        await maya.Client.PostAsync($"{Chats}/{aliceChat}/mark_read", null);

        async Task<string[]> Found(string query) => [.. (await SearchAsync(maya.Client, query)).Select(r => r!.Id())];
        (await Found(word)).ShouldBe([benChat, aliceChat]);
        (await Found($"{word} from:{alice.Username}")).ShouldBe([aliceChat]);
        (await Found($"{word} from:\"{alice.Name}\"")).ShouldBe([aliceChat], "from: takes a name in quotes");
        (await Found($"{word} -from:{alice.Username}")).ShouldBe([benChat]);
        (await Found($"{word} from:me")).ShouldBe([benChat]);
        (await Found($"{word} from:nobody-{word}")).ShouldBeEmpty();
        (await Found($"{word} has:attachment")).ShouldBe([aliceChat]);
        (await Found($"{word} -has:attachment")).ShouldBe([benChat]);
        (await Found($"{word} label:{label.Str("name")}")).ShouldBe([benChat]);
        (await Found($"{word} -label:{label.Str("name")}")).ShouldBe([aliceChat]);
        (await Found($"{word} status:resolved")).ShouldBe([benChat]);
        (await Found($"{word} -status:resolved")).ShouldBe([aliceChat]);
        (await Found($"{word} is:mine")).ShouldBe([benChat]);
        (await Found($"{word} -is:mine")).ShouldBe([aliceChat]);
        (await Found($"{word} is:unread")).ShouldBe([benChat], "maya read alice's chat, not ben's");
        (await Found($"{word} -is:unread")).ShouldBe([aliceChat]);
        (await Found($"{word} after:2000-01-01")).ShouldBe([benChat, aliceChat]);
        (await Found($"{word} before:2000-01-01")).ShouldBeEmpty();
        (await Found($"{word} -after:2999-01-01")).ShouldBe([benChat, aliceChat]);
        (await Found($"{word} -ben -maya")).ShouldBe([aliceChat], "a negated word leaves out the messages holding it");
        (await Found($"{word} -attached")).ShouldBe([benChat]);
        (await Found($"\"{word} receipt\"")).ShouldBe([aliceChat], "a phrase keeps its words together");
        (await Found($"\"receipt {word}\"")).ShouldBeEmpty();
        (await Found($"-nothing{word} from:{alice.Username} has:attachment")).ShouldBe([aliceChat], "operators alone, with an excluded word");
        (await Found($"label:{label.Str("name")}")).ShouldBe([benChat], "an operator on chats alone lists the chats");
        (await Found($"label:none-{word}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Edited_and_deleted_messages_are_found_as_they_are_now()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var (before, after, gone) = (Word(), Word(), Word());
        var edited = await customer.Client.SendAsync(chat, $"first {before}");
        var deleted = await customer.Client.SendAsync(chat, $"oops {gone}");
        await customer.Client.PatchJsonAsync($"{Messages}/{edited.Id()}", new { content = $"second {after}" }).OkJsonAsync();
        (await customer.Client.DeleteAsync($"{Messages}/{deleted.Id()}")).EnsureSuccessStatusCode();

        (await SearchAsync(app.Backend(), before)).ShouldBeEmpty("the old text is no longer indexed");
        (await SearchAsync(app.Backend(), after)).ShouldHaveSingleItem()!["matched_message"]!.Id().ShouldBe(edited.Id());
        (await SearchAsync(app.Backend(), gone)).ShouldBeEmpty("a deleted message is not found");
        (await MessagesAsync(customer.Client, chat, gone)).ShouldBeEmpty();
        (await MessagesAsync(customer.Client, chat, after)).ShouldHaveSingleItem()!.Id().ShouldBe(edited.Id(), "the edit is indexed with its chat");
    }

    [Fact]
    public async Task A_chats_id_is_not_a_word_of_its_messages_and_one_chats_search_keeps_to_that_chat()
    {
        var (customer, other) = (await app.NewUserAsync("customer"), await app.NewUserAsync("customer"));
        var chat = await app.SupportChatForAsync(customer);
        var otherChat = await app.SupportChatForAsync(other);
        var word = Word();
        var mine = await customer.Client.SendAsync(chat, $"about {word}");
        await other.Client.SendAsync(otherChat, $"also {word}");

        // The index holds each message's chat beside its text (SQLite's FTS5 column `chat`): a search reads the text only.
        (await SearchAsync(app.Backend(), chat)).ShouldBeEmpty();
        (await SearchAsync(app.Backend(), chat[(chat.IndexOf('_') + 1)..])).ShouldBeEmpty();
        (await MessagesAsync(app.Backend(), chat, word)).ShouldHaveSingleItem()!.Id().ShouldBe(mine.Id());
        (await SearchAsync(customer.Client, word)).ShouldHaveSingleItem()!.Id().ShouldBe(chat, "a customer's search reads their own chats' entries");
    }

    [Fact]
    public async Task Results_come_in_keyset_pages_without_repeats()
    {
        var word = Word();
        var chats = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var customer = await app.NewUserAsync("customer");
            var chat = await app.SupportChatForAsync(customer);
            await customer.Client.SendAsync(chat, $"{word} number {i}");
            await customer.Client.SendAsync(chat, $"again {word}");
            chats.Add(chat);
        }
        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await app.Backend().GetAsync($"{Chats}?query={word}&first=2{(after is null ? "" : $"&after={after}")}").OkJsonAsync();
            seen.AddRange(page["data"]!.AsArray().Select(r => r!.Id()));
            after = page["page_info"]!["end_cursor"]?.GetValue<string>();
        } while (after is not null && seen.Count < 20);
        seen.ShouldBe(Enumerable.Reverse(chats), "newest match first, each chat once");

        var messages = await app.Backend().GetAsync($"{Messages}?channel_id={chats[0]}&query={word}&first=1").OkJsonAsync();
        messages["data"]!.AsArray().ShouldHaveSingleItem()!.Str("content").ShouldBe($"again {word}");
        messages["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeTrue();
        await (await app.Backend().GetAsync($"{Chats}?query={word}&last=2")).ShouldBeProblemAsync(400, "last");
    }

    [Fact]
    public async Task A_chat_with_many_newer_matches_takes_one_row_and_the_pages_reach_the_oldest_match()
    {
        // The index is read a window at a time (four matches a row wanted, then four times that): here the newest
        // matches all belong to one busy chat, so the pages need further windows, and the busy chat's old match
        // must not bring it back on a later page.
        var word = Word();
        var busy = await app.NewUserAsync("customer");
        var busyChat = await app.SupportChatForAsync(busy);
        await busy.Client.SendAsync(busyChat, $"first {word}, long ago");
        var quiet = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var customer = await app.NewUserAsync("customer");
            var chat = await app.SupportChatForAsync(customer);
            await customer.Client.SendAsync(chat, $"{word} once");
            quiet.Add(chat);
        }
        for (var i = 0; i < 30; i++) await busy.Client.SendAsync(busyChat, $"{word} again, {i}");

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await app.Backend().GetAsync($"{Chats}?query={word}&first=2{(after is null ? "" : $"&after={after}")}").OkJsonAsync();
            seen.AddRange(page["data"]!.AsArray().Select(r => r!.Id()));
            after = page["page_info"]!["end_cursor"]?.GetValue<string>();
        } while (after is not null && seen.Count < 20);
        seen.ShouldBe([busyChat, .. Enumerable.Reverse(quiet)], "each chat once, by its newest match");
    }

    [Fact]
    public async Task One_chat_search_reads_past_matches_an_operator_leaves_out()
    {
        var word = Word();
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var customers = new List<string>();
        for (var i = 0; i < 3; i++) customers.Add((await customer.Client.SendAsync(chat, $"{word} from the customer {i}")).Id());
        for (var i = 0; i < 12; i++) await maya.Client.SendAsync(chat, $"{word} from the team {i}");

        var page = await app.Backend().GetAsync($"{Messages}?channel_id={chat}&query={Uri.EscapeDataString($"{word} from:{customer.Username}")}&first=2")
            .OkJsonAsync();
        page["data"]!.AsArray().Select(m => m!.Id()).ShouldBe([customers[2], customers[1]]);
        page["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeTrue();
        var rest = await app.Backend().GetAsync(
            $"{Messages}?channel_id={chat}&query={Uri.EscapeDataString($"{word} from:{customer.Username}")}&first=2&after={page["page_info"]!["end_cursor"]}")
            .OkJsonAsync();
        rest["data"]!.AsArray().Select(m => m!.Id()).ShouldBe([customers[0]]);
        rest["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced quote")]
    [InlineData("*")]
    [InlineData("refund*")]
    [InlineData("a NEAR b")]
    [InlineData("NEAR(a b)")]
    [InlineData("^start")]
    [InlineData("col:umn")]
    [InlineData(":")]
    [InlineData("a:b:c")]
    [InlineData("OR AND NOT")]
    [InlineData("'; DROP TABLE messages; --")]
    [InlineData("!@#$%^&*()")]
    [InlineData("-")]
    [InlineData("--")]
    [InlineData("- -x")]
    [InlineData("from:")]
    [InlineData("is:everything")]
    [InlineData("before:2026-13-45")]
    [InlineData("after:yesterday")]
    [InlineData("status:lost")]
    [InlineData("has:pony")]
    [InlineData("(a) & !b | c <-> d:*")]
    [InlineData("https://example.com/receipt?id=1")]
    [InlineData("10:30 meeting")]
    [InlineData("ǅ̈́ 中文 عربى")]
    public async Task A_hostile_query_gets_results_or_a_400_naming_query_never_a_500(string query)
    {
        var encoded = Uri.EscapeDataString(query);
        foreach (var path in new[] { $"{Chats}?query={encoded}", $"{Messages}?channel_id={await OneChatAsync()}&query={encoded}" })
        {
            var response = await app.Backend().GetAsync(path);
            if ((int)response.StatusCode == 200) continue;
            var problem = await response.ShouldBeProblemAsync(400, "query");
            problem["detail"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task Ten_thousand_characters_and_unknown_operators_are_400_naming_query_with_the_reason()
    {
        var tooLong = await (await app.Backend().GetAsync($"{Chats}?query={new string('a', 4_000)}")).ShouldBeProblemAsync(400, "query");
        tooLong["detail"]!.GetValue<string>().ShouldContain("500 characters");
        // The request line's limit is raised for this: the API answers, not the server with a bare 414.
        var tenThousand = await (await app.Backend().GetAsync($"{Chats}?query={Uri.EscapeDataString(string.Concat(Enumerable.Repeat("refund ", 1_430)))}"))
            .ShouldBeProblemAsync(400, "query");
        tenThousand["detail"]!.GetValue<string>().ShouldContain("500 characters");
        var symbols = await (await app.Backend().GetAsync($"{Chats}?query={Uri.EscapeDataString(string.Concat(Enumerable.Repeat("*^:!#", 80)))}")).ShouldBeProblemAsync(400, "query");
        symbols["detail"]!.GetValue<string>().ShouldContain("nothing to search");
        var unknown = await (await app.Backend().GetAsync($"{Chats}?query=colour:red")).ShouldBeProblemAsync(400, "query");
        unknown["detail"]!.GetValue<string>().ShouldContain("colour: is not an operator");
        var date = await (await app.Backend().GetAsync($"{Chats}?query=before:2026-02-30")).ShouldBeProblemAsync(400, "query");
        date["detail"]!.GetValue<string>().ShouldContain("not a date");
    }

    private async Task<string> OneChatAsync()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "a NEAR b refund * ^start col:umn 10:30");
        return chat;
    }

    private static async Task<JsonArray> SearchAsync(HttpClient client, string query) =>
        (await client.GetAsync($"{Chats}?query={Uri.EscapeDataString(query)}&first=50").OkJsonAsync())["data"]!.AsArray();

    private static async Task<JsonArray> MessagesAsync(HttpClient client, string chat, string query) =>
        (await client.GetAsync($"{Messages}?channel_id={chat}&query={Uri.EscapeDataString(query)}&first=50").OkJsonAsync())["data"]!.AsArray();

    /// <summary>A receipt number nobody else wrote.</summary>
    private static string Receipt() => $"RCPT-{Random.Shared.Next(10_000_000, 99_999_999)}";

    /// <summary>A word nobody else wrote (letters only).</summary>
    private static string Word() => "w" + string.Concat(Guid.NewGuid().ToString("N")[..12].Select(c => (char)('a' + c % 26)));
}
