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

        var backend = new Actor(null, Credential.ApiKey, companyId, "demo-host", new HashSet<string>());
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(ttl ?? 3600, 10, 3 * 3600));
        var issued = await services.GetRequiredService<AccessTokenService>()
            .IssueAsync(backend, companyId, userId, null, DateTimeOffset.UtcNow + lifetime, ct);
        return issued.Value is { } token ? Results.Ok(new { token = token.Token, expires_at = token.ExpiresAt }) : Results.Problem(issued.Failure!.Message);
    }

    private async Task<string> AllowOriginAsync(string origin, CancellationToken ct)
    {
        var companyId = await services.GetRequiredService<DefaultCompany>().IdAsync(ct);
        var contexts = services.GetRequiredService<IDbContextFactory<InboxDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var company = await db.Companies.SingleAsync(c => c.Id == companyId, ct);
        if (!company.EmbedOrigins.Contains(origin))
        {
            company.AllowEmbeddingFrom([.. company.EmbedOrigins, origin]);
            await db.SaveChangesAsync(ct);
            LogAllowed(origin, company.Name);
        }
        return companyId;
    }

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

    [LoggerMessage(LogLevel.Information, "Allowed the demo host {Origin} to embed {Company}")]
    private partial void LogAllowed(string origin, string company);

    [LoggerMessage(LogLevel.Warning, "Inbox:Embedding:DemoHostUrl is set but demo data is off: the demo host does not start")]
    private partial void LogNeedsDemoData();
}
