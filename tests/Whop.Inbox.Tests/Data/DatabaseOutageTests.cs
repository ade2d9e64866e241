using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Whop.Inbox.Common;
using Whop.Inbox.Components.Shared;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Data;

/// <summary>The app reaching PostgreSQL through a <see cref="PostgresProxy"/> the test can cut.</summary>
public sealed class OutageApp() : InboxApp(Whop.Inbox.Data.DatabaseProvider.Postgres), IAsyncLifetime
{
    private PostgresProxy? _proxy;

    public PostgresProxy Proxy => _proxy ?? throw new InvalidOperationException("The app has not started.");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        var direct = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        _proxy ??= new PostgresProxy(direct.Host!, direct.Port);
        // Through the proxy, and quick to give up while it is cut.
        builder.UseSetting("ConnectionStrings:Inbox", new NpgsqlConnectionStringBuilder(Database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = _proxy.Port,
            Timeout = 3,
            CommandTimeout = 10,
        }.ConnectionString);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _proxy?.Dispose();
    }
}

/// <summary>While the database is away: 503 with Retry-After on the API, a clear hub error, a notice in the pages; and back without a restart.</summary>
[Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
public sealed class DatabaseOutageTests(OutageApp app) : IClassFixture<OutageApp>
{
    [Fact]
    public async Task During_an_outage_the_API_answers_503_with_Retry_After_the_hub_says_unavailable_and_pages_show_a_notice()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        using var hub = await RawHubConnection.OpenAsync(app, customer.Token());
        (await RenderNoticeAsync()).ShouldNotContain("database-notice");

        app.Proxy.Cut();
        try
        {
            var send = await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "during the outage" });
            var problem = await send.ShouldBeProblemAsync(503);
            problem["error"]!["type"]!.GetValue<string>().ShouldBe("unavailable");
            send.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(DatabaseStatus.RetryAfterSeconds));
            // A token is checked against the database too: still a 503, not a 401 or a 500.
            var read = await customer.Client.GetAsync($"/api/v1/messages?channel_id={chat}");
            await read.ShouldBeProblemAsync(503);
            read.Headers.RetryAfter.ShouldNotBeNull();
            (await app.CreateHttpClient().GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

            await hub.InvokeAsync("1", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "during the outage" });
            (await hub.CompletionErrorsAsync(1, TimeSpan.FromSeconds(30)))["1"].ShouldNotBeNull().ShouldContain("unavailable: The database is not available");

            (await RenderNoticeAsync()).ShouldContain("data-testid=\"database-notice\"");
        }
        finally
        {
            app.Proxy.Restore();
        }

        // Back without a restart: the next calls succeed and the notice goes.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        HttpResponseMessage after;
        do
        {
            after = await app.Backend().PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "after the outage" });
            if (after.IsSuccessStatusCode) break;
            await Task.Delay(250);
        } while (DateTime.UtcNow < deadline);
        ((int)after.StatusCode).ShouldBe(200, await after.Content.ReadAsStringAsync());
        await hub.InvokeAsync("2", "SendMessage", new JsonObject { ["channel_id"] = chat, ["content"] = "hub after the outage" });
        (await hub.CompletionErrorsAsync(1))["2"].ShouldBeNull();
        var status = app.Services.GetRequiredService<DatabaseStatus>();
        for (var i = 0; i < 40 && !status.IsAvailable; i++) await Task.Delay(250);
        (await RenderNoticeAsync()).ShouldNotContain("database-notice");
    }

    /// <summary>The notice component, rendered with the running app's services (its real view of the database).</summary>
    private async Task<string> RenderNoticeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, app.Services.GetRequiredService<ILoggerFactory>());
        return await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<DatabaseNotice>(ParameterView.Empty)).ToHtmlString());
    }
}
