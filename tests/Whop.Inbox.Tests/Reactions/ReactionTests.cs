using System.Text.Json.Nodes;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;
using static Whop.Inbox.Tests.DirectMessages.DmScenario;

namespace Whop.Inbox.Tests.Reactions;

/// <summary><c>/reactions</c> on DM messages: adding, listing, counting and removing emoji.</summary>
[Collection(AppCollection.Name)]
public sealed class ReactionTests(InboxApp app)
{
    private const string ReactionsPath = DmScenario.Reactions;

    /// <summary>Alice's DM with Bob and Carol (Alice created it, so she is its admin), and a message from Alice.</summary>
    private async Task<(TestUser Alice, TestUser Bob, TestUser Carol, string DmId, string MessageId)> ConversationAsync()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var message = await alice.Client.SendAsync(dm.Id(), "Lunch at noon?");
        return (alice, bob, carol, dm.Id(), message.Id());
    }

    private static Task<JsonNode> ReactAsync(TestUser user, string messageId, string emoji) =>
        user.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji }).OkJsonAsync();

    private static async Task<Dictionary<string, int>> CountsAsync(HttpClient client, string messageId) =>
        (await client.GetAsync($"{Messages}/{messageId}").OkJsonAsync())["reaction_counts"]!.AsArray()
        .ToDictionary(c => c!.Str("emoji"), c => c!["count"]!.GetValue<int>());

    [Fact]
    public async Task A_member_reacts_and_the_reaction_names_them_and_the_message()
    {
        var (_, bob, _, _, messageId) = await ConversationAsync();

        var reaction = await ReactAsync(bob, messageId, "👍");

        reaction.Str("emoji").ShouldBe("👍");
        reaction.Str("resource_id").ShouldBe(messageId);
        reaction["user"]!.Str("id").ShouldBe(bob.Id);
        reaction["user"]!.Str("username").ShouldBe(bob.Username);
        reaction["user"]!.Str("name").ShouldBe(bob.Name);
    }

    [Fact]
    public async Task The_same_emoji_twice_is_the_same_reaction()
    {
        var (_, bob, _, _, messageId) = await ConversationAsync();

        var first = await ReactAsync(bob, messageId, "🎉");
        var second = await ReactAsync(bob, messageId, " 🎉 ");
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ReactAsync(bob, messageId, "🎉")));

        second.Id().ShouldBe(first.Id());
        concurrent.Select(r => r.Id()).ShouldAllBe(id => id == first.Id());
        (await CountsAsync(bob.Client, messageId)).ShouldBe(new Dictionary<string, int> { ["🎉"] = 1 });
    }

    [Fact]
    public async Task Reactions_are_listed_by_message_and_retrieved_by_id()
    {
        var (alice, bob, carol, dmId, messageId) = await ConversationAsync();
        var other = await bob.Client.SendAsync(dmId, "Sure");
        var bobs = await ReactAsync(bob, messageId, "👍");
        var carols = await ReactAsync(carol, messageId, "👍");
        var elsewhere = await ReactAsync(carol, other.Id(), "❤️");

        var list = await alice.Client.GetAsync($"{ReactionsPath}?resource_id={messageId}").OkJsonAsync();

        list["data"]!.AsArray().Select(r => r!.Id()).ShouldBe([bobs.Id(), carols.Id()], "oldest first, only this message's");
        list["page_info"]!["end_cursor"].ShouldBeNull();
        var fetched = await alice.Client.GetAsync($"{ReactionsPath}/{carols.Id()}").OkJsonAsync();
        fetched.Str("emoji").ShouldBe("👍");
        fetched.Str("resource_id").ShouldBe(messageId);
        fetched["user"]!.Str("id").ShouldBe(carol.Id);
        (await alice.Client.GetAsync($"{ReactionsPath}?resource_id={other.Id()}").OkJsonAsync())["data"]!.AsArray()
            .Select(r => r!.Id()).ShouldBe([elsewhere.Id()]);
    }

    [Fact]
    public async Task Reaction_counts_on_the_message_follow_the_reactions()
    {
        var (alice, bob, carol, dmId, messageId) = await ConversationAsync();
        await ReactAsync(bob, messageId, "👍");
        await ReactAsync(carol, messageId, "👍");
        var carolsParty = await ReactAsync(carol, messageId, "🎉");
        await ReactAsync(alice, messageId, "👍");

        var counts = (await alice.Client.GetAsync($"{Messages}/{messageId}").OkJsonAsync())["reaction_counts"]!.AsArray();
        counts.Select(c => (c!.Str("emoji"), c!["count"]!.GetValue<int>())).ShouldBe([("👍", 3), ("🎉", 1)]);
        // The message list shows the same counts.
        var listed = (await bob.Client.MessagesAsync(dmId)).Single(m => m!.Id() == messageId)!;
        listed["reaction_counts"]!.AsArray().Count.ShouldBe(2);

        await carol.Client.DeleteAsync($"{ReactionsPath}/{carolsParty.Id()}").OkJsonAsync();
        (await CountsAsync(alice.Client, messageId)).ShouldBe(new Dictionary<string, int> { ["👍"] = 3 });
    }

    [Fact]
    public async Task A_member_deletes_their_own_reaction()
    {
        var (alice, bob, _, _, messageId) = await ConversationAsync();
        var reaction = await ReactAsync(bob, messageId, "👀");

        var deleted = await bob.Client.DeleteAsync($"{ReactionsPath}/{reaction.Id()}");

        ((int)deleted.StatusCode).ShouldBe(200);
        (await deleted.Content.ReadAsStringAsync()).ShouldBe("true");
        await (await alice.Client.GetAsync($"{ReactionsPath}/{reaction.Id()}")).ShouldBeProblemAsync(404);
        (await alice.Client.GetAsync($"{ReactionsPath}?resource_id={messageId}").OkJsonAsync())["data"]!.AsArray().ShouldBeEmpty();
        (await CountsAsync(alice.Client, messageId)).ShouldBeEmpty();
        await (await bob.Client.DeleteAsync($"{ReactionsPath}/{reaction.Id()}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_member_removes_their_reaction_by_message_and_emoji()
    {
        var (alice, bob, _, _, messageId) = await ConversationAsync();
        await ReactAsync(bob, messageId, "👀");
        var alices = await ReactAsync(alice, messageId, "👀");

        (await bob.Client.DeleteAsync($"{ReactionsPath}/{messageId}?emoji=👀").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();

        (await alice.Client.GetAsync($"{ReactionsPath}?resource_id={messageId}").OkJsonAsync())["data"]!.AsArray()
            .Select(r => r!.Id()).ShouldBe([alices.Id()], "only Bob's own reaction goes");
    }

    [Fact]
    public async Task A_plain_member_cannot_delete_someone_elses_reaction_but_the_DMs_admin_can()
    {
        var (alice, bob, carol, _, messageId) = await ConversationAsync();
        var bobs = await ReactAsync(bob, messageId, "😂");

        await (await carol.Client.DeleteAsync($"{ReactionsPath}/{bobs.Id()}")).ShouldBeProblemAsync(403);
        (await carol.Client.GetAsync($"{ReactionsPath}/{bobs.Id()}").OkJsonAsync()).Id().ShouldBe(bobs.Id());

        (await (await alice.Client.DeleteAsync($"{ReactionsPath}/{bobs.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");
        await (await bob.Client.GetAsync($"{ReactionsPath}/{bobs.Id()}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Reacting_to_an_unknown_message_is_a_404()
    {
        var alice = await app.NewUserAsync();

        await (await alice.Client.PostJsonAsync(ReactionsPath, new { resource_id = "post_doesnotexist000000", emoji = "👍" })).ShouldBeProblemAsync(404);
        await (await alice.Client.GetAsync($"{ReactionsPath}?resource_id=post_doesnotexist000000")).ShouldBeProblemAsync(404);
        await (await alice.Client.GetAsync($"{ReactionsPath}/reaction_doesnotexist000")).ShouldBeProblemAsync(404);
        await (await alice.Client.DeleteAsync($"{ReactionsPath}/reaction_doesnotexist000")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_reaction_without_an_emoji_is_a_400_naming_emoji()
    {
        var (_, bob, _, _, messageId) = await ConversationAsync();

        await (await bob.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId })).ShouldBeProblemAsync(400, "emoji");
        await (await bob.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji = "   " })).ShouldBeProblemAsync(400, "emoji");
        await (await bob.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji = new string('x', 65) })).ShouldBeProblemAsync(400, "emoji");
        await (await bob.Client.PostJsonAsync(ReactionsPath, new { emoji = "👍" })).ShouldBeProblemAsync(400, "resource_id");
        await (await bob.Client.GetAsync(ReactionsPath)).ShouldBeProblemAsync(400, "resource_id");
        (await CountsAsync(bob.Client, messageId)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_non_member_can_neither_react_nor_see_reactions()
    {
        var (_, bob, _, _, messageId) = await ConversationAsync();
        var eve = await app.NewUserAsync();
        var bobs = await ReactAsync(bob, messageId, "👍");

        await (await eve.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji = "👎" })).ShouldBeProblemAsync(404);
        await (await eve.Client.GetAsync($"{ReactionsPath}?resource_id={messageId}")).ShouldBeProblemAsync(404);
        await (await eve.Client.GetAsync($"{ReactionsPath}/{bobs.Id()}")).ShouldBeProblemAsync(404);
        await (await eve.Client.DeleteAsync($"{ReactionsPath}/{bobs.Id()}")).ShouldBeProblemAsync(404);
        (await CountsAsync(bob.Client, messageId)).ShouldBe(new Dictionary<string, int> { ["👍"] = 1 });
    }

    [Fact]
    public async Task A_member_who_left_can_no_longer_react()
    {
        var (_, bob, _, dmId, messageId) = await ConversationAsync();
        var bobsMembership = await bob.Client.MemberIdAsync(dmId, bob.Id);
        await bob.Client.DeleteAsync($"{Members}/{bobsMembership}").OkJsonAsync();

        await (await bob.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji = "👋" })).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task An_emoji_and_a_poll_vote_in_one_reaction_are_refused()
    {
        var (_, bob, _, _, messageId) = await ConversationAsync();

        await (await bob.Client.PostJsonAsync(ReactionsPath, new { resource_id = messageId, emoji = "👍", poll_option_id = "1" }))
            .ShouldBeProblemAsync(422, "poll_option_id");
    }
}
