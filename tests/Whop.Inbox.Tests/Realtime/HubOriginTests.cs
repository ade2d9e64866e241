using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>The hub takes the browser's sign-in cookie only from the app's own origin; bearer credentials from anywhere.</summary>
[Collection(AppCollection.Name)]
public sealed class HubOriginTests(InboxApp app)
{
    private const string Negotiate = "/hubs/chat/negotiate?negotiateVersion=1";

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://127.0.0.1:1")] // same site, another port: browsers send the Lax cookie from there
    [InlineData("null")]
    public async Task A_page_of_another_origin_cannot_use_the_admins_cookie_on_the_hub(string origin)
    {
        var cookie = await app.SignInCookieAsync("admin");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        var status = await RawHubConnection.RefusedWebSocketAsync(app, new Dictionary<string, string> { ["Cookie"] = cookie, ["Origin"] = origin });
        status.ShouldBe(HttpStatusCode.Forbidden);

        var browser = app.CreateHttpClient();
        browser.DefaultRequestHeaders.Add("Cookie", cookie);
        browser.DefaultRequestHeaders.Add("Origin", origin);
        (await browser.PostAsync(Negotiate, null)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        (await db.Messages.CountAsync(m => m.ChannelId == chat)).ShouldBe(0);
    }

    [Fact]
    public async Task The_apps_own_origin_uses_the_cookie_and_bearer_credentials_work_from_any_origin()
    {
        var cookie = await app.SignInCookieAsync("admin");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var ownOrigin = app.BaseAddress.GetLeftPart(UriPartial.Authority);

        using (var own = await RawHubConnection.OpenWebSocketAsync(app, new Dictionary<string, string> { ["Cookie"] = cookie, ["Origin"] = ownOrigin }))
        {
            await own.InvokeAsync("1", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "from the app itself" });
            (await own.CompletionErrorsAsync(1))["1"].ShouldBeNull();
        }

        using (var widget = await RawHubConnection.OpenWebSocketAsync(app,
                   new Dictionary<string, string> { ["Authorization"] = $"Bearer {customer.Token()}", ["Origin"] = "https://customer-site.example" }))
        {
            await widget.InvokeAsync("1", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "from an embedding site" });
            (await widget.CompletionErrorsAsync(1))["1"].ShouldBeNull();
        }

        var history = await app.Backend().GetAsync($"/api/v1/messages?channel_id={chat}").OkJsonAsync();
        history["data"]!.AsArray().Count.ShouldBe(2);
    }
}
