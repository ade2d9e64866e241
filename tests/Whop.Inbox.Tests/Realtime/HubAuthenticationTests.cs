using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
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
        using var socket = await OpenHubAsync(secret);

        (await app.Backend().DeleteAsync($"/api/v1/api_keys/{keyId}")).EnsureSuccessStatusCode();

        // The server ends the connection: a SignalR close message and/or the socket's close.
        var closed = await ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(10));
        closed.ShouldBeTrue("the revoked key's connection is still open");
        (await app.WithBearer(secret).PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    /// <summary>A raw WebSocket connection to the hub with the key in the header, past the SignalR handshake.</summary>
    private async Task<ClientWebSocket> OpenHubAsync(string apiKey)
    {
        var negotiated = await (await app.WithBearer(apiKey).PostAsync(Negotiate, null)).JsonAsync();
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {apiKey}");
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/chat", Query = $"id={negotiated["connectionToken"]!.GetValue<string>()}" };
        await socket.ConnectAsync(address.Uri, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var handshake = await socket.ReceiveAsync(buffer, CancellationToken.None);
        Encoding.UTF8.GetString(buffer, 0, handshake.Count).ShouldBe("{}\u001e");
        return socket;
    }

    private static async Task<bool> ReadUntilClosedAsync(ClientWebSocket socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, timeout.Token);
                if (received.MessageType == WebSocketMessageType.Close) return true;
                if (Encoding.UTF8.GetString(buffer, 0, received.Count).Contains("\"type\":7")) return true;
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true; // the server dropped the connection without a close frame
        }
    }

    [Fact]
    public async Task The_query_string_token_is_accepted_only_by_the_hub()
    {
        var customer = await app.NewUserAsync("customer");
        var response = await app.CreateHttpClient().GetAsync($"/api/v1/dm_channels?access_token={Uri.EscapeDataString(customer.Token())}");
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
