using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Team;

/// <summary>Two companies on one installation: each company's API key sees and changes only its own people and chats.</summary>
[Collection(AppCollection.Name)]
public sealed class CompanyIsolationTests(InboxApp app)
{
    [Fact]
    public async Task Another_companys_key_gets_404_for_a_user_by_id_or_username_and_never_their_email()
    {
        var second = await app.SecondCompanyAsync();
        var username = $"private-{Guid.NewGuid():N}"[..24];
        var user = await app.Backend().PostJsonAsync("/api/v1/users", new { username, name = "Private Person", email = $"{username}@example.com" })
            .OkJsonAsync();

        foreach (var reference in new[] { user.Id(), username, $"{username}@example.com" })
        {
            var response = await second.Backend.GetAsync($"/api/v1/users/{Uri.EscapeDataString(reference)}");
            var body = await response.ShouldBeProblemAsync(404);
            body.ToJsonString().ShouldNotContain("Private Person");
            body.ToJsonString().ShouldNotContain(user.Id() == reference ? username : user.Id());
        }
        // Its own company still sees it, email included.
        (await app.Backend().GetAsync($"/api/v1/users/{user.Id()}").OkJsonAsync())["email"]!.GetValue<string>().ShouldBe($"{username}@example.com");
    }

    [Fact]
    public async Task Another_companys_key_cannot_rename_or_re_email_a_user_by_username()
    {
        var second = await app.SecondCompanyAsync();
        var username = $"victim-{Guid.NewGuid():N}"[..24];
        var user = await app.Backend().PostJsonAsync("/api/v1/users", new { username, name = "Victim", email = "victim@example.com" }).OkJsonAsync();

        await (await second.Backend.PostJsonAsync("/api/v1/users", new { username, name = "Mallory", email = "mallory@evil.example" }))
            .ShouldBeProblemAsync(422, "username");
        // Nor through an external id of its own that points at the same username.
        await (await second.Backend.PostJsonAsync("/api/v1/users", new { external_id = "42", username, name = "Mallory" }))
            .ShouldBeProblemAsync(422, "username");

        var unchanged = await app.Backend().GetAsync($"/api/v1/users/{user.Id()}").OkJsonAsync();
        unchanged["name"]!.GetValue<string>().ShouldBe("Victim");
        unchanged["email"]!.GetValue<string>().ShouldBe("victim@example.com");
        unchanged["username"]!.GetValue<string>().ShouldBe(username);
    }

    [Fact]
    public async Task External_ids_are_per_company_and_each_company_sees_the_users_it_synced()
    {
        var second = await app.SecondCompanyAsync();
        var externalId = Guid.NewGuid().ToString("N");
        var ours = await app.Backend().PostJsonAsync("/api/v1/users", new { external_id = externalId, username = $"a-{externalId[..12]}" }).OkJsonAsync();
        var theirs = await second.Backend.PostJsonAsync("/api/v1/users", new { external_id = externalId, username = $"b-{externalId[..12]}" }).OkJsonAsync();

        theirs.Id().ShouldNotBe(ours.Id());
        (await second.Backend.GetAsync($"/api/v1/users/{theirs.Id()}").OkJsonAsync())["external_id"]!.GetValue<string>().ShouldBe(externalId);
        await (await second.Backend.GetAsync($"/api/v1/users/{ours.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().GetAsync($"/api/v1/users/{theirs.Id()}")).ShouldBeProblemAsync(404);
        // Syncing again by username finds its own user and updates it.
        var renamed = await second.Backend.PostJsonAsync("/api/v1/users", new { username = $"b-{externalId[..12]}", name = "Renamed" }).OkJsonAsync();
        renamed.Id().ShouldBe(theirs.Id());
    }

    [Fact]
    public async Task A_company_reaches_only_its_own_people_when_opening_chats_DMs_or_adding_to_its_team()
    {
        var second = await app.SecondCompanyAsync();
        var shared = await second.Backend.PostJsonAsync("/api/v1/users", new { username = $"shared-{Guid.NewGuid():N}"[..24] }).OkJsonAsync();
        // The default company knows nothing of the second company's user: it cannot read them or open a chat for them.
        await (await app.Backend().GetAsync($"/api/v1/users/{shared.Id()}")).ShouldBeProblemAsync(404);
        await (await app.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = await app.CompanyIdAsync(), user_id = shared.Id() }))
            .ShouldBeProblemAsync(404);

        // Maya is on the default company's team: the second company does not see her, nor can it add her to its own team or a DM.
        await (await second.Backend.GetAsync("/api/v1/users/maya")).ShouldBeProblemAsync(404);
        await (await second.Backend.PostJsonAsync("/api/v1/team_members", new { user_id = "maya", role = "admin" })).ShouldBeProblemAsync(404);
        await (await second.Backend.PostJsonAsync("/api/v1/dm_channels", new { with_user_ids = new[] { "maya", shared.Id() } })).ShouldBeProblemAsync(404);

        // Once the second company opens a chat for its own user, that user stays visible to it.
        var chat = await second.Backend.PostJsonAsync("/api/v1/support_channels", new { company_id = second.Id, user_id = shared.Id() }).OkJsonAsync();
        chat["company_id"]!.GetValue<string>().ShouldBe(second.Id);
        (await second.Backend.GetAsync($"/api/v1/users/{shared.Id()}").OkJsonAsync()).Id().ShouldBe(shared.Id());
    }

    [Fact]
    public async Task A_user_nobody_has_claimed_belongs_to_the_default_company_only()
    {
        var second = await app.SecondCompanyAsync();
        var username = $"loose-{Guid.NewGuid():N}"[..22];
        // Made outside the API (as the demo data and older versions made users): no company claims them.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync())
        {
            db.Users.Add(new User(username, "Loose Person", null, DateTimeOffset.UtcNow) { NormalizedUserName = username.ToUpperInvariant() });
            await db.SaveChangesAsync();
        }

        (await app.Backend().GetAsync($"/api/v1/users/{username}").OkJsonAsync())["name"]!.GetValue<string>().ShouldBe("Loose Person");
        await (await second.Backend.GetAsync($"/api/v1/users/{username}")).ShouldBeProblemAsync(404);
        await (await second.Backend.PostJsonAsync("/api/v1/support_channels", new { company_id = second.Id, user_id = username })).ShouldBeProblemAsync(404);
        // Once the default company opens a chat for them they are its customer, still not the second company's.
        await app.Backend().PostJsonAsync("/api/v1/support_channels", new { company_id = await app.CompanyIdAsync(), user_id = username }).OkJsonAsync();
        await (await second.Backend.GetAsync($"/api/v1/users/{username}")).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task Another_companys_key_cannot_read_or_write_the_first_companys_chats_over_the_API_or_the_hub()
    {
        var second = await app.SecondCompanyAsync();
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        await (await second.Backend.GetAsync($"/api/v1/support_channels/{chat}")).ShouldBeProblemAsync(404);
        await (await second.Backend.GetAsync($"/api/v1/messages?channel_id={chat}")).ShouldBeProblemAsync(404);
        await (await second.Backend.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "hello from elsewhere" })).ShouldBeProblemAsync(404);
        await (await second.Backend.GetAsync($"/api/v1/support_channels?view=admin&company_id={await app.CompanyIdAsync()}")).ShouldBeProblemAsync(403);

        using var hub = await RawHubConnection.OpenAsync(app, second.ApiKey);
        await hub.InvokeAsync("1", "Subscribe", chat, null);
        await hub.InvokeAsync("2", "SubscribeInbox", await app.CompanyIdAsync());
        await hub.InvokeAsync("3", "SendMessage", new System.Text.Json.Nodes.JsonObject { ["channel_id"] = chat, ["content"] = "hi" });
        var errors = await hub.CompletionErrorsAsync(3);
        errors["1"].ShouldNotBeNull().ShouldContain("not_found:");
        errors["2"].ShouldNotBeNull().ShouldContain("forbidden:");
        errors["3"].ShouldNotBeNull().ShouldContain("not_found:");
    }
}
