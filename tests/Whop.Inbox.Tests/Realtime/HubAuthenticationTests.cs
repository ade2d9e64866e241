using System.Net;
using System.Net.Http.Headers;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>Who may open a connection to /hubs/chat: the browser's cookie, an API key, an access token (header or query).</summary>
[Collection(AppCollection.Name)]
public sealed class HubAuthenticationTests(InboxApp app)
{
    private const string Negotiate = "/hubs/chat/negotiate?negotiateVersion=1";

    [Fact]
    public async Task Without_a_credential_the_hub_answers_401_not_a_sign_in_redirect()
    {
        var response = await app.CreateHttpClient().PostAsync(Negotiate, null);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.WithBearer("whk_not_a_real_key_0123456789abcdef").PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.CreateHttpClient().PostAsync(Negotiate + "&access_token=not-a-token", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_cookie_an_API_key_and_an_access_token_in_the_header_or_the_query_are_each_accepted()
    {
        var customer = await app.NewUserAsync("customer");
        var token = customer.Token();

        (await app.Backend().PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await customer.Client.PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.CreateHttpClient().PostAsync($"{Negotiate}&access_token={Uri.EscapeDataString(token)}", null)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var browser = app.CreateHttpClient();
        browser.DefaultRequestHeaders.Add("Cookie", await app.SignInCookieAsync("maya"));
        (await browser.PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoking_an_API_key_closes_the_hub_connections_it_opened()
    {
        var created = await (await app.Backend().PostJsonAsync("/api/v1/api_keys", new { name = "Chat widget backend" })).JsonAsync();
        var (keyId, secret) = (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
        using var hub = await RawHubConnection.OpenAsync(app, secret);

        (await app.Backend().DeleteAsync($"/api/v1/api_keys/{keyId}")).EnsureSuccessStatusCode();

        (await hub.ClosedWithinAsync(TimeSpan.FromSeconds(10))).ShouldBeTrue("the revoked key's connection is still open");
        (await app.WithBearer(secret).PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_query_string_token_is_accepted_only_by_the_hub()
    {
        var customer = await app.NewUserAsync("customer");
        var response = await app.CreateHttpClient().GetAsync($"/api/v1/dm_channels?access_token={Uri.EscapeDataString(customer.Token())}");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
