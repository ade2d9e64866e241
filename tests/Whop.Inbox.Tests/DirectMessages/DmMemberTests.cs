using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;
using static Whop.Inbox.Tests.DirectMessages.DmScenario;

namespace Whop.Inbox.Tests.DirectMessages;

/// <summary><c>/dm_members</c>: the 50-member cap, who manages a DM, leaving, preferences and paging.</summary>
[Collection(AppCollection.Name)]
public sealed class DmMemberTests(InboxApp app)
{
    [Fact]
    public async Task Members_can_be_added_up_to_50_and_the_51st_is_refused_with_422()
    {
        var alice = await app.NewUserAsync();
        var others = await app.NewUserIdsAsync(50);
        var dm = await alice.Client.CreateDmAsync(others[0]);

        foreach (var user in others.Skip(1).Take(48))
        {
            var added = await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = user }).OkJsonAsync();
            added.Str("user_id").ShouldBe(user);
            added.Str("channel_id").ShouldBe(dm.Id());
        }
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(50);

        var response = await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = others[49] });

        var problem = await response.ShouldBeProblemAsync(422, "user_id");
        problem["error"]!.Str("message").ShouldContain("50 members");
        var members = await alice.Client.MembersAsync(dm.Id());
        members.Count.ShouldBe(50);
        members.UserIds().ShouldNotContain(others[49]);
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(50);
    }

    [Fact]
    public async Task Of_five_concurrent_adds_to_a_DM_of_48_exactly_two_succeed()
    {
        var alice = await app.NewUserAsync();
        var users = await app.NewUserIdsAsync(47 + 5);
        var dm = await alice.Client.CreateDmAsync([.. users.Take(47)]);
        dm["member_count"]!.GetValue<int>().ShouldBe(48);
        var newcomers = users.Skip(47).ToList();

        var responses = await Task.WhenAll(newcomers.Select(user =>
            alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = user })));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        statuses.Count(s => s == 200).ShouldBe(2, string.Join(", ", statuses));
        statuses.Count(s => s == 422).ShouldBe(3, string.Join(", ", statuses));
        foreach (var refused in responses.Where(r => (int)r.StatusCode == 422)) await refused.ShouldBeProblemAsync(422, "user_id");

        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(50);
        var members = await alice.Client.MembersAsync(dm.Id());
        members.Count.ShouldBe(50);
        var admitted = newcomers.Where(members.UserIds().Contains).ToList();
        admitted.Count.ShouldBe(2);
        // Each admitted newcomer has its "added" note; nobody refused has one.
        var system = (await alice.Client.MessagesAsync(dm.Id())).SystemContents().Where(c => c.Contains("added")).ToList();
        system.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Adding_someone_already_in_the_DM_changes_nothing()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var bobsMembership = await alice.Client.MemberIdAsync(dm.Id(), bob.Id);

        var again = await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = bob.Id }).OkJsonAsync();

        again.Id().ShouldBe(bobsMembership);
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(2);
        (await alice.Client.MessagesAsync(dm.Id())).SystemContents().ShouldBeEmpty();
    }

    [Fact]
    public async Task Concurrent_adds_of_the_same_user_make_one_membership()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        var added = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = carol.Id }).OkJsonAsync()));

        added.Select(m => m.Id()).Distinct().ShouldHaveSingleItem();
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(3);
        (await alice.Client.MembersAsync(dm.Id())).Count.ShouldBe(3);
        (await alice.Client.MessagesAsync(dm.Id())).SystemContents().Count(c => c.Contains("added")).ShouldBe(1);
    }

    [Fact]
    public async Task A_DM_made_with_the_api_key_is_managed_by_the_api_key_not_its_members()
    {
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dave = await app.NewUserAsync();
        var dm = await app.Backend().CreateDmAsync(bob.Id, carol.Id);

        await (await bob.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Bob's" })).ShouldBeProblemAsync(403);
        await (await bob.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = dave.Id })).ShouldBeProblemAsync(403);

        var added = await app.Backend().PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = dave.Id }).OkJsonAsync();
        added.Str("user_id").ShouldBe(dave.Id);
        var carolsMembership = await app.Backend().MemberIdAsync(dm.Id(), carol.Id);
        (await app.Backend().DeleteAsync($"{Members}/{carolsMembership}").OkJsonAsync()).GetValue<bool>().ShouldBeTrue();
        (await app.Backend().PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Synced" }).OkJsonAsync())
            .Str("name").ShouldBe("Synced");

        (await bob.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([bob.Id, dave.Id], ignoreOrder: true);
        var notes = (await bob.Client.MessagesAsync(dm.Id())).SystemContents().ToList();
        notes.Count.ShouldBe(3);
        notes.ShouldContain(n => n.Contains("added") && n.Contains(dave.Name));
        notes.ShouldContain(n => n.Contains("removed") && n.Contains(carol.Name));
        notes.ShouldContain(n => n.Contains("renamed") && n.Contains("Synced"));
    }

    [Fact]
    public async Task Adding_a_member_posts_an_added_message_and_lets_them_in()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        await (await carol.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);

        var added = await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = carol.Id }).OkJsonAsync();

        added.Str("user_id").ShouldBe(carol.Id);
        added.Str("status").ShouldBe("accepted");
        added.Str("notification_preference").ShouldBe("all");
        (await carol.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(3);
        var note = (await carol.Client.MessagesAsync(dm.Id())).SystemContents().ShouldHaveSingleItem();
        note.ShouldContain("added");
        note.ShouldContain(carol.Name);
        note.ShouldContain(alice.Name);
    }

    [Fact]
    public async Task An_unknown_user_cannot_be_added()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        await (await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = "user_doesnotexist000000" })).ShouldBeProblemAsync(404);
        await (await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id() })).ShouldBeProblemAsync(400, "user_id");
        await (await alice.Client.PostJsonAsync(Members, new { user_id = bob.Id })).ShouldBeProblemAsync(400, "channel_id");
        (await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task A_member_who_did_not_create_the_DM_cannot_manage_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dave = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var carolsMembership = await bob.Client.MemberIdAsync(dm.Id(), carol.Id);

        await (await bob.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Bob's" })).ShouldBeProblemAsync(403);
        await (await bob.Client.DeleteAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(403);
        await (await bob.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = dave.Id })).ShouldBeProblemAsync(403);
        await (await bob.Client.DeleteAsync($"{Members}/{carolsMembership}")).ShouldBeProblemAsync(403);
        await (await bob.Client.PatchJsonAsync($"{Members}/{carolsMembership}", new { notification_preference = "none" })).ShouldBeProblemAsync(403);

        var after = await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync();
        after["custom_name"].ShouldBeNull();
        after["member_count"]!.GetValue<int>().ShouldBe(3);
        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, bob.Id, carol.Id], ignoreOrder: true);
        (await alice.Client.GetAsync($"{Members}/{carolsMembership}").OkJsonAsync()).Str("notification_preference").ShouldBe("all");
    }

    [Fact]
    public async Task A_company_admin_manages_the_membership_of_a_DM_they_are_not_in_but_cannot_read_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var admin = await app.NewTeamMemberAsync("admin");
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var secret = await alice.Client.SendAsync(dm.Id(), "Private plans");

        // Membership: list, add, remove.
        var members = await admin.Client.MembersAsync(dm.Id());
        members.UserIds().ShouldBe([alice.Id, bob.Id], ignoreOrder: true);
        var added = await admin.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = carol.Id }).OkJsonAsync();
        added.Str("user_id").ShouldBe(carol.Id);
        var bobsMembership = members.Single(m => m!.Str("user_id") == bob.Id)!.Id();
        (await (await admin.Client.DeleteAsync($"{Members}/{bobsMembership}")).Content.ReadAsStringAsync()).ShouldBe("true");
        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, carol.Id], ignoreOrder: true);

        // Not the conversation: not readable, and not listed among the admin's own DMs.
        var list = await admin.Client.GetAsync($"{Messages}?channel_id={dm.Id()}");
        await list.ShouldBeProblemAsync(404);
        var one = await admin.Client.GetAsync($"{Messages}/{secret.Id()}");
        await one.ShouldBeProblemAsync(404);
        (await one.Content.ReadAsStringAsync()).ShouldNotContain("Private plans");
        await (await admin.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await admin.Client.PostJsonAsync(Messages, new { channel_id = dm.Id(), content = "Hello" })).ShouldBeProblemAsync(404);
        (await admin.Client.GetAsync(Channels).OkJsonAsync())["data"]!.AsArray().Select(d => d!.Id()).ShouldNotContain(dm.Id());

        // What the admin did is on record for the members.
        var notes = (await alice.Client.MessagesAsync(dm.Id())).SystemContents().ToList();
        notes.ShouldContain(n => n.Contains("added") && n.Contains(carol.Name) && n.Contains(admin.Name));
        notes.ShouldContain(n => n.Contains("removed") && n.Contains(bob.Name) && n.Contains(admin.Name));
    }

    [Fact]
    public async Task A_company_admin_may_rename_and_delete_a_company_DM()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var admin = await app.NewTeamMemberAsync("admin");
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        (await admin.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Moderated" }).OkJsonAsync())
            .Str("custom_name").ShouldBe("Moderated");
        (await (await admin.Client.DeleteAsync($"{Channels}/{dm.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");
        await (await alice.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_moderator_has_no_say_over_DMs()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var moderator = await app.NewTeamMemberAsync("moderator");
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var bobsMembership = await alice.Client.MemberIdAsync(dm.Id(), bob.Id);

        var attempts = new[]
        {
            await moderator.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = carol.Id }),
            await moderator.Client.DeleteAsync($"{Members}/{bobsMembership}"),
            await moderator.Client.PatchJsonAsync($"{Channels}/{dm.Id()}", new { custom_name = "Mod's" }),
            await moderator.Client.DeleteAsync($"{Channels}/{dm.Id()}"),
            await moderator.Client.GetAsync($"{Members}?channel_id={dm.Id()}"),
            await moderator.Client.GetAsync($"{Messages}?channel_id={dm.Id()}"),
        };

        foreach (var attempt in attempts)
        {
            ((int)attempt.StatusCode).ShouldBeOneOf([403, 404], await attempt.Content.ReadAsStringAsync());
            await attempt.ShouldBeProblemAsync((int)attempt.StatusCode);
        }
        var after = await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync();
        after["custom_name"].ShouldBeNull();
        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, bob.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task A_member_leaves_and_a_system_message_records_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var bobsMembership = await bob.Client.MemberIdAsync(dm.Id(), bob.Id);

        var left = await bob.Client.DeleteAsync($"{Members}/{bobsMembership}");

        ((int)left.StatusCode).ShouldBe(200);
        (await left.Content.ReadAsStringAsync()).ShouldBe("true");
        await (await bob.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await bob.Client.GetAsync($"{Members}/{bobsMembership}")).ShouldBeProblemAsync(404);
        var after = await alice.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync();
        after["member_count"]!.GetValue<int>().ShouldBe(2);
        (await alice.Client.MembersAsync(dm.Id())).UserIds().ShouldBe([alice.Id, carol.Id], ignoreOrder: true);
        var note = (await carol.Client.MessagesAsync(dm.Id())).SystemContents().ShouldHaveSingleItem();
        note.ShouldContain(bob.Name);
        note.ShouldContain("left");
    }

    [Fact]
    public async Task The_DMs_admin_removes_a_member_and_a_system_message_records_it()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var carol = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id, carol.Id);
        var carolsMembership = await alice.Client.MemberIdAsync(dm.Id(), carol.Id);

        (await (await alice.Client.DeleteAsync($"{Members}/{carolsMembership}")).Content.ReadAsStringAsync()).ShouldBe("true");

        await (await carol.Client.GetAsync($"{Channels}/{dm.Id()}")).ShouldBeProblemAsync(404);
        await (await carol.Client.GetAsync($"{Messages}?channel_id={dm.Id()}")).ShouldBeProblemAsync(404);
        (await bob.Client.GetAsync($"{Channels}/{dm.Id()}").OkJsonAsync())["member_count"]!.GetValue<int>().ShouldBe(2);
        var note = (await bob.Client.MessagesAsync(dm.Id())).SystemContents().ShouldHaveSingleItem();
        note.ShouldContain("removed");
        note.ShouldContain(carol.Name);
        note.ShouldContain(alice.Name);
        // Removing an unknown membership is a 404.
        await (await alice.Client.DeleteAsync($"{Members}/{carolsMembership}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_member_sets_their_notification_preference_and_status()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var bobsMembership = await bob.Client.MemberIdAsync(dm.Id(), bob.Id);

        var updated = await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}",
            new { notification_preference = "mentions", status = "hidden" }).OkJsonAsync();

        updated.Str("notification_preference").ShouldBe("mentions");
        updated.Str("status").ShouldBe("hidden");
        var fetched = await bob.Client.GetAsync($"{Members}/{bobsMembership}").OkJsonAsync();
        fetched.Str("notification_preference").ShouldBe("mentions");
        fetched.Str("status").ShouldBe("hidden");
        fetched.Str("channel_id").ShouldBe(dm.Id());
        fetched.Str("user_id").ShouldBe(bob.Id);

        // Only what is given changes.
        var partly = await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { status = "archived" }).OkJsonAsync();
        partly.Str("status").ShouldBe("archived");
        partly.Str("notification_preference").ShouldBe("mentions");
    }

    [Fact]
    public async Task An_unknown_notification_preference_or_status_is_a_400_naming_the_field()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var bobsMembership = await bob.Client.MemberIdAsync(dm.Id(), bob.Id);

        await (await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { notification_preference = "loud" }))
            .ShouldBeProblemAsync(400, "notification_preference");
        await (await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { status = "vanished" }))
            .ShouldBeProblemAsync(400, "status");
        // A number is no way round it: the body binds numbers to enums, and 7 and 9 name nothing.
        await (await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { status = 7 }))
            .ShouldBeProblemAsync(400, "status");
        await (await bob.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { notification_preference = 9 }))
            .ShouldBeProblemAsync(400, "notification_preference");

        var unchanged = await bob.Client.GetAsync($"{Members}/{bobsMembership}").OkJsonAsync();
        unchanged.Str("notification_preference").ShouldBe("all");
        unchanged.Str("status").ShouldBe("accepted");
    }

    [Fact]
    public async Task A_non_member_cannot_see_or_change_a_membership()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var eve = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);
        var bobsMembership = await bob.Client.MemberIdAsync(dm.Id(), bob.Id);

        await (await eve.Client.GetAsync($"{Members}/{bobsMembership}")).ShouldBeProblemAsync(404);
        await (await eve.Client.PatchJsonAsync($"{Members}/{bobsMembership}", new { status = "closed" })).ShouldBeProblemAsync(404);
        await (await eve.Client.DeleteAsync($"{Members}/{bobsMembership}")).ShouldBeProblemAsync(404);
        await (await eve.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = eve.Id })).ShouldBeProblemAsync(404);
        (await alice.Client.MembersAsync(dm.Id())).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Members_page_by_date_added_with_a_null_end_cursor_on_the_last_page()
    {
        var alice = await app.NewUserAsync();
        var users = await app.NewUserIdsAsync(4);
        var dm = await alice.Client.CreateDmAsync(users[0], users[1]);
        await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = users[2] }).OkJsonAsync();
        await alice.Client.PostJsonAsync(Members, new { channel_id = dm.Id(), user_id = users[3] }).OkJsonAsync();

        var seen = new List<JsonNode>();
        var pages = 0;
        string? after = null;
        do
        {
            var page = await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&first=2" + (after is null ? "" : $"&after={after}")).OkJsonAsync();
            pages++;
            var data = page["data"]!.AsArray();
            seen.AddRange(data.Select(m => m!));
            after = page["page_info"]!["end_cursor"]?.GetValue<string>();
            page["page_info"]!["has_next_page"]!.GetValue<bool>().ShouldBe(after is not null);
            if (pages < 3) data.Count.ShouldBe(2);
            pages.ShouldBeLessThanOrEqualTo(3, "five members in pages of two is three pages");
        } while (after is not null);

        pages.ShouldBe(3);
        var userIds = seen.Select(m => m.Str("user_id")).ToList();
        userIds.ShouldBe(userIds.Distinct().ToList());
        userIds.ShouldBe([alice.Id, users[0], users[1], users[2], users[3]], ignoreOrder: true);
        // By date added: the three founding members, then the two added, in the order they were added.
        userIds.Skip(3).ShouldBe([users[2], users[3]]);
        var added = seen.Select(m => DateTimeOffset.Parse(m.Str("created_at"))).ToList();
        added.ShouldBe(added.Order().ToList());
    }

    [Fact]
    public async Task Member_paging_refuses_a_bad_cursor_or_page_size_naming_the_parameter()
    {
        var alice = await app.NewUserAsync();
        var bob = await app.NewUserAsync();
        var dm = await alice.Client.CreateDmAsync(bob.Id);

        await (await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&after=not-a-cursor")).ShouldBeProblemAsync(400, "after");
        await (await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&first=0")).ShouldBeProblemAsync(400, "first");
        await (await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&first=101")).ShouldBeProblemAsync(400, "first");
        await (await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&first=abc")).ShouldBeProblemAsync(400, "first");
        await (await alice.Client.GetAsync($"{Members}")).ShouldBeProblemAsync(400, "channel_id");
        (await alice.Client.GetAsync($"{Members}?channel_id={dm.Id()}&first=100").OkJsonAsync())["data"]!.AsArray().Count.ShouldBe(2);
    }
}
