using System.Text.Json.Nodes;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Files;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;
using static Whop.Inbox.Tests.DirectMessages.DmScenario;

namespace Whop.Inbox.Tests.Messaging.Polls;

/// <summary>Polls through <c>/messages</c> and votes through <c>/reactions</c>, as Whop's API has them.</summary>
[Collection(AppCollection.Name)]
public sealed class PollApiTests(InboxApp app)
{
    private static object Options(params string[] texts) =>
        new { options = texts.Select((text, i) => new { id = $"{i + 1}", text }).ToArray() };

    /// <summary>Alice's DM with Bob and Carol, and Alice's poll in it.</summary>
    private async Task<(TestUser Alice, TestUser Bob, TestUser Carol, string DmId, string PollId)> PollInDmAsync()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var poll = await alice.Client.PostJsonAsync(Messages, new { channel_id = dm.Id(), content = "Lunch where?", poll = Options("Tacos", "Ramen", "Salad") })
            .OkJsonAsync();
        return (alice, bob, carol, dm.Id(), poll.Id());
    }

    private static Task<JsonNode> VoteAsync(TestUser user, string messageId, string optionId) =>
        ApiClient.RetryingBusyAsync(() => user.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = messageId, poll_option_id = optionId })).OkJsonAsync();

    private static async Task<Dictionary<string, int>> VotesAsync(HttpClient client, string messageId) =>
        (await client.GetAsync($"{Messages}/{messageId}").OkJsonAsync())["poll_votes"]!.AsArray()
        .ToDictionary(v => v!.Str("option_id"), v => v!["count"]!.GetValue<int>());

    [Fact]
    public async Task A_poll_is_sent_with_its_options_trimmed_and_every_option_counted_at_zero_in_every_read()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        var sent = await alice.Client.PostJsonAsync(Messages, new { channel_id = dm.Id(), content = "Which day?", poll = Options(" Monday ", "Friday") })
            .OkJsonAsync();

        sent["poll"]!["options"]!.ToJsonString().ShouldBe("""[{"id":"1","text":"Monday"},{"id":"2","text":"Friday"}]""");
        sent["poll_votes"]!.ToJsonString().ShouldBe("""[{"count":0,"option_id":"1"},{"count":0,"option_id":"2"}]""");
        var fetched = await bob.Client.GetAsync($"{Messages}/{sent.Id()}").OkJsonAsync();
        fetched["poll"]!.ToJsonString().ShouldBe(sent["poll"]!.ToJsonString());
        var listed = (await bob.Client.MessagesAsync(dm.Id())).Single(m => m!.Id() == sent.Id())!;
        listed["poll_votes"]!.ToJsonString().ShouldBe(sent["poll_votes"]!.ToJsonString());
        var plain = await alice.Client.SendAsync(dm.Id(), "No poll here");
        plain["poll"].ShouldBeNull();
        plain["poll_votes"]!.AsArray().Count.ShouldBe(0);
    }

    public static TheoryData<string, string> BadPolls => new()
    {
        { """{"options":[{"id":"1","text":"Only one"}]}""", "poll.options" },
        { "{\"options\":[" + string.Join(",", Enumerable.Range(1, 11).Select(i => $$"""{"id":"{{i}}","text":"Option {{i}}"}""")) + "]}", "poll.options" },
        { """{"options":[{"id":"1","text":"A"},{"id":"1","text":"B"}]}""", "poll.options[1].id" },
        { """{"options":[{"id":"1","text":"A"},{"id":"3","text":"B"}]}""", "poll.options[1].id" },
        { """{"options":[{"id":"0","text":"A"},{"id":"1","text":"B"}]}""", "poll.options[0].id" },
        { """{"options":[{"id":"1","text":"A"},{"id":"02","text":"B"}]}""", "poll.options[1].id" },
        { """{"options":[{"id":"1","text":"   "},{"id":"2","text":"B"}]}""", "poll.options[0].text" },
        { """{"options":[{"id":"1","text":"A"},{"id":"2","text":"B"},{"id":"3","text":"{{long}}"}]}""", "poll.options[2].text" },
        { """{"options":[{"id":"1","text":"A"},{"id":"2"}]}""", "poll.options[1].text" },
        { """{"options":null}""", "poll.options" },
        { """{}""", "poll.options" },
        { """{"options":[null,{"id":"2","text":"B"}]}""", "poll.options[0].id" },
    };

    [Theory, MemberData(nameof(BadPolls))]
    public async Task A_bad_poll_is_refused_naming_the_field_and_nothing_is_stored(string poll, string field)
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var body = $$"""{"channel_id":"{{dm.Id()}}","content":"Bad poll","poll":{{poll.Replace("{{long}}", new string('x', 201))}}}""";

        await (await alice.Client.PostRawJsonAsync(Messages, body)).ShouldBeProblemAsync(422, field);

        (await alice.Client.MessagesAsync(dm.Id())).ShouldNotContain(m => m!.Str("content") == "Bad poll");
    }

    [Fact]
    public async Task A_poll_may_carry_files_and_an_unknown_file_refuses_the_whole_poll()
    {
        var (alice, _, _, dmId, _) = await PollInDmAsync();
        var chart = await alice.Client.UploadOkAsync("options.png", "image/png", TestFiles.Png());

        var poll = await alice.Client.PostJsonAsync(Messages,
            new { channel_id = dmId, content = "Which layout?", poll = Options("A", "B"), attachments = new[] { new { id = chart.Id() } } }).OkJsonAsync();

        poll["poll"]!["options"]!.AsArray().Count.ShouldBe(2);
        poll["attachments"]!.AsArray().Single()!.Id().ShouldBe(chart.Id());
        await (await alice.Client.PostJsonAsync(Messages,
                new { channel_id = dmId, content = "Unattached", poll = Options("A", "B"), attachments = new[] { new { id = "file_missing" } } }))
            .ShouldBeProblemAsync(422, "attachments[0].id");
        (await alice.Client.MessagesAsync(dmId)).ShouldNotContain(m => m!.Str("content") == "Unattached");
    }

    [Fact]
    public async Task A_poll_sent_through_the_hub_is_checked_and_stored_as_through_the_api()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = (await alice.Client.CreateDmAsync(bob.Id)).Id();
        using var hub = await RawHubConnection.OpenAsync(app, alice.Token());

        await hub.InvokeAsync("1", "SendMessage", JsonNode.Parse($$$"""
            {"channel_id":"{{{dm}}}","content":"Hub poll","poll":{"options":[{"id":"1","text":"A"},{"id":"2","text":"B"}]}}
            """));
        await hub.InvokeAsync("2", "SendMessage", JsonNode.Parse($$$"""
            {"channel_id":"{{{dm}}}","content":"One option","poll":{"options":[{"id":"1","text":"A"}]}}
            """));
        var errors = await hub.CompletionErrorsAsync(2);

        errors["1"].ShouldBeNull();
        errors["2"].ShouldNotBeNull();
        var stored = (await alice.Client.MessagesAsync(dm)).Where(m => m!.Str("message_type") != "system").ToList();
        stored.Select(m => m!.Str("content")).ShouldBe(["Hub poll"]);
        stored[0]!["poll_votes"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_vote_counts_once_moves_when_the_voter_changes_their_mind_and_is_withdrawn_by_message_or_by_id()
    {
        var (alice, bob, carol, _, pollId) = await PollInDmAsync();

        var bobs = await VoteAsync(bob, pollId, "1");
        var carols = await VoteAsync(carol, pollId, "1");
        bobs["emoji"].ShouldBeNull();
        bobs.Str("poll_option_id").ShouldBe("1");
        bobs.Str("resource_id").ShouldBe(pollId);
        bobs["user"]!.Str("id").ShouldBe(bob.Id);
        (await VotesAsync(alice.Client, pollId)).ShouldBe(new Dictionary<string, int> { ["1"] = 2, ["2"] = 0, ["3"] = 0 });

        var moved = await VoteAsync(bob, pollId, "2");
        moved.Id().ShouldBe(bobs.Id(), "one vote per person: it moved");
        (await VoteAsync(bob, pollId, "2")).Id().ShouldBe(bobs.Id());
        (await VotesAsync(alice.Client, pollId)).ShouldBe(new Dictionary<string, int> { ["1"] = 1, ["2"] = 1, ["3"] = 0 });
        (await alice.Client.GetAsync($"{DmScenario.Reactions}/{bobs.Id()}").OkJsonAsync()).Str("poll_option_id").ShouldBe("2");

        (await bob.Client.DeleteAsync($"{DmScenario.Reactions}/{pollId}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();
        (await bob.Client.DeleteAsync($"{DmScenario.Reactions}/{pollId}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue("withdrawing twice is done");
        await (await alice.Client.DeleteAsync($"{DmScenario.Reactions}/{carols.Id()}")).ShouldBeProblemAsync(403);
        (await carol.Client.DeleteAsync($"{DmScenario.Reactions}/{carols.Id()}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();
        (await VotesAsync(alice.Client, pollId)).ShouldBe(new Dictionary<string, int> { ["1"] = 0, ["2"] = 0, ["3"] = 0 });
        await (await alice.Client.GetAsync($"{DmScenario.Reactions}/{carols.Id()}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Votes_at_once_each_count_once_and_a_person_keeps_one_vote()
    {
        var (alice, bob, carol, _, pollId) = await PollInDmAsync();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => VoteAsync(i % 2 == 0 ? bob : carol, pollId, $"{i % 3 + 1}")));
        await Task.WhenAll(VoteAsync(alice, pollId, "3"), VoteAsync(bob, pollId, "1"), VoteAsync(carol, pollId, "1"));

        (await VotesAsync(alice.Client, pollId)).ShouldBe(new Dictionary<string, int> { ["1"] = 2, ["2"] = 0, ["3"] = 1 });
    }

    [Fact]
    public async Task A_vote_for_an_option_that_does_not_exist_or_on_a_message_without_a_poll_is_refused()
    {
        var (alice, bob, _, dmId, pollId) = await PollInDmAsync();
        var plain = await alice.Client.SendAsync(dmId, "Just a message");

        await (await bob.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = pollId, poll_option_id = "4" })).ShouldBeProblemAsync(422, "poll_option_id");
        await (await bob.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = pollId, poll_option_id = "opt_1" })).ShouldBeProblemAsync(422, "poll_option_id");
        await (await bob.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = plain.Id(), poll_option_id = "1" })).ShouldBeProblemAsync(422, "poll_option_id");
        await (await bob.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = pollId, poll_option_id = "1", emoji = "👍" })).ShouldBeProblemAsync(422, "poll_option_id");
        (await VotesAsync(alice.Client, pollId)).Values.ShouldAllBe(count => count == 0);
    }

    [Fact]
    public async Task A_customer_cannot_vote_in_another_customers_chat_and_a_notes_poll_never_reaches_the_customer()
    {
        var customer = await app.NewUserAsync("customer");
        var stranger = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var open = await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "How did we do?", poll = Options("Great", "Fine") }).OkJsonAsync();
        var note = await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "Refund?", poll = Options("Yes", "No"), visibility = "team" })
            .OkJsonAsync();
        note["poll"]!["options"]!.AsArray().Count.ShouldBe(2);

        await (await stranger.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = open.Id(), poll_option_id = "1" })).ShouldBeProblemAsync(404);
        await (await customer.Client.PostJsonAsync(DmScenario.Reactions, new { resource_id = note.Id(), poll_option_id = "1" })).ShouldBeProblemAsync(404);
        await (await customer.Client.DeleteAsync($"{DmScenario.Reactions}/{note.Id()}")).ShouldBeProblemAsync(404);
        var teammates = await VoteAsync(maya, note.Id(), "1");
        await (await customer.Client.GetAsync($"{DmScenario.Reactions}/{teammates.Id()}")).ShouldBeProblemAsync(404);
        (await customer.Client.MessagesAsync(chat)).ShouldNotContain(m => m!.Id() == note.Id());

        await VoteAsync(customer, open.Id(), "1");
        (await VotesAsync(maya.Client, open.Id()))["1"].ShouldBe(1);
        (await VotesAsync(maya.Client, note.Id()))["1"].ShouldBe(1);
    }

    [Fact]
    public async Task Counts_go_out_live_and_a_notes_votes_only_to_the_team()
    {
        var customer = await app.NewUserAsync("customer");
        var maya = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var open = await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "How did we do?", poll = Options("Great", "Fine") }).OkJsonAsync();
        var note = await maya.Client.PostJsonAsync(Messages, new { channel_id = chat, content = "Refund?", poll = Options("Yes", "No"), visibility = "team" })
            .OkJsonAsync();
        using var customerHub = await RawHubConnection.OpenAsync(app, customer.Token());
        using var teamHub = await RawHubConnection.OpenAsync(app, maya.Token());
        await customerHub.InvokeAsync("1", "Subscribe", chat, null);
        await teamHub.InvokeAsync("1", "Subscribe", chat, null);
        (await customerHub.CompletionErrorsAsync(1)).Values.ShouldAllBe(error => error == null);
        (await teamHub.CompletionErrorsAsync(1)).Values.ShouldAllBe(error => error == null);

        await VoteAsync(maya, note.Id(), "2");
        await VoteAsync(customer, open.Id(), "1");
        await VoteAsync(customer, open.Id(), "2");

        var team = await VotesUntilAsync(teamHub, 3);
        team.ShouldContain(v => v.MessageId == note.Id() && v.Votes == "1:0,2:1" && v.Reach == "team");
        team.ShouldContain(v => v.MessageId == open.Id() && v.OptionId == "1" && v.Votes == "1:1,2:0");
        team.ShouldContain(v => v.MessageId == open.Id() && v.OptionId == "2" && v.Votes == "1:0,2:1" && v.UserId == customer.Id);
        var seen = await VotesUntilAsync(customerHub, 2);
        seen.ShouldNotContain(v => v.MessageId == note.Id());
        seen.Select(v => v.Votes).ShouldBe(["1:1,2:0", "1:0,2:1"]);
    }

    private sealed record Vote(string MessageId, string? OptionId, string UserId, string Votes, string? Reach);

    /// <summary>
    /// The vote events a connection receives until <paramref name="expected"/> came or 10 s passed, and any more that come
    /// within a moment after (a note's vote sent to a customer would).
    /// </summary>
    private static async Task<List<Vote>> VotesUntilAsync(RawHubConnection hub, int expected)
    {
        var votes = VotesIn(await hub.EventsUntilAsync(events => VotesIn(events).Count >= expected, TimeSpan.FromSeconds(10)));
        votes.AddRange(VotesIn(await hub.EventsUntilAsync(_ => false, TimeSpan.FromMilliseconds(300))));
        return votes;
    }

    private static List<Vote> VotesIn(List<(JsonNode Event, string Subscription)> events) =>
        events.Where(e => e.Event["type"]!.GetValue<string>() == "reaction.changed" && e.Event["data"]!["emoji"] is null)
            .Select(e => (Data: e.Event["data"]!, Reach: e.Event["reach"]?.GetValue<string>()))
            .Select(e => new Vote(e.Data.Str("message_id"), e.Data["poll_option_id"]?.GetValue<string>(), e.Data.Str("user_id"),
                string.Join(",", e.Data["poll_votes"]!.AsArray().Select(c => $"{c!.Str("option_id")}:{c!["count"]!.GetValue<int>()}")), e.Reach))
            .ToList();
}
