using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;
using static Whop.Inbox.Tests.DirectMessages.DmScenario;

namespace Whop.Inbox.Tests.DirectMessages;

/// <summary><c>/dm_channels</c>: creating, finding, listing, renaming and deleting DMs.</summary>
[Collection(AppCollection.Name)]
public sealed class DmChannelTests(InboxApp app)
{
    [Fact]
    public async Task A_user_creates_a_DM_and_is_one_of_its_members()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();

        var dm = await alice.Client.CreateDmAsync(bob.Id);

        dm.Id().ShouldStartWith("feed_");
        dm["member_count"]!.GetValue<int>().ShouldBe(2);
        dm["custom_name"].ShouldBeNull();
        dm.Str("name").ShouldBe(bob.Name, "an unnamed DM is named after the others in it");
        dm.Str("company_id").ShouldBe(await app.CompanyIdAsync());
        DateTimeOffset.Parse(dm.Str("created_at")).ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, bob.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task With_the_api_key_the_members_are_exactly_the_users_named()
    {
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();

        var dm = await app.Backend().CreateDmAsync(bob.Id, carol.Id);

        dm["member_count"]!.GetValue<int>().ShouldBe(2);
        (await app.Backend().MembersAsync(dm.Id())).UserIds().ShouldBe([bob.Id, carol.Id], ignoreOrder: true);
        // And both of them see it.
        (await bob.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Id().ShouldBe(dm.Id());
        (await carol.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Id().ShouldBe(dm.Id());
    }

    [Fact]
    public async Task Members_are_found_by_username_as_well_as_by_id()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();

        var dm = await alice.Client.CreateDmAsync(bob.Username);

        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, bob.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task A_member_retrieves_the_DM()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        var fetched = await bob.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync();

        fetched.Id().ShouldBe(dm.Id());
        fetched.Str("created_at").ShouldBe(dm.Str("created_at"));
        fetched.Str("name").ShouldBe(alice.Name, "seen by Bob, the DM is named after Alice");
    }

    [Fact]
    public async Task The_list_holds_the_callers_DMs_most_recently_active_first()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var withBob = await alice.Client.CreateDmAsync(bob.Id);
        var withCarol = await alice.Client.CreateDmAsync(carol.Id);
        var bobAndCarol = await bob.Client.CreateDmAsync(carol.Id);

        // Newest first: the DM with Carol was created last...
        var before = (await alice.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().Select(d => d!.Id()).ToList();
        before.ShouldBe([withCarol.Id(), withBob.Id()]);

        // ...until a message makes the DM with Bob the most recently active.
        await bob.Client.SendAsync(withBob.Id(), "Still there?");
        var after = (await alice.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().Select(d => d!.Id()).ToList();
        after.ShouldBe([withBob.Id(), withCarol.Id()]);
        after.ShouldNotContain(bobAndCarol.Id(), "Alice is not in Bob and Carol's DM");
    }

    [Fact]
    public async Task The_DM_list_pages_with_a_null_end_cursor_on_the_last_page()
    {
        var alice = await app.NewUserAsync();
        var others = await app.NewUserIdsAsync(3);
        var created = new List<string>();
        foreach (var other in others) created.Add((await alice.Client.CreateDmAsync(other)).Id());

        var first = await alice.Client.GetAsync($"{Channels}?first=2").OkJsonAsync();
        first["data"]!.AsArray().Count.ShouldBe(2);
        first["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeTrue();
        var cursor = first["page_info"]!.Str("end_cursor");
        var second = await alice.Client.GetAsync($"{Channels}?first=2&after={cursor}").OkJsonAsync();
        second["data"]!.AsArray().Count.ShouldBe(1);
        second["page_info"]!["end_cursor"].ShouldBeNull();
        second["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBeFalse();

        first["data"]!.AsArray().Concat(second["data"]!.AsArray()).Select(d => d!.Id())
            .ShouldBe(Enumerable.Reverse(created).ToList());
    }

    [Fact]
    public async Task Renaming_a_DM_changes_its_name_and_posts_a_system_message()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        var renamed = await alice.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "  Launch plan  " }).OkJsonAsync();

        renamed.Str("custom_name").ShouldBe("Launch plan");
        renamed.Str("name").ShouldBe("Launch plan");
        (await bob.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Str("name").ShouldBe("Launch plan");
        var system = (await bob.Client.MessagesAsync(dm.Id())).SystemContents().ToList();
        system.ShouldHaveSingleItem().ShouldContain("renamed");
        system[0].ShouldContain("Launch plan");
        system[0].ShouldContain(alice.Name);
    }

    [Fact]
    public async Task Renaming_to_the_same_name_posts_nothing_new()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        await alice.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Plans" }).OkJsonAsync();
        await alice.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Plans" }).OkJsonAsync();

        (await alice.Client.MessagesAsync(dm.Id())).SystemContents().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Deleting_a_DM_answers_true_and_takes_its_messages_with_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var first = await bob.Client.SendAsync(dm.Id(), "First");
        var reply = await bob.Client.PostJsonAsync(Messages, new { channel_id = dm.Id(), content = "Reply", replying_to_message_id = first.Id() }).OkJsonAsync();

        var deleted = await alice.Client.DeleteAsync($"{Channels}/{dm.Id()}");

        ((int)deleted.StatusCode).ShouldBe(200);
        (await deleted.Content.ReadAsStringAsync()).ShouldBe("true");
        await (await alice.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await bob.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await bob.Client.GetAsync($"{Messages}/{first.Id()}")).ShouldBeProblemAsync(404);
        await (await bob.Client.GetAsync($"{Messages}/{reply.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().GetAsync($"{Messages}/{first.Id()}")).ShouldBeProblemAsync(404);
        (await bob.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().Select(d => d!.Id()).ShouldNotContain(dm.Id());
    }

    [Fact]
    public async Task The_same_members_in_the_same_company_get_the_existing_DM()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();

        var first = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var again = await alice.Client.CreateDmAsync(carol.Id, bob.Id);
        var fromBob = await bob.Client.CreateDmAsync(alice.Id, carol.Username);
        var fromBackend = await app.Backend().CreateDmAsync(alice.Id, bob.Id, carol.Id);
        var different = await alice.Client.CreateDmAsync(bob.Id);

        again.Id().ShouldBe(first.Id());
        fromBob.Id().ShouldBe(first.Id());
        fromBackend.Id().ShouldBe(first.Id());
        different.Id().ShouldNotBe(first.Id(), "a subset of the members is another DM");
        (await alice.Client.MembersAsync(first.Id())).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Concurrent_identical_creates_agree_on_one_DM()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var everyone = new[] { alice, bob, carol };

        // Four member sets, each created eight times at once by its members (taking turns).
        TestUser[][] sets = [[alice, bob, carol], [alice, bob], [alice, carol], [bob, carol]];
        var winners = new List<string>();
        foreach (var set in sets)
        {
            var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            {
                var caller = set[i % set.Length];
                return caller.Client.CreateDmAsync([.. set.Where(u => u != caller).Select(u => u.Id)]);
            }));
            winners.Add(created.Select(d => d.Id()).Distinct().ShouldHaveSingleItem());
        }

        winners.Distinct().Count().ShouldBe(4);
        foreach (var user in everyone)
        {
            var listed = (await user.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().Select(d => d!.Id()).ToList();
            listed.Count.ShouldBe(3, $"{user.Name} is in three of the four sets, once each");
        }
    }

    [Fact]
    public async Task A_DM_with_only_yourself_is_refused_with_422()
    {
        var alice = await app.NewUserAsync();

        var response = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = new[] { alice.Id } });

        await response.ShouldBeProblemAsync(422, "with_user_ids");
        (await alice.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task The_api_key_cannot_create_a_DM_of_one()
    {
        var bob = await app.NewUserAsync();

        var response = await app.Backend().PostJsonAsync(Channels, new { with_user_ids = new[] { bob.Id, bob.Username } });

        await response.ShouldBeProblemAsync(422, "with_user_ids");
    }

    [Fact]
    public async Task A_DM_of_51_members_cannot_be_created()
    {
        var alice = await app.NewUserAsync();
        var fifty = await app.NewUserIdsAsync(50);

        // Fifty others plus the caller make 51.
        var response = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = fifty });

        var problem = await response.ShouldBeProblemAsync(422, "with_user_ids");
        problem["error"]!.Str("message").ShouldContain("50");
        (await alice.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().ShouldBeEmpty();

        // Forty-nine others plus the caller is the most there can be.
        var full = await alice.Client.CreateDmAsync([.. fifty.Take(49)]);
        full["member_count"]!.GetValue<int>().ShouldBe(50);
    }

    [Fact]
    public async Task More_than_50_users_named_by_the_api_key_are_refused_with_422()
    {
        var ids = await app.NewUserIdsAsync(51);

        var response = await app.Backend().PostJsonAsync(Channels, new { with_user_ids = ids });

        await response.ShouldBeProblemAsync(422, "with_user_ids");
    }

    [Fact]
    public async Task A_create_without_with_user_ids_is_a_400_naming_it()
    {
        var alice = await app.NewUserAsync();

        await (await alice.Client.PostRawJsonAsync(Channels, "{}")).ShouldBeProblemAsync(400, "with_user_ids");
        await (await alice.Client.PostRawJsonAsync(Channels, """{"with_user_ids": []}""")).ShouldBeProblemAsync(400, "with_user_ids");
    }

    [Fact]
    public async Task A_wrongly_typed_with_user_ids_is_a_400_naming_it()
    {
        var alice = await app.NewUserAsync();

        var response = await alice.Client.PostRawJsonAsync(Channels, """{"with_user_ids": "x"}""");

        await response.ShouldBeProblemAsync(400, "with_user_ids");
    }

    [Fact]
    public async Task An_empty_entry_in_with_user_ids_is_a_400_naming_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();

        var response = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = new[] { bob.Id, " " } });

        await response.ShouldBeProblemAsync(400, "with_user_ids");
    }

    [Fact]
    public async Task An_unknown_user_in_with_user_ids_is_a_404()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();

        var response = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = new[] { bob.Id, "user_doesnotexist000000" } });

        var problem = await response.ShouldBeProblemAsync(404);
        problem["error"]!.Str("message").ShouldContain("user_doesnotexist000000");
        (await alice.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_custom_name_of_101_characters_is_a_400_naming_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();

        var create = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = new[] { bob.Id }, custom_name = new string('n', 101) });
        await create.ShouldBeProblemAsync(400, "custom_name");

        var dm = await alice.Client.PostJsonAsync(Channels, new { with_user_ids = new[] { bob.Id }, custom_name = new string('n', 100) }).OkJsonAsync();
        dm.Str("custom_name").Length.ShouldBe(100);
        var rename = await alice.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = new string('m', 101) });
        await rename.ShouldBeProblemAsync(400, "custom_name");
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Str("custom_name").ShouldBe(new string('n', 100));
    }

    [Fact]
    public async Task An_unknown_DM_id_is_a_404_everywhere()
    {
        var alice = await app.NewUserAsync();
        const string unknown = "feed_doesnotexist000000";

        await (await alice.Client.GetAsync($"{Channels}/{unknown}")).ShouldBeProblemAsync(404);
        await (await alice.Client.PatchJsonAsync($"{Channels}/{unknown}", new { custom_name = "x" })).ShouldBeProblemAsync(404);
        await (await alice.Client.DeleteAsync($"{Channels}/{unknown}")).ShouldBeProblemAsync(404);
        await (await alice.Client.GetAsync($"{Members}?channel_id={unknown}")).ShouldBeProblemAsync(404);
        await (await alice.Client.PostJsonAsync(Members, new { channel_id = unknown, user_id = alice.Id })).ShouldBeProblemAsync(404);
        await (await app.Backend().GetAsync($"{Channels}/{unknown}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_support_chat_is_not_a_DM()
    {
        var customer = await app.NewUserAsync();
        var chat = await app.Backend().PostJsonAsync("/api/v1/support_channels",
            new { company_id = await app.CompanyIdAsync(), user_id = customer.Id }).OkJsonAsync();

        await (await customer.Client.GetAsync($"{Channels}/{chat.Id()}")).ShouldBeProblemAsync(404);
        await (await customer.Client.GetAsync($"{Members}?channel_id={chat.Id()}")).ShouldBeProblemAsync(404);
        await (await customer.Client.PatchJsonAsync($"{Channels}/{chat.Id()}", new { custom_name = "Mine" })).ShouldBeProblemAsync(404);
        await (await app.Backend().GetAsync($"{Channels}/{chat.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().DeleteAsync($"{Channels}/{chat.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().PostJsonAsync(Members, new { channel_id = chat.Id(), user_id = customer.Id })).ShouldBeProblemAsync(404);
        // Still there, untouched.
        (await app.Backend().GetAsync($"/api/v1/support_channels/{chat.Id()}").OkJsonAsync()).Id().ShouldBe(chat.Id());
        await (await app.Backend().GetAsync($"{Members}?channel_id={chat.Id()}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_non_member_cannot_see_the_DM_or_its_messages()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var eve = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var message = await alice.Client.SendAsync(dm.Id(), "Just between us");

        await (await eve.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await eve.Client.GetAsync($"{Messages}?channel_id={dm.Id()}")).ShouldBeProblemAsync(404);
        await (await eve.Client.GetAsync($"{Messages}/{message.Id()}")).ShouldBeProblemAsync(404);
        await (await eve.Client.GetAsync($"{Members}?channel_id={dm.Id()}")).ShouldBeProblemAsync(404);
        await (await eve.Client.PostJsonAsync(Messages, new { channel_id = dm.Id(), content = "Hi" })).ShouldBeProblemAsync(404);
        await (await eve.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Mine" })).ShouldBeProblemAsync(404);
        await (await eve.Client.DeleteAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        (await eve.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().ShouldBeEmpty();
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Id().ShouldBe(dm.Id());
    }

    [Fact]
    public async Task A_token_without_dms_read_cannot_list_or_read_DMs()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var narrow = await app.ClientForAsync(bob.Id, "support_chat:read");

        await (await narrow.GetAsync(Channels)).ShouldBeProblemAsync(403);
        // One DM: the user is a member, so it is no secret that it exists; the token lacks the right: 403.
        await (await narrow.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(403);
        await (await narrow.GetAsync($"{Messages}?channel_id={dm.Id()}")).ShouldBeProblemAsync(403);
        // The same user with a full token reads it.
        (await bob.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync()).Id().ShouldBe(dm.Id());
    }
}
