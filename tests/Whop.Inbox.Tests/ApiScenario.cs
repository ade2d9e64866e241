using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests;

/// <summary>A user created through the API for one test, and a client acting as them.</summary>
public sealed record TestUser(string Id, string Username, string Name, HttpClient Client);

/// <summary>A second company on the same installation, with its own API key: what must never reach the first one's data.</summary>
public sealed record OtherCompany(string Id, string ApiKey, HttpClient Backend);

/// <summary>
/// Builds what API tests need through the API itself: users synced from "the embedding app", access
/// tokens acting as them. Every name is unique, so tests sharing one app do not see each other's rows.
/// </summary>
public static class ApiScenario
{
    /// <summary>A client with the bootstrap key: the default company's backend, with admin standing.</summary>
    public static HttpClient Backend(this InboxApp app) => app.WithBearer(InboxApp.BootstrapApiKey);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<InboxApp, Task<OtherCompany>> SecondCompanies = new();

    /// <summary>
    /// The app's second company (made once per app): created in the database as an operator would,
    /// with its first API key issued by the key service with that company's standing.
    /// </summary>
    public static Task<OtherCompany> SecondCompanyAsync(this InboxApp app) =>
        SecondCompanies.GetValue(app, a => NewCompanyAsync(a, "Second company"));

    public static async Task<OtherCompany> NewCompanyAsync(this InboxApp app, string name)
    {
        var company = new Company($"{name} {Guid.NewGuid():N}"[..(name.Length + 9)], DateTimeOffset.UtcNow);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync())
        {
            db.Companies.Add(company);
            await db.SaveChangesAsync();
        }
        var setup = new Actor(null, Credential.ApiKey, company.Id, "key_test_setup", new HashSet<string>());
        var created = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync(setup, company.Id, "Second company backend");
        created.Failure.ShouldBeNull();
        return new OtherCompany(company.Id, created.Value!.Secret, app.WithBearer(created.Value.Secret));
    }

    public static async Task<string> CompanyIdAsync(this InboxApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
    }

    /// <summary>A new user, and a client with an access token acting as them (all scopes unless given).</summary>
    public static async Task<TestUser> NewUserAsync(this InboxApp app, string role = "user", params string[] scopes)
    {
        var username = $"{role}-{Guid.NewGuid():N}"[..24];
        var name = $"{char.ToUpperInvariant(role[0])}{role[1..]} {username[^6..]}";
        // Set-up calls are many at once from one key in some tests: busy refusals are retried, as an SDK does.
        var created = await ApiClient.RetryingBusyAsync(() => app.Backend().PostJsonAsync("/api/v1/users", new { username, name }));
        ((int)created.StatusCode).ShouldBe(201, await created.Content.ReadAsStringAsync());
        var id = (await created.JsonAsync())["id"]!.GetValue<string>();
        return new TestUser(id, username, name, await app.ClientForAsync(id, scopes));
    }

    /// <summary>A new user on the default company's team, with a token acting as them.</summary>
    public static async Task<TestUser> NewTeamMemberAsync(this InboxApp app, string role, params string[] scopes)
    {
        var user = await app.NewUserAsync(role, scopes);
        var added = await ApiClient.RetryingBusyAsync(() => app.Backend().PostJsonAsync("/api/v1/team_members", new { user_id = user.Id, role }));
        ((int)added.StatusCode).ShouldBe(200, await added.Content.ReadAsStringAsync());
        return user;
    }

    public static async Task<HttpClient> ClientForAsync(this InboxApp app, string userId, params string[] scopes)
    {
        object body = scopes.Length == 0 ? new { user_id = userId } : new { user_id = userId, scoped_actions = scopes };
        var issued = await ApiClient.RetryingBusyAsync(() => app.Backend().PostJsonAsync("/api/v1/access_tokens", body));
        ((int)issued.StatusCode).ShouldBe(200, await issued.Content.ReadAsStringAsync());
        return app.WithBearer((await issued.JsonAsync())["token"]!.GetValue<string>());
    }

    /// <summary>Calls and asserts 200, returning the JSON body.</summary>
    public static async Task<JsonNode> OkJsonAsync(this Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeOneOf([200, 201], text);
        return JsonNode.Parse(text)!;
    }

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string path, object body) =>
        client.PatchAsync(path, System.Net.Http.Json.JsonContent.Create(body, options: new System.Text.Json.JsonSerializerOptions
        {
            PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        }));
}
