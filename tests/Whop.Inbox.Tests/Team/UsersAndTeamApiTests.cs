using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Audit;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Team;

[Collection(AppCollection.Name)]
public sealed class UsersAndTeamApiTests(InboxApp app)
{
    [Fact]
    public async Task Syncing_a_user_is_idempotent_on_the_external_id_and_updates_the_profile()
    {
        var externalId = Guid.NewGuid().ToString("N");
        var username = $"sync-{externalId[..10]}";
        var created = await app.Backend().PostJsonAsync("/api/v1/users", new { external_id = externalId, username, name = "First Name" });
        ((int)created.StatusCode).ShouldBe(201);
        var user = await created.JsonAsync();

        var again = await app.Backend().PostJsonAsync("/api/v1/users",
            new { external_id = externalId, username = username + "-renamed", name = "Second Name", email = "x@example.com" }).OkJsonAsync();
        again.Id().ShouldBe(user.Id());
        again["name"]!.GetValue<string>().ShouldBe("Second Name");
        again["username"]!.GetValue<string>().ShouldBe(username + "-renamed");
        again["external_id"]!.GetValue<string>().ShouldBe(externalId);
    }

    [Fact]
    public async Task Syncing_without_an_external_id_is_idempotent_on_the_username()
    {
        var username = $"plain-{Guid.NewGuid():N}"[..20];
        var first = await app.Backend().PostJsonAsync("/api/v1/users", new { username }).OkJsonAsync();
        var second = await app.Backend().PostJsonAsync("/api/v1/users", new { username, name = "Now Named" }).OkJsonAsync();
        second.Id().ShouldBe(first.Id());
        first["name"]!.GetValue<string>().ShouldBe(username);
    }

    [Fact]
    public async Task Bad_user_input_is_refused_naming_the_field_and_a_taken_username_is_422()
    {
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { name = "No username" })).ShouldBeProblemAsync(400, "username");
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { username = "has spaces" })).ShouldBeProblemAsync(400, "username");
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { username = "okname", email = "not-an-email" })).ShouldBeProblemAsync(400, "email");
        await (await app.Backend().PostJsonAsync("/api/v1/users", new { external_id = Guid.NewGuid().ToString(), username = "alice" }))
            .ShouldBeProblemAsync(422, "username");
    }

    [Fact]
    public async Task Customers_and_moderators_cannot_sync_users_or_manage_the_team()
    {
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        foreach (var client in new[] { customer.Client, moderator.Client })
        {
            await (await client.PostJsonAsync("/api/v1/users", new { username = "sneaky" })).ShouldBeProblemAsync(403);
            await (await client.GetAsync("/api/v1/team_members")).ShouldBeProblemAsync(403);
            await (await client.PostJsonAsync("/api/v1/team_members", new { user_id = customer.Id, role = "admin" })).ShouldBeProblemAsync(403);
        }
    }

    [Fact]
    public async Task An_admin_adds_promotes_and_removes_a_team_member_and_each_change_is_audited()
    {
        var person = await app.NewUserAsync("hire");
        var added = await app.Backend().PostJsonAsync("/api/v1/team_members", new { user_id = person.Username, role = "moderator" }).OkJsonAsync();
        added["role"]!.GetValue<string>().ShouldBe("moderator");
        added["user"]!["id"]!.GetValue<string>().ShouldBe(person.Id);

        // Now on the team, their token lists the inbox.
        ((int)(await person.Client.GetAsync("/api/v1/support_channels?view=admin")).StatusCode).ShouldBe(200);

        var promoted = await app.Backend().PatchJsonAsync($"/api/v1/team_members/{added.Id()}", new { role = "admin" }).OkJsonAsync();
        promoted["role"]!.GetValue<string>().ShouldBe("admin");
        var list = await app.Backend().GetAsync("/api/v1/team_members").OkJsonAsync();
        list["data"]!.AsArray().ShouldContain(m => m!["id"]!.GetValue<string>() == added.Id() && m["role"]!.GetValue<string>() == "admin");

        (await (await app.Backend().DeleteAsync($"/api/v1/team_members/{added.Id()}")).Content.ReadAsStringAsync()).ShouldBe("true");
        await (await person.Client.GetAsync("/api/v1/support_channels?view=admin")).ShouldBeProblemAsync(403);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var trail = await db.AuditEntries.Where(e => e.TargetUserId == person.Id).OrderBy(e => e.CreatedAt).Select(e => e.Action).ToListAsync();
        // The first entry is the company's app creating the user (what makes them its user).
        trail.ShouldBe([AuditActions.UserSynced, AuditActions.TeamMemberAdded, AuditActions.TeamRoleChanged, AuditActions.TeamMemberRemoved]);
    }

    [Fact]
    public async Task A_role_must_be_admin_or_moderator()
    {
        var person = await app.NewUserAsync("hire");
        await (await app.Backend().PostJsonAsync("/api/v1/team_members", new { user_id = person.Id })).ShouldBeProblemAsync(400, "role");
        await (await app.Backend().PostRawJsonAsync("/api/v1/team_members", $$"""{"user_id": "{{person.Id}}", "role": "owner"}"""))
            .ShouldBeProblemAsync(400, "role");
    }

    [Fact]
    public async Task The_last_admin_cannot_be_demoted_or_removed()
    {
        // A company of its own with a single admin, reached through that admin's own token.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var company = new Whop.Inbox.Team.Company("Solo company", DateTimeOffset.UtcNow);
        var admin = await app.NewUserAsync("solo");
        db.Companies.Add(company);
        var seat = new Whop.Inbox.Team.TeamMember(company.Id, admin.Id, Whop.Inbox.Team.TeamRole.Admin, DateTimeOffset.UtcNow);
        db.TeamMembers.Add(seat);
        await db.SaveChangesAsync();

        var session = await CompanyKeyOfAsync(admin.Id);
        await (await session.PatchJsonAsync($"/api/v1/team_members/{seat.Id}", new { role = "moderator" })).ShouldBeProblemAsync(422, "role");
        await (await session.DeleteAsync($"/api/v1/team_members/{seat.Id}")).ShouldBeProblemAsync(422);
    }

    [Fact]
    public async Task Another_companys_team_member_is_not_found()
    {
        var customer = await app.NewUserAsync("customer");
        await (await customer.Client.PatchJsonAsync("/api/v1/team_members/tm_doesnotexist000000", new { role = "admin" })).ShouldBeProblemAsync(404);
    }

    /// <summary>
    /// Team management is for admins in the browser or through API keys (never access tokens), so a
    /// key of the user's company stands in for them.
    /// </summary>
    private async Task<HttpClient> CompanyKeyOfAsync(string userId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var companyId = await db.TeamMembers.Where(m => m.UserId == userId).Select(m => m.CompanyId).SingleAsync();
        // Made by the app (as the admin would on the API keys page), so every instance knows it.
        var admin = new Whop.Inbox.Identity.Rights.Actor(userId, Whop.Inbox.Identity.Rights.Credential.Session, null, null, new HashSet<string>());
        var created = await app.Services.GetRequiredService<Whop.Inbox.Identity.ApiKeys.ApiKeyService>().CreateAsync(admin, companyId, "solo");
        return app.WithBearer(created.Value!.Secret);
    }
}
