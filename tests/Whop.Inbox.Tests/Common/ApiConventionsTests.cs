using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.ApiKeys;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

[Collection(AppCollection.Name)]
public sealed class ApiConventionsTests(InboxApp app)
{
    [Fact]
    public async Task The_openapi_document_describes_every_resource()
    {
        var document = await app.CreateHttpClient().GetAsync("/openapi/v1.json").OkJsonAsync();
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var expected in new[]
                 {
                     "/api/v1/support_channels", "/api/v1/support_channels/{id}", "/api/v1/support_channels/{id}/resolve",
                     "/api/v1/dm_channels", "/api/v1/dm_channels/{id}", "/api/v1/dm_members", "/api/v1/dm_members/{id}",
                     "/api/v1/messages", "/api/v1/messages/{id}", "/api/v1/reactions", "/api/v1/reactions/{id}",
                     "/api/v1/users", "/api/v1/team_members", "/api/v1/access_tokens", "/api/v1/api_keys",
                 })
        {
            paths.ShouldContain(expected);
        }
    }
}

/// <summary>An app whose per-credential rate limit is tiny, so the limit is reached within one test.</summary>
public sealed class RateLimitedApp : InboxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:RateLimit:RequestsPerSecond", "1");
        builder.UseSetting("Inbox:RateLimit:Burst", "3");
    }
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task A_credential_over_its_limit_gets_429_with_retry_after_and_others_are_unaffected()
    {
        var key = app.Backend();
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++) statuses.Add((int)(await key.GetAsync("/api/v1/api_keys")).StatusCode);
        statuses.Take(3).ShouldAllBe(s => s == 200);
        statuses.ShouldContain(429);

        var limited = await key.GetAsync("/api/v1/api_keys");
        var body = await limited.ShouldBeProblemAsync(429);
        limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeGreaterThanOrEqualTo(1);
        body["error"]!["type"]!.GetValue<string>().ShouldBe("rate_limited");

        // Another credential has its own bucket (made by the app, as an admin would, so every instance knows it).
        var admin = new Actor(null, Credential.ApiKey, await app.CompanyIdAsync(), ApiKeyDirectory.BootstrapKeyId, new HashSet<string>());
        var other = await app.Services.GetRequiredService<ApiKeyService>().CreateAsync(admin, admin.CompanyId!, "another");
        ((int)(await app.WithBearer(other.Value!.Secret).GetAsync("/api/v1/api_keys")).StatusCode).ShouldBe(200);
    }
}
