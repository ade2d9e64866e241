using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E.Embedding;

/// <summary>The demo a person tries after <c>bash .ci/start</c>: the app's own demo host on a second port.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DemoHostTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task The_demo_host_shows_the_DMs_list_beside_the_chat_and_opens_the_picked_conversation()
    {
        var demoUrl = $"http://127.0.0.1:{FreePort()}";
        await using var app = new InboxWithDemoHost(demoUrl);
        await app.InitializeAsync();

        var page = await Fixture.NewPageAsync(1280, 800);
        await page.GotoAsync($"{demoUrl}/?user=alice");
        var demo = new EmbedHostPage(page);
        // The seeds' rule: Alice, a customer, has her support chat among her DMs.
        await Assertions.Expect(demo.Row("Lumen Courses support")).ToBeVisibleAsync();
        await Assertions.Expect(demo.ChatFrame.GetByTestId("embed-chat-empty")).ToContainTextAsync("Pick a conversation");

        await demo.Row("Cohort 4 study group").ClickAsync();
        await Assertions.Expect(demo.ChatTitle).ToHaveTextAsync("Cohort 4 study group");
        await Assertions.Expect(demo.ChatHistory.GetByTestId("message").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#events")).ToContainTextAsync("channelSelected");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathFor("embed-demo.png") });
        // The style changes in place (updateOptions), nothing reloads.
        await page.Locator("#style").SelectOptionAsync("imessage");
        await Assertions.Expect(demo.ChatFrame.Locator(".embed-style-imessage")).ToHaveCountAsync(1);
        await page.Locator("#style").SelectOptionAsync("discord");
        await Assertions.Expect(demo.ChatFrame.Locator(".embed-style-discord")).ToHaveCountAsync(1);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The app as <c>.ci/start</c> runs it, with the demo host turned on.</summary>
    private sealed class InboxWithDemoHost(string demoUrl) : InboxApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Inbox:Embedding:DemoHostUrl", demoUrl);
        }
    }
}
