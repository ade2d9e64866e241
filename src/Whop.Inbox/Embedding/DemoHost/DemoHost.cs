using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Whop.Inbox.Data;
using Whop.Inbox.Identity.AccessTokens;
using Whop.Inbox.Identity.Rights;
using Whop.Inbox.Team;

namespace Whop.Inbox.Embedding.DemoHost;

/// <summary>
/// A stand-in for "another app" on a second origin (<c>Inbox:Embedding:DemoHostUrl</c>): a page
/// that embeds the DMs list and the chat, and a token endpoint playing the host's backend. It is
/// for trying the elements with the demo data, so it only runs with demo data on and only mints
/// tokens for the demo people. It allows its own origin for the demo company when it starts.
/// </summary>
internal sealed partial class DemoHost(
    IOptions<EmbeddingOptions> embedding,
    IOptions<InboxOptions> inbox,
    IServer inboxServer,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<DemoHost> logger) : IHostedService
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(embedding.Value.DemoHostUrl)) return;
        if (!inbox.Value.SeedDemoData)
        {
            LogNeedsDemoData();
            return;
        }
        var origin = EmbedOrigin.Parse(embedding.Value.DemoHostUrl, "DemoHostUrl").Value!;
        var companyId = await AllowOriginAsync(origin, ct);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(origin);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/", (HttpContext context) => Results.Content(Page(InboxUrlFor(context), companyId), "text/html; charset=utf-8"));
        _app.MapGet("/token", IssueTokenAsync);
        await _app.StartAsync(ct);
        LogStarted(origin);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    /// <summary>The host's backend: a token for the chosen demo person, as an app would get one with its API key.</summary>
    private async Task<IResult> IssueTokenAsync(string? user, int? ttl, CancellationToken ct)
    {
        if (user is null || !DemoData.UserNames.Contains(user)) return Results.BadRequest(new { error = "user must be one of the demo people" });
        var contexts = services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        var companyId = await services.GetRequiredService<DefaultCompany>().IdAsync(ct);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var userId = await db.Users.Where(u => u.UserName == user).Select(u => u.Id).SingleOrDefaultAsync(ct);
        if (userId is null) return Results.NotFound();

        var lifetime = TimeSpan.FromSeconds(Math.Clamp(ttl ?? 3600, 10, 3 * 3600));
        var issued = await services.GetRequiredService<AccessTokenService>()
            .IssueAsync(Backend(companyId), companyId, userId, null, clock.GetUtcNow() + lifetime, ct);
        return issued.Value is { } token ? Results.Ok(new { token = token.Token, expires_at = token.ExpiresAt }) : Results.Problem(issued.Failure!.Message);
    }

    /// <summary>Adds the demo host's origin to the company's list, through the same audited path as an admin's change.</summary>
    private async Task<string> AllowOriginAsync(string origin, CancellationToken ct)
    {
        var companyId = await services.GetRequiredService<DefaultCompany>().IdAsync(ct);
        var settings = services.GetRequiredService<EmbedSettings>();
        var backend = Backend(companyId);
        var current = (await settings.GetAsync(backend, companyId, ct)).Value?.Origins ?? [];
        if (current.Contains(origin)) return companyId;
        var saved = await settings.SetAsync(backend, companyId, [.. current, origin], ct);
        if (saved.Failure is { } failure) LogNotAllowed(origin, failure.Message);
        else LogAllowed(origin, companyId);
        return companyId;
    }

    /// <summary>The demo host acts as the company's backend would with an API key (audited as <c>demo-host</c>).</summary>
    private static Actor Backend(string companyId) => new(null, Credential.ApiKey, companyId, "demo-host", new HashSet<string>());

    /// <summary>The inbox as the browser reaches it: its listening port, on the host name the demo page was opened with.</summary>
    private string InboxUrlFor(HttpContext context)
    {
        var address = inboxServer.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
        var uri = new Uri(address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("[::]", "localhost").Replace("0.0.0.0", "localhost"));
        return $"{uri.Scheme}://{context.Request.Host.Host}:{uri.Port}";
    }

    private static string Page(string inboxUrl, string companyId)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Whop.Inbox.Embedding.DemoHost.demo-host.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd()
            .Replace("{{INBOX_URL}}", System.Net.WebUtility.HtmlEncode(inboxUrl))
            .Replace("{{COMPANY_ID}}", System.Net.WebUtility.HtmlEncode(companyId))
            .Replace("{{PEOPLE}}", string.Join(",", DemoData.UserNames));
    }

    [LoggerMessage(LogLevel.Information, "Demo host page (a second origin that embeds the inbox): {Origin}")]
    private partial void LogStarted(string origin);

    [LoggerMessage(LogLevel.Information, "Allowed the demo host {Origin} to embed company {CompanyId}")]
    private partial void LogAllowed(string origin, string companyId);

    [LoggerMessage(LogLevel.Warning, "Could not allow the demo host {Origin} to embed the demo company: {Reason}")]
    private partial void LogNotAllowed(string origin, string reason);

    [LoggerMessage(LogLevel.Warning, "Inbox:Embedding:DemoHostUrl is set but demo data is off: the demo host does not start")]
    private partial void LogNeedsDemoData();
}
