using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E.Embedding;

/// <summary>
/// "Another app" on its own origin: a page that mounts the DMs list and the chat with the embed
/// script, and a backend that issues access tokens through the inbox's public API with an API key,
/// as a real host would. The page records every event and counts calls to its token function; a
/// test can make the next call wait (<c>window.tokenGate</c>) or choose its lifetime (<c>window.nextTtl</c>).
/// </summary>
public sealed class HostSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HostSite(WebApplication app, string origin) => (_app, Origin) = (app, origin);

    /// <summary>e.g. http://127.0.0.1:41235: not the inbox's origin (another port).</summary>
    public string Origin { get; }

    public static async Task<HostSite> StartAsync(Uri inbox)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var inboxUrl = inbox.ToString().TrimEnd('/');
        var api = new HttpClient { BaseAddress = inbox };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", InboxApp.BootstrapApiKey);

        app.MapGet("/", () => Results.Content(Page.Replace("{{INBOX}}", inboxUrl), "text/html; charset=utf-8"));
        app.MapGet("/token", async (string user, int? ttl) =>
        {
            var expiresAt = DateTimeOffset.UtcNow.AddSeconds(ttl ?? 600);
            var issued = await api.PostAsJsonAsync("/api/v1/access_tokens", new Dictionary<string, object> { ["user_id"] = user, ["expires_at"] = expiresAt });
            var body = JsonNode.Parse(await issued.Content.ReadAsStringAsync())!;
            return issued.IsSuccessStatusCode ? Results.Json(new { token = body["token"]!.GetValue<string>() }) : Results.StatusCode((int)issued.StatusCode);
        });
        await app.StartAsync();
        return new HostSite(app, app.Urls.First().TrimEnd('/'));
    }

    /// <summary>The page for one person; <paramref name="company"/> as the elements' companyId; tokens living <paramref name="tokenTtlSeconds"/> until the page sets <c>window.nextTtl</c>.</summary>
    public string PageUrl(string userId, string company, int loadTimeoutMs = 20_000, int tokenTtlSeconds = 600) =>
        $"{Origin}/?user={Uri.EscapeDataString(userId)}&company={Uri.EscapeDataString(company)}&timeout={loadTimeoutMs}&ttl={tokenTtlSeconds}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private const string Page = """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Host app</title>
        <style>body{margin:0;display:flex;gap:8px;font-family:sans-serif} #dms{width:340px;height:620px} #chat{width:760px;height:620px}</style>
        </head>
        <body>
          <div id="dms"></div>
          <div id="chat"></div>
          <script src="{{INBOX}}/embed/whop-inbox.js"></script>
          <script>
            const q = new URLSearchParams(location.search);
            window.events = [];
            window.tokenCalls = 0;
            window.nextTtl = Number(q.get("ttl") || 600);
            window.tokenGate = null;
            window.issuedTokens = [];
            window.getToken = async () => {
              window.tokenCalls++;
              if (window.tokenGate) await window.tokenGate;
              const response = await fetch(`/token?user=${encodeURIComponent(q.get("user"))}&ttl=${window.nextTtl}`);
              if (!response.ok) throw new Error(`token endpoint: ${response.status}`);
              const token = (await response.json()).token;
              window.issuedTokens.push(token); // the host knows what it handed over; the test checks where it went
              return token;
            };
            const record = (element) => (name, data) => window.events.push({ element, name, data });
            const common = { companyId: q.get("company"), token: window.getToken, loadTimeoutMs: Number(q.get("timeout")) };
            window.chat = WhopInbox.chat.mount(document.getElementById("chat"), {
              ...common, style: "imessage", emptyState: { title: "Pick a conversation", description: "Your DMs are on the left." },
              onEvent: record("chat"),
            });
            window.dms = WhopInbox.dmsList.mount(document.getElementById("dms"), { ...common, onEvent: record("dms") });
            // What a host does: open the picked conversation in the chat element.
            window.dms.on("channelSelected", ({ id }) => window.chat.updateOptions({ channelId: id }));
          </script>
        </body>
        </html>
        """;
}
