using System.Net;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Common;
using Whop.Inbox.Tests.Data;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Admission;

/// <summary>
/// Who a request is, and whether its credential has allowance left, is known without the database:
/// a credential that was never valid costs no database work, and one over its allowance is refused
/// before anything waits for the database.
/// </summary>
public sealed class CredentialsFromMemoryTests(StatementCountingApp app) : IClassFixture<StatementCountingApp>
{
    [Theory]
    [InlineData("whk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")] // shaped like one of our keys
    [InlineData("not-a-credential-at-all")]                            // read as an access token
    [InlineData("CfDJ8forged.token.that.does.not.unprotect")]
    public async Task A_credential_that_was_never_valid_is_refused_without_a_statement(string credential)
    {
        var refused = await app.WithBearer(credential).GetAsync("/api/v1/dm_channels");

        await refused.ShouldBeProblemAsync(401);
        StatementsOf(refused).ShouldBe(0);
    }

    [Fact]
    public async Task A_known_API_key_and_a_known_access_tokens_user_cost_no_statement_to_recognise()
    {
        var key = await app.Backend().PostJsonAsync("/api/v1/api_keys", new { name = "memory" }).OkJsonAsync();
        var customer = await app.NewUserAsync("customer");
        (await customer.Client.GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The statement diagnostics endpoint reads nothing but the credential: what it costs is what recognising it costs.
        var byKey = await app.WithBearer(key["secret"]!.GetValue<string>()).GetAsync(StatementCounting.Path);
        byKey.StatusCode.ShouldBe(HttpStatusCode.OK);
        StatementsOf(byKey).ShouldBe(0);
        var byToken = await customer.Client.GetAsync(StatementCounting.Path);
        byToken.StatusCode.ShouldBe(HttpStatusCode.Forbidden); // only keys may read it, but the token was recognised
        StatementsOf(byToken).ShouldBe(0);
    }

    private static int StatementsOf(HttpResponseMessage response) =>
        int.Parse(response.Headers.GetValues(StatementCounting.Header).Single());
}

/// <summary>Allowances per credential.</summary>
public sealed class AllowanceTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task A_flooding_credential_gets_429_while_another_credentials_requests_succeed()
    {
        var flooder = await app.NewUserAsync("customer");
        var other = await app.NewUserAsync("customer");

        var flood = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => flooder.Client.GetAsync("/api/v1/dm_channels")));
        var others = new List<HttpResponseMessage>();
        for (var i = 0; i < StrictLimitsApp.Burst; i++) others.Add(await other.Client.GetAsync("/api/v1/dm_channels"));

        var refused = flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        // The burst, and at most a token or two that came back while the flood was on its way.
        refused.Count.ShouldBeGreaterThanOrEqualTo(40 - StrictLimitsApp.Burst - 2);
        flood.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK || r.StatusCode == HttpStatusCode.TooManyRequests);
        refused.ShouldAllBe(r => r.Headers.RetryAfter != null);
        await refused[0].ShouldBeProblemAsync(429);
        others.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK, "the other credential has its own allowance");
    }
}

/// <summary>Requests without a valid credential are counted by address (an app of their own: the setup's keys have a small allowance too).</summary>
public sealed class AddressAllowanceTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task Requests_without_a_valid_credential_are_limited_per_address_and_a_valid_credential_from_it_still_answers()
    {
        var customer = await app.NewUserAsync("customer");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            app.WithBearer($"whk_{i:D12}_{new string('x', 32)}").GetAsync("/api/v1/dm_channels")));

        answers.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).ShouldBeLessThanOrEqualTo(StrictLimitsApp.Burst + 2);
        answers.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBeGreaterThanOrEqualTo(20 - StrictLimitsApp.Burst - 2);
        (await customer.Client.GetAsync("/api/v1/dm_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

/// <summary>
/// Credentials known from memory are still dropped at once: a revoked key and a removed team member are
/// refused from the very next request, on every instance.
/// </summary>
public sealed class RevocationFromMemoryTests
{
    [Fact]
    public async Task A_revoked_key_is_refused_from_the_next_request()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await RevokedKeyIsRefusedAsync(app, app);
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_key_made_on_one_instance_works_on_another_at_once_and_once_revoked_is_refused_there_from_the_next_request()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database);
        await first.InitializeAsync();
        await using var second = InboxApp.Over(database);
        await second.InitializeAsync();
        await RevokedKeyIsRefusedAsync(first, second);
    }

    [Fact]
    public async Task A_removed_team_member_is_refused_team_work_from_the_next_request()
    {
        await using var app = new InboxApp();
        await app.InitializeAsync();
        await RemovedMemberIsRefusedAsync(app, app);
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task A_removed_team_member_is_refused_team_work_from_the_next_request_on_every_instance()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database);
        await first.InitializeAsync();
        await using var second = InboxApp.Over(database);
        await second.InitializeAsync();
        await RemovedMemberIsRefusedAsync(first, second);
    }

    private static async Task RevokedKeyIsRefusedAsync(InboxApp here, InboxApp there)
    {
        var created = await here.Backend().PostJsonAsync("/api/v1/api_keys", new { name = "short-lived" }).OkJsonAsync();
        var secret = created["secret"]!.GetValue<string>();
        // Known (and so remembered) on both.
        (await here.WithBearer(secret).GetAsync("/api/v1/support_channels")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await there.WithBearer(secret).GetAsync("/api/v1/support_channels")).StatusCode.ShouldBe(HttpStatusCode.OK, "made elsewhere, known here at once");

        (await here.Backend().DeleteAsync($"/api/v1/api_keys/{created.Id()}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await (await there.WithBearer(secret).GetAsync("/api/v1/support_channels")).ShouldBeProblemAsync(401);
        await (await here.WithBearer(secret).GetAsync("/api/v1/support_channels")).ShouldBeProblemAsync(401);
    }

    private static async Task RemovedMemberIsRefusedAsync(InboxApp here, InboxApp there)
    {
        var moderator = await here.NewTeamMemberAsync("moderator");
        var customer = await here.NewUserAsync("customer");
        var chat = await here.SupportChatForAsync(customer);
        var moderatorThere = there.WithBearer(moderator.Client.DefaultRequestHeaders.Authorization!.Parameter);
        (await moderator.Client.GetAsync($"/api/v1/support_channels/{chat}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await moderatorThere.GetAsync($"/api/v1/support_channels/{chat}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var team = await here.Backend().GetAsync("/api/v1/team_members").OkJsonAsync();
        var seat = team["data"]!.AsArray().Single(m => m!["user"]!["id"]!.GetValue<string>() == moderator.Id)!;
        (await here.Backend().DeleteAsync($"/api/v1/team_members/{seat.Id()}")).EnsureSuccessStatusCode();

        // Still the same person with the same valid token, but no longer of the team: another customer's chat is not theirs.
        ((int)(await moderatorThere.GetAsync($"/api/v1/support_channels/{chat}")).StatusCode).ShouldBeOneOf(403, 404);
        ((int)(await moderator.Client.GetAsync($"/api/v1/support_channels/{chat}")).StatusCode).ShouldBeOneOf(403, 404);
    }
}
