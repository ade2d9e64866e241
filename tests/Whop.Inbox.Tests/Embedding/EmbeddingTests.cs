using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Whop.Inbox.Audit;
using Whop.Inbox.Common;
using Whop.Inbox.Data;
using Whop.Inbox.Embedding;
using Whop.Inbox.Identity;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Embedding;

/// <summary>Which sites may frame the elements, who says so, and which tokens the elements accept.</summary>
[Collection(AppCollection.Name)]
public sealed class EmbeddingTests(InboxApp app)
{
    private const string Shop = "https://shop.example.com";

    [Fact]
    public async Task The_elements_may_be_framed_only_by_the_companys_allowed_origins()
    {
        var company = await app.CompanyIdAsync();
        await SetOriginsAsync(company, Shop, "http://127.0.0.1:5001");
        var browser = app.CreateHttpClient();

        foreach (var path in new[] { $"/embed/chat?company={company}&host={Shop}", $"/embed/dms?company={company}&host={Shop}" })
        {
            var page = await browser.GetAsync(path);
            page.IsSuccessStatusCode.ShouldBeTrue(path);
            page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors https://shop.example.com http://127.0.0.1:5001"));
            // No SAMEORIGIN beside it: browsers that know only X-Frame-Options would refuse the allowed sites.
            page.Headers.Contains("X-Frame-Options").ShouldBeFalse(path);
        }

        // A chat element given only a conversation: its company decides.
        var dm = await DmOfCompanyAsync(company);
        (await browser.GetAsync($"/embed/chat?channel={dm}&host={Shop}")).Headers.GetValues("Content-Security-Policy").Single()
            .ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors https://shop.example.com http://127.0.0.1:5001"));
    }

    [Theory]
    [InlineData("/embed/chat?company=biz_unknown00000000000&host=https://shop.example.com")]
    [InlineData("/embed/dms?host=https://shop.example.com")]
    [InlineData("/embed/chat?channel=feed_unknown0000000000")]
    public async Task An_element_of_no_known_company_may_not_be_framed_at_all(string path)
    {
        var page = await app.CreateHttpClient().GetAsync(path);
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors 'none'"));
    }

    [Fact]
    public async Task A_company_that_allows_no_site_cannot_be_framed()
    {
        var company = await app.CompanyIdAsync();
        await SetOriginsAsync(company);
        var page = await app.CreateHttpClient().GetAsync($"/embed/dms?company={company}&host={Shop}");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors 'none'"));
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/messages")]
    [InlineData("/healthz")]
    [InlineData("/api/v1/support_channels")]
    public async Task The_apps_own_pages_cannot_be_framed(string path)
    {
        var response = await app.CreateHttpClient().GetAsync(path);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors 'none'"));
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
    }

    [Fact]
    public async Task Admins_set_the_allowed_origins_normalised_and_audited()
    {
        var company = await app.CompanyIdAsync();
        var saved = await app.Backend().PutAsJsonAsync($"/api/v1/companies/{company}/embed_origins",
            new { origins = new[] { "HTTPS://Shop.Example.com:443/", "http://localhost:3000", "https://shop.example.com" } }).OkJsonAsync();
        saved["company_id"]!.GetValue<string>().ShouldBe(company);
        saved["origins"]!.AsArray().Select(o => o!.GetValue<string>()).ShouldBe(["https://shop.example.com", "http://localhost:3000"]);

        var read = await app.Backend().GetAsync($"/api/v1/companies/{company}/embed_origins").OkJsonAsync();
        read["origins"]!.AsArray().Count.ShouldBe(2);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.Where(e => e.CompanyId == company && e.Action == AuditActions.EmbedOriginsChanged)
            .OrderByDescending(e => e.CreatedAt).FirstAsync();
        audited.Detail.ShouldBe("https://shop.example.com http://localhost:3000");
    }

    [Theory]
    [InlineData("""{"origins":["not an origin"]}""", "origins[0]")]
    [InlineData("""{"origins":["https://ok.example.com","https://shop.example.com/path"]}""", "origins[1]")]
    [InlineData("""{"origins":["https://*.example.com"]}""", "origins[0]")]
    [InlineData("""{"origins":["ftp://files.example.com"]}""", "origins[0]")]
    [InlineData("""{"origins":[""]}""", "origins[0]")]
    [InlineData("""{}""", "origins")]
    public async Task A_bad_origin_is_refused_naming_it(string body, string field)
    {
        var company = await app.CompanyIdAsync();
        var response = await app.Backend().PutAsync($"/api/v1/companies/{company}/embed_origins",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.ShouldBeProblemAsync(400, field);
    }

    [Fact]
    public async Task Too_many_origins_are_refused()
    {
        var company = await app.CompanyIdAsync();
        var origins = Enumerable.Range(1, EmbedOrigin.MaxOrigins + 1).Select(i => $"https://site{i}.example.com").ToArray();
        var response = await app.Backend().PutAsJsonAsync($"/api/v1/companies/{company}/embed_origins", new { origins });
        await response.ShouldBeProblemAsync(400, "origins");
    }

    [Fact]
    public async Task People_and_tokens_other_than_admins_cannot_see_or_change_the_origins()
    {
        var company = await app.CompanyIdAsync();
        var moderator = await app.NewTeamMemberAsync("moderator");
        var customer = await app.NewUserAsync("customer");
        foreach (var client in new[] { moderator.Client, customer.Client })
        {
            await (await client.GetAsync($"/api/v1/companies/{company}/embed_origins")).ShouldBeProblemAsync(403);
            await (await client.PutAsJsonAsync($"/api/v1/companies/{company}/embed_origins", new { origins = new[] { "https://evil.example.com" } }))
                .ShouldBeProblemAsync(403);
        }
        // Even an admin's access token: company settings are never open to tokens.
        var admin = await app.NewTeamMemberAsync("admin");
        await (await admin.Client.GetAsync($"/api/v1/companies/{company}/embed_origins")).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task An_element_accepts_a_live_access_token_and_learns_whom_it_acts_for()
    {
        var customer = await app.NewUserAsync("customer");
        var token = await TokenAsync(customer.Id);
        var read = await app.Services.GetRequiredService<EmbedCredentials>().ReadAsync(token);
        read.Failure.ShouldBeNull();
        read.Value!.UserId.ShouldBe(customer.Id);
        read.Value.CompanyId.ShouldBe(await app.CompanyIdAsync());
        read.Value.ExpiresAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_element_refuses_an_expired_token()
    {
        var customer = await app.NewUserAsync("customer");
        var token = await TokenAsync(customer.Id);
        // The same reading two hours on: the token (one hour by default) has expired.
        var later = new EmbedCredentials(new AccessTokenService(app.Services.GetRequiredService<InboxRights>(),
            app.Services.GetRequiredService<KnownUsers>(), app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>(),
            new ShiftedClock(TimeSpan.FromHours(2))));
        var read = await later.ReadAsync(token);
        read.Failure!.Field.ShouldBe("token");
        read.Failure.Message.ShouldContain("expired");
    }

    [Fact]
    public async Task The_API_and_the_elements_refuse_a_token_once_it_expires()
    {
        var customer = await app.NewUserAsync("customer");
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var token = (await app.Backend().PostJsonAsync("/api/v1/access_tokens", new { user_id = customer.Id, expires_at = expiresAt }).OkJsonAsync())
            ["token"]!.GetValue<string>();
        var elements = app.Services.GetRequiredService<EmbedCredentials>();
        (await elements.ReadAsync(token)).Failure.ShouldBeNull();
        (await app.WithBearer(token).GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));
        (await app.WithBearer(token).GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await elements.ReadAsync(token)).Failure!.Message.ShouldContain("expired");
    }

    /// <summary>
    /// Users are never deleted by the app, so an instance that has seen a user remembers that they exist
    /// (a token's requests need no database round trip to tell who they are); one that has not seen them
    /// (another instance, or this one after a restart) checks, and refuses a user deleted behind its back.
    /// </summary>
    [Fact]
    public async Task A_token_whose_user_was_deleted_behind_the_apps_back_is_refused_where_the_user_is_not_remembered()
    {
        var customer = await app.NewUserAsync("customer");
        var token = await TokenAsync(customer.Id);
        (await app.WithBearer(token).GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var contexts = app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        await using (var db = await contexts.CreateDbContextAsync())
            await db.Users.Where(u => u.Id == customer.Id).ExecuteDeleteAsync();

        var fresh = new EmbedCredentials(new AccessTokenService(app.Services.GetRequiredService<InboxRights>(), new KnownUsers(contexts),
            app.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>(), TimeProvider.System));
        (await fresh.ReadAsync(token)).Failure!.Message.ShouldContain("no longer exists");
    }

    [Fact]
    public async Task A_change_to_the_origins_reaches_the_framing_header_at_once()
    {
        var company = await app.CompanyIdAsync();
        await SetOriginsAsync(company, Shop);
        var browser = app.CreateHttpClient();
        var path = $"/embed/dms?company={company}&host={Shop}";
        (await browser.GetAsync(path)).Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith($"frame-ancestors {Shop}"));

        // The header's origins are cached for a while; a change made through the settings is not kept waiting.
        await SetOriginsAsync(company, "https://other.example.com");
        (await browser.GetAsync(path)).Headers.GetValues("Content-Security-Policy").Single().ShouldBe(SecurityHeaders.ContentSecurityPolicyWith("frame-ancestors https://other.example.com"));
    }

    [Theory]
    [InlineData("https://Bücher.Example", "https://xn--bcher-kva.example")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    [InlineData("HTTPS://Shop.Example.com:443/", "https://shop.example.com")]
    [InlineData("http://127.0.0.1:5001", "http://127.0.0.1:5001")]
    public void An_origin_is_written_as_browsers_send_it(string given, string expected) =>
        EmbedOrigin.Parse(given, "origin").Value.ShouldBe(expected);

    [Fact]
    public async Task The_circuits_WebSocket_is_never_compressed_so_framing_by_other_origins_is_safe()
    {
        var negotiated = await (await app.CreateHttpClient().PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).JsonAsync();
        using var socket = new ClientWebSocket();
        // Offer compression, as browsers do; the server must decline it.
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        var address = new UriBuilder(app.BaseAddress)
        {
            Scheme = "ws", Path = "/_blazor", Query = $"id={negotiated["connectionToken"]!.GetValue<string>()}",
        };
        await socket.ConnectAsync(address.Uri, CancellationToken.None);

        socket.HttpStatusCode.ShouldBe(HttpStatusCode.SwitchingProtocols);
        var extensions = socket.HttpResponseHeaders?.GetValueOrDefault("Sec-WebSocket-Extensions") ?? [];
        extensions.ShouldNotContain(e => e.Contains("permessage-deflate"));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData(InboxApp.BootstrapApiKey)]
    public async Task An_element_refuses_what_is_not_an_access_token(string? token)
    {
        var read = await app.Services.GetRequiredService<EmbedCredentials>().ReadAsync(token);
        read.Failure.ShouldNotBeNull();
        read.Failure.Field.ShouldBe("token");
    }

    [Fact]
    public async Task An_element_refuses_a_tampered_token()
    {
        var customer = await app.NewUserAsync("customer");
        var token = await TokenAsync(customer.Id);
        var tampered = token[..^4] + (token[^4] == 'A' ? 'B' : 'A') + token[^3..];
        (await app.Services.GetRequiredService<EmbedCredentials>().ReadAsync(tampered)).Failure.ShouldNotBeNull();
    }

    private async Task<string> TokenAsync(string userId) =>
        (await app.Backend().PostJsonAsync("/api/v1/access_tokens", new { user_id = userId }).OkJsonAsync())["token"]!.GetValue<string>();

    private async Task SetOriginsAsync(string company, params string[] origins) =>
        await app.Backend().PutAsJsonAsync($"/api/v1/companies/{company}/embed_origins", new { origins }).OkJsonAsync();

    private async Task<string> DmOfCompanyAsync(string company)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Channels.Where(c => c.CompanyId == company && c.Kind == Whop.Inbox.Messaging.ChannelKind.Dm).Select(c => c.Id).FirstAsync();
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + shift;
    }
}
