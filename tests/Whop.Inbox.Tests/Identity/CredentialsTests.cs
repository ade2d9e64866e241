using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Identity;

[Collection(AppCollection.Name)]
public sealed class CredentialsTests(InboxApp app)
{
    private const string KeysPath = "/api/v1/api_keys";

    [Fact]
    public async Task A_call_without_a_credential_gets_401_problem_details()
    {
        var response = await app.WithBearer(null).GetAsync(KeysPath);
        await response.ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task An_unknown_api_key_gets_401()
    {
        var response = await app.WithBearer("whk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB").GetAsync(KeysPath);
        await response.ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task A_garbage_bearer_credential_gets_401()
    {
        var response = await app.WithBearer("not-a-token").GetAsync(KeysPath);
        await response.ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task The_bootstrap_key_creates_an_api_key_that_works_until_it_is_revoked()
    {
        var admin = app.WithBearer(InboxApp.BootstrapApiKey);
        var created = await admin.PostJsonAsync(KeysPath, new { name = "Billing backend" });
        ((int)created.StatusCode).ShouldBe(201);
        var key = await created.JsonAsync();
        var secret = key["secret"]!.GetValue<string>();
        secret.ShouldStartWith("whk_");
        key["prefix"]!.GetValue<string>().ShouldBe(secret[..16]);

        var withKey = app.WithBearer(secret);
        var list = await (await withKey.GetAsync(KeysPath)).JsonAsync();
        var listed = list["data"]!.AsArray().Single(k => k!["id"]!.GetValue<string>() == key["id"]!.GetValue<string>())!;
        listed["secret"].ShouldBeNull();
        listed["last_used_at"].ShouldNotBeNull();

        var revoke = await admin.DeleteAsync($"{KeysPath}/{key["id"]}");
        ((int)revoke.StatusCode).ShouldBe(200);
        (await revoke.Content.ReadAsStringAsync()).ShouldBe("true");

        await (await withKey.GetAsync(KeysPath)).ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task Only_the_hash_of_an_api_key_is_stored()
    {
        var created = await (await app.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync(KeysPath, new { name = "Hash check" })).JsonAsync();
        var secret = created["secret"]!.GetValue<string>();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == created["id"]!.GetValue<string>());
        stored.SecretHash.Length.ShouldBe(32);
        System.Text.Encoding.UTF8.GetString(stored.SecretHash).ShouldNotContain(secret[16..]);
        stored.Matches(secret).ShouldBeTrue();
    }

    [Fact]
    public async Task An_api_key_needs_a_name()
    {
        var response = await app.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync(KeysPath, new { name = "  " });
        await response.ShouldBeProblemAsync(400, "name");
    }

    [Fact]
    public async Task An_access_token_acts_as_its_user_within_its_scopes()
    {
        var maya = await DemoUserIdAsync("maya");
        var issued = await app.WithBearer(InboxApp.BootstrapApiKey)
            .PostJsonAsync("/api/v1/access_tokens", new { user_id = maya, scoped_actions = new[] { Scopes.SupportChatRead } });
        ((int)issued.StatusCode).ShouldBe(200);
        var body = await issued.JsonAsync();
        var expiresAt = DateTimeOffset.Parse(body["expires_at"]!.GetValue<string>());
        expiresAt.ShouldBeInRange(DateTimeOffset.UtcNow.AddMinutes(55), DateTimeOffset.UtcNow.AddMinutes(61));

        // Authenticated (not 401), but API keys are an admin matter: 403.
        var withToken = app.WithBearer(body["token"]!.GetValue<string>());
        await (await withToken.GetAsync(KeysPath)).ShouldBeProblemAsync(403);
        // A token cannot mint tokens either.
        await (await withToken.PostJsonAsync("/api/v1/access_tokens", new { user_id = maya })).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task An_access_token_lives_at_most_three_hours()
    {
        var maya = await DemoUserIdAsync("maya");
        var response = await app.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync("/api/v1/access_tokens",
            new { user_id = maya, expires_at = DateTimeOffset.UtcNow.AddHours(3).AddMinutes(5) });
        await response.ShouldBeProblemAsync(400, "expires_at");
    }

    [Fact]
    public async Task An_access_token_request_with_an_unknown_scope_is_refused_naming_the_field()
    {
        var maya = await DemoUserIdAsync("maya");
        var response = await app.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync("/api/v1/access_tokens",
            new { user_id = maya, scoped_actions = new[] { "everything:please" } });
        await response.ShouldBeProblemAsync(400, "scoped_actions");
    }

    [Fact]
    public async Task An_access_token_for_an_unknown_user_is_404()
    {
        var response = await app.WithBearer(InboxApp.BootstrapApiKey).PostJsonAsync("/api/v1/access_tokens", new { user_id = "user_doesnotexist000000" });
        await response.ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task A_wrongly_typed_field_is_a_400_naming_it()
    {
        var response = await app.WithBearer(InboxApp.BootstrapApiKey).PostRawJsonAsync("/api/v1/access_tokens", """{"user_id": "x", "expires_at": 12}""");
        await response.ShouldBeProblemAsync(400, "expires_at");
    }

    [Fact]
    public async Task An_expired_access_token_gets_401()
    {
        // A token made by the app's own protector, as the app would have issued it two hours ago.
        var protector = app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(AccessTokenService.Scheme).BearerTokenProtector;
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, await DemoUserIdAsync("maya")),
            new Claim(InboxClaims.Credential, InboxClaims.AccessTokenCredential)], AccessTokenService.Scheme);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity),
            new AuthenticationProperties { IssuedUtc = DateTimeOffset.UtcNow.AddHours(-2), ExpiresUtc = DateTimeOffset.UtcNow.AddHours(-1) },
            AccessTokenService.Scheme);

        var response = await app.WithBearer(protector.Protect(ticket)).GetAsync(KeysPath);
        await response.ShouldBeProblemAsync(401);
    }

    [Fact]
    public async Task A_tampered_access_token_gets_401()
    {
        var issued = await (await app.WithBearer(InboxApp.BootstrapApiKey)
            .PostJsonAsync("/api/v1/access_tokens", new { user_id = await DemoUserIdAsync("alice") })).JsonAsync();
        var token = issued["token"]!.GetValue<string>();
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        await (await app.WithBearer(tampered).GetAsync(KeysPath)).ShouldBeProblemAsync(401);
    }

    private async Task<string> DemoUserIdAsync(string userName)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync();
    }
}
