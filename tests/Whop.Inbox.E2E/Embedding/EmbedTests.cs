using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Whop.Inbox.Data;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E.Embedding;

/// <summary>
/// The chat and DMs-list elements inside another app: a host page on a second origin, its own
/// backend issuing tokens through the public API, a real browser between them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EmbedTests(BrowserFixture fixture) : BrowserTest(fixture), IAsyncLifetime
{
    private HostSite _host = null!;
    private HostSite _stranger = null!;
    private string _company = "";

    [Fact]
    public async Task The_list_and_the_chat_mount_a_picked_DM_opens_in_the_chat_and_sending_raises_messageSent()
    {
        var people = await PeopleAsync();
        using var serverLog = CaptureServerLog();
        var requested = new ConcurrentBag<string>();
        var (page, host) = await OpenHostAsync(people.Customer.Id, page =>
        {
            page.Request += (_, request) => requested.Add(request.Url);
            page.WebSocket += (_, socket) => requested.Add(socket.Url);
        });

        await host.WaitForReadyAsync("dms");
        await host.WaitForReadyAsync("chat");
        await Assertions.Expect(host.ChatFrame.GetByTestId("embed-chat-empty")).ToContainTextAsync("Pick a conversation");
        await Assertions.Expect(host.Row(people.DmName)).ToContainTextAsync("See you at 3?");

        // Picking a DM tells the host, and the host opens it in the chat element.
        await host.Row(people.DmName).ClickAsync();
        var selected = await host.WaitForEventAsync("dms", "channelSelected");
        selected.GetProperty("id").GetString().ShouldBe(people.DmId);
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);
        await Assertions.Expect(host.Row(people.DmName)).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(host.ChatHistory.GetByTestId("message").Filter(new() { HasText = "See you at 3?" })).ToBeVisibleAsync();

        // Sending tells the host what was sent, where.
        await host.Composer.FillAsync("Yes, 3pm works");
        await host.Composer.PressAsync("Enter");
        var sent = await host.WaitForEventAsync("chat", "messageSent", "Yes, 3pm works");
        sent.GetProperty("content").GetString().ShouldBe("Yes, 3pm works");
        sent.GetProperty("channelId").GetString().ShouldBe(people.DmId);
        sent.GetProperty("id").GetString()!.ShouldStartWith("post_");
        await Assertions.Expect(host.ChatHistory.GetByTestId("message").Filter(new() { HasText = "Yes, 3pm works" })).ToBeVisibleAsync();

        // Clicking an author tells the host whose profile to show.
        await host.ChatHistory.GetByTestId("message-author").Filter(new() { HasText = people.Friend.Name }).First.ClickAsync();
        (await host.WaitForEventAsync("chat", "profileClick")).GetProperty("id").GetString().ShouldBe(people.Friend.Id);

        // The tokens went by postMessage: in no address the browser asked for, in no server log line.
        var tokens = await page.EvaluateAsync<string[]>("() => window.issuedTokens");
        tokens.ShouldNotBeEmpty();
        requested.ShouldNotBeEmpty();
        Fixture.App.Services.GetRequiredService<ILogger<EmbedTests>>().LogWarning("The log is being recorded");
        serverLog.Lines.ShouldContain(line => line.Contains("The log is being recorded"));
        foreach (var token in tokens)
        {
            requested.ShouldNotContain(url => url.Contains(token));
            serverLog.Lines.ShouldNotContain(line => line.Contains(token));
        }
    }

    [Fact]
    public async Task A_customer_sees_their_support_chat_in_the_list_and_an_admin_does_not()
    {
        var people = await PeopleAsync();
        var (_, customerHost) = await OpenHostAsync(people.Customer.Id);
        await customerHost.WaitForReadyAsync("dms");
        await Assertions.Expect(customerHost.Rows.And(customerHost.DmsFrame.Locator("[data-kind='support']")))
            .ToContainTextAsync("Where is my invoice?");

        var admin = await UserIdAsync("admin");
        var (_, adminHost) = await OpenHostAsync(admin);
        await adminHost.WaitForReadyAsync("dms");
        await Assertions.Expect(adminHost.Row("Launch crew")).ToBeVisibleAsync();
        await Assertions.Expect(adminHost.DmsFrame.Locator("[data-kind='support']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_site_that_is_not_allowed_cannot_frame_either_element()
    {
        var people = await PeopleAsync();
        var page = await Fixture.NewPageAsync(1200, 700);
        await page.GotoAsync(_stranger.PageUrl(people.Customer.Id, _company, loadTimeoutMs: 4000));
        var host = new EmbedHostPage(page);

        // The script gives up waiting and says why; the browser never showed the app in the frames.
        (await host.WaitForEventAsync("dms", "error")).GetProperty("message").GetString()!.ShouldContain("did not answer");
        await host.WaitForEventAsync("chat", "error");
        (await host.EventNamesAsync("dms")).ShouldNotContain("ready");
        (await host.EventNamesAsync("chat")).ShouldNotContain("ready");
        var inbox = Fixture.App.BaseAddress.GetLeftPart(UriPartial.Authority);
        page.Frames.ShouldNotContain(frame => frame.Url.StartsWith(inbox));
        await Assertions.Expect(host.DmsFrame.GetByTestId("embed")).ToHaveCountAsync(0);
        await Assertions.Expect(host.ChatFrame.GetByTestId("embed")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_expired_token_is_replaced_through_the_hosts_token_function_and_the_draft_survives()
    {
        var people = await PeopleAsync();
        // The host's tokens live fifteen seconds; from the moment the chat is ready its backend stalls.
        var (page, host) = await OpenHostAsync(people.Customer.Id, tokenTtlSeconds: 15);
        await host.WaitForReadyAsync("chat");
        var callsBefore = await page.EvaluateAsync<int>("() => { window.nextTtl = 600; window.tokenGate = new Promise(release => window.releaseGate = release); return window.tokenCalls; }");
        await page.EvaluateAsync("id => window.chat.updateOptions({ channelId: id })", people.DmId);
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);
        await host.Composer.FillAsync("A draft that must not be lost");

        // The frame asks for a fresh one before expiry; none comes in time, so the element stops
        // acting (and says so) but keeps the draft.
        await page.WaitForFunctionAsync("calls => window.tokenCalls > calls", callsBefore, new() { Timeout = 30_000 });
        await Assertions.Expect(host.ChatFrame.GetByTestId("embed-session-notice")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(host.ChatFrame.Locator("[data-embed-state='suspended']")).ToHaveCountAsync(1);
        await Assertions.Expect(host.Composer).ToBeDisabledAsync();
        await Assertions.Expect(host.Composer).ToHaveValueAsync("A draft that must not be lost");
        // Acting for no one, it offers nothing to act on: no replies or reactions.
        await Assertions.Expect(host.ChatHistory.Locator("[aria-label='React']")).ToHaveCountAsync(0);

        // The backend answers: the fresh token replaces the old in place, nothing reloads.
        await page.EvaluateAsync("() => window.releaseGate()");
        await Assertions.Expect(host.ChatFrame.Locator("[data-embed-state='ready']")).ToHaveCountAsync(1);
        await Assertions.Expect(host.Composer).ToBeEnabledAsync();
        await Assertions.Expect(host.Composer).ToHaveValueAsync("A draft that must not be lost");
        await Assertions.Expect(host.ChatHistory.Locator("[aria-label='React']").First).ToBeAttachedAsync();
        await host.Composer.PressAsync("Enter");
        var sent = await host.WaitForEventAsync("chat", "messageSent", "A draft that must not be lost");
        sent.GetProperty("channelId").GetString().ShouldBe(people.DmId);
        (await host.EventNamesAsync("chat")).Count(name => name == "ready").ShouldBe(1);
    }

    [Fact]
    public async Task A_token_that_ends_no_later_than_the_current_one_is_not_taken()
    {
        var people = await PeopleAsync();
        var (page, host) = await OpenHostAsync(people.Customer.Id);
        await host.WaitForReadyAsync("chat");
        await page.EvaluateAsync("id => window.chat.updateOptions({ channelId: id })", people.DmId);
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);

        // A shorter-lived token for the same person and scopes changes nothing: the element keeps
        // acting on the one it has and does not start asking again at once.
        var callsBefore = await page.EvaluateAsync<int>("async () => { window.nextTtl = 3; await window.chat.refreshToken(); return window.tokenCalls; }");
        await page.WaitForTimeoutAsync(5000);
        await Assertions.Expect(host.ChatFrame.Locator("[data-embed-state='ready']")).ToHaveCountAsync(1);
        (await page.EvaluateAsync<int>("() => window.tokenCalls")).ShouldBe(callsBefore);
        (await host.EventNamesAsync("chat")).ShouldNotContain("error");
    }

    [Fact]
    public async Task Removing_the_site_stops_an_open_element_at_its_next_token_renewal()
    {
        var people = await PeopleAsync();
        var (page, host) = await OpenHostAsync(people.Customer.Id);
        await host.WaitForReadyAsync("chat");
        await page.EvaluateAsync("id => window.chat.updateOptions({ channelId: id })", people.DmId);
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);
        await host.Composer.FillAsync("Typed before the site was removed");

        (await Backend().PutAsJsonAsync($"/api/v1/companies/{_company}/embed_origins", new { origins = Array.Empty<string>() })).EnsureSuccessStatusCode();
        await page.EvaluateAsync("async () => { window.nextTtl = 900; await window.chat.refreshToken(); }");

        (await host.WaitForEventAsync("chat", "error", "not allowed")).GetProperty("message").GetString()!.ShouldContain(_host.Origin);
        await Assertions.Expect(host.ChatFrame.Locator("[data-embed-state='suspended']")).ToHaveCountAsync(1);
        await Assertions.Expect(host.ChatFrame.GetByTestId("embed-session-notice")).ToContainTextAsync("not allowed");
        await Assertions.Expect(host.Composer).ToBeDisabledAsync();
        await Assertions.Expect(host.Composer).ToHaveValueAsync("Typed before the site was removed");
    }

    [Fact]
    public async Task Options_for_another_company_are_refused_and_the_element_keeps_its_own()
    {
        var people = await PeopleAsync();
        var (page, host) = await OpenHostAsync(people.Customer.Id);
        // Changed before the frame is ready: applied once it is.
        await page.EvaluateAsync("id => window.chat.updateOptions({ channelId: id })", people.DmId);
        await host.WaitForReadyAsync("chat");
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);
        await host.Composer.FillAsync("A draft kept through a bad update");

        await page.EvaluateAsync("() => window.chat.updateOptions({ companyId: 'biz_someoneelse0000000' })");
        await host.WaitForEventAsync("chat", "error", "another company");
        await Assertions.Expect(host.ChatFrame.Locator("[data-embed-state='ready']")).ToHaveCountAsync(1);
        await Assertions.Expect(host.Composer).ToHaveValueAsync("A draft kept through a bad update");

        // A valid update afterwards applies as usual.
        await page.EvaluateAsync("company => window.chat.updateOptions({ companyId: company, style: 'discord' })", _company);
        await Assertions.Expect(host.ChatFrame.Locator(".embed-style-discord")).ToHaveCountAsync(1);
        await Assertions.Expect(host.Composer).ToHaveValueAsync("A draft kept through a bad update");
    }

    [Fact]
    public async Task A_frame_that_answered_is_never_reported_as_not_answering_and_unmounting_is_clean()
    {
        var page = await Fixture.NewPageAsync(1200, 700);
        const int loadTimeoutMs = 10_000;
        var opened = DateTimeOffset.UtcNow;
        // No such person: the host's token function fails, after each frame said hello.
        await page.GotoAsync(_host.PageUrl("user_nobody000000000000", _company, loadTimeoutMs));
        var host = new EmbedHostPage(page);
        (await host.WaitForEventAsync("dms", "error", "access token")).GetProperty("message").GetString()!.ShouldContain("Could not get an access token");
        await host.WaitForEventAsync("chat", "error", "access token");
        // Past the load timeout: the frames answered, so it must not have fired.
        var left = opened.AddMilliseconds(loadTimeoutMs + 1000) - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero) await page.WaitForTimeoutAsync((float)left.TotalMilliseconds);
        (await page.EvaluateAsync<int>("() => window.events.filter(e => JSON.stringify(e.data).includes('did not answer')).length")).ShouldBe(0);

        // Stopping listening after unmounting is harmless.
        (await page.EvaluateAsync<bool>("() => { const off = window.dms.on('ready', () => {}); window.dms.unmount(); off(); return true; }")).ShouldBeTrue();
    }

    [Fact]
    public async Task An_admin_allows_a_site_on_the_embedding_settings_page()
    {
        var page = await Fixture.NewPageAsync();
        await new SignInPage(page).SignInAndWaitAsync("admin");
        await page.GetByTestId("nav-embedding").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Embedding" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("embed-origins")).ToContainTextAsync(_host.Origin);

        var input = page.GetByTestId("embed-origin-input");
        await input.FillAsync("https://shop.example.com/checkout");
        await page.GetByTestId("embed-origin-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("embed-origin-error")).ToContainTextAsync("leave out any path");

        await input.FillAsync("https://Shop.Example.com");
        await page.GetByTestId("embed-origin-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("embed-origins")).ToContainTextAsync("https://shop.example.com");
        await Assertions.Expect(page.GetByTestId("embed-origin-error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("embed-snippet")).ToContainTextAsync($"companyId: \"{_company}\"");

        var origins = await OriginsAsync();
        origins.ShouldContain("https://shop.example.com");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove https://shop.example.com" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("embed-origins")).Not.ToContainTextAsync("shop.example.com");
    }

    // ---- set-up ----

    public new async Task InitializeAsync()
    {
        _host = await HostSite.StartAsync(Fixture.App.BaseAddress);
        _stranger = await HostSite.StartAsync(Fixture.App.BaseAddress);
        _company = await CompanyIdAsync();
        // Only the host's origin: the stranger is another port, so another origin.
        var saved = await Backend().PutAsJsonAsync($"/api/v1/companies/{_company}/embed_origins", new { origins = new[] { _host.Origin } });
        saved.EnsureSuccessStatusCode();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _host.DisposeAsync();
        await _stranger.DisposeAsync();
    }

    [Fact]
    public async Task Files_show_and_upload_inside_the_frame_and_with_previewAttachments_off_a_click_goes_to_the_host()
    {
        var people = await PeopleAsync();
        // The friend sends a screenshot in the DM, through the API.
        var png = Convert.FromBase64String(
            "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAAEUlEQVR4nGNoUFDAihgGUgIAnywkAR0+FuEAAAAASUVORK5CYII=");
        var form = new MultipartFormDataContent { { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "file", "shot.png" } };
        var uploaded = await OkAsync(people.Friend.Client.PostAsync("/api/v1/files", form));
        var fileId = uploaded["id"]!.GetValue<string>();
        var sentWithFile = await OkAsync(people.Friend.Client.PostAsJsonAsync("/api/v1/messages", new Dictionary<string, object>
        {
            ["channel_id"] = people.DmId, ["content"] = "This one?", ["attachments"] = new[] { new Dictionary<string, string> { ["id"] = fileId } },
        }));

        var (page, host) = await OpenHostAsync(people.Customer.Id);
        await host.WaitForReadyAsync("chat");
        await page.EvaluateAsync("id => window.chat.updateOptions({ channelId: id })", people.DmId);
        await Assertions.Expect(host.ChatTitle).ToHaveTextAsync(people.DmName);

        // No cookie in the frame: the thumbnail is fetched with the token and shown from memory.
        var image = host.ChatHistory.GetByTestId("attachment-image").Locator("img");
        await Assertions.Expect(image).ToHaveJSPropertyAsync("naturalWidth", 8);
        (await image.GetAttributeAsync("src"))!.ShouldStartWith("blob:");

        // Uploading from the frame uses the token too.
        await host.ChatFrame.GetByTestId("composer-file").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "hello"u8.ToArray() });
        await Assertions.Expect(host.ChatFrame.GetByTestId("upload-chip")).ToHaveAttributeAsync("data-state", "done");
        await host.Composer.FillAsync("My notes");
        await host.Composer.PressAsync("Enter");
        await Assertions.Expect(host.ChatHistory.GetByTestId("message").Filter(new() { HasText = "My notes" }).GetByTestId("attachment-file"))
            .ToContainTextAsync("notes.txt");

        // With previewAttachments off, a click on a file is the host's.
        await page.EvaluateAsync("() => window.chat.updateOptions({ previewAttachments: false })");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await host.ChatHistory.GetByTestId("attachment-image").ClickAsync();
        var clicked = await host.WaitForEventAsync("chat", "attachmentClick");
        clicked.GetProperty("messageId").GetString().ShouldBe(sentWithFile["id"]!.GetValue<string>());
        clicked.GetProperty("attachments")[0].GetProperty("id").GetString().ShouldBe(fileId);
        await Assertions.Expect(host.ChatFrame.GetByTestId("image-viewer")).ToHaveCountAsync(0);
    }

    private async Task<(IPage, EmbedHostPage)> OpenHostAsync(string userId, Action<IPage>? beforeOpening = null, int tokenTtlSeconds = 600)
    {
        var page = await Fixture.NewPageAsync(1200, 700);
        beforeOpening?.Invoke(page);
        await page.GotoAsync(_host.PageUrl(userId, _company, tokenTtlSeconds: tokenTtlSeconds));
        return (page, new EmbedHostPage(page));
    }

    private sealed record Person(string Id, string Name, HttpClient Client);

    private sealed record People(Person Customer, Person Friend, string DmId, string DmName);

    /// <summary>A customer and a friend of their own (no other test sees them): a DM between them and the customer's support chat.</summary>
    private async Task<People> PeopleAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var customer = await PersonAsync($"cara{suffix}", $"Cara {suffix}");
        var friend = await PersonAsync($"finn{suffix}", $"Finn {suffix}");
        var dmName = $"Study buddies {suffix}";
        var dm = await OkAsync(customer.Client.PostAsJsonAsync("/api/v1/dm_channels",
            new Dictionary<string, object> { ["with_user_ids"] = new[] { friend.Id }, ["company_id"] = _company, ["custom_name"] = dmName }));
        var dmId = dm["id"]!.GetValue<string>();
        await OkAsync(friend.Client.PostAsJsonAsync("/api/v1/messages", new Dictionary<string, object> { ["channel_id"] = dmId, ["content"] = "See you at 3?" }));

        var support = await OkAsync(Backend().PostAsJsonAsync("/api/v1/support_channels",
            new Dictionary<string, object> { ["company_id"] = _company, ["user_id"] = customer.Id }));
        await OkAsync(customer.Client.PostAsJsonAsync("/api/v1/messages",
            new Dictionary<string, object> { ["channel_id"] = support["id"]!.GetValue<string>(), ["content"] = "Where is my invoice?" }));
        return new People(customer, friend, dmId, dmName);
    }

    private async Task<Person> PersonAsync(string username, string name)
    {
        var created = await OkAsync(Backend().PostAsJsonAsync("/api/v1/users", new { username, name }));
        var id = created["id"]!.GetValue<string>();
        var token = await OkAsync(Backend().PostAsJsonAsync("/api/v1/access_tokens", new Dictionary<string, object> { ["user_id"] = id }));
        var client = new HttpClient { BaseAddress = Fixture.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token["token"]!.GetValue<string>());
        return new Person(id, name, client);
    }

    private HttpClient Backend()
    {
        var client = new HttpClient { BaseAddress = Fixture.App.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);
        return client;
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(body);
        return JsonNode.Parse(body)!;
    }

    /// <summary>Every line the server logs from now until disposed, at the levels the app's settings let through.</summary>
    private ServerLog CaptureServerLog()
    {
        var log = new ServerLog();
        Fixture.App.Services.GetRequiredService<ILoggerFactory>().AddProvider(log);
        return log;
    }

    private async Task<string> CompanyIdAsync()
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
    }

    private async Task<string> UserIdAsync(string username)
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Users.Where(u => u.UserName == username).Select(u => u.Id).SingleAsync();
    }

    private async Task<string[]> OriginsAsync()
    {
        await using var db = await Fixture.App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.Where(c => c.Id == _company).Select(c => c.EmbedOrigins).SingleAsync();
    }
}
