using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Whop.Inbox.Tests.Webhooks;

/// <summary>One request a receiver got: its webhook headers and body, and when.</summary>
internal sealed record Received(string Path, string Id, string Timestamp, string Signature, string Body, DateTimeOffset At)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
    public string Type => Json["type"]!.GetValue<string>();
}

/// <summary>
/// A real HTTP server on loopback that plays a webhook receiver, each path a behaviour: <c>/ok</c> answers 200,
/// <c>/fail/{n}/{key}</c> answers 500 the first n times for that key then 200, <c>/slow</c> never answers in time,
/// <c>/redirect</c> answers 302, <c>/huge</c> answers 10 MB, <c>/busy/{seconds}/{key}</c> answers 503 with
/// Retry-After once then 200.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _failures = new();

    public ConcurrentQueue<Received> Requests { get; } = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Address = new Uri(app.Urls.First());
        return receiver;
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    public IReadOnlyList<Received> To(string path) => Requests.Where(r => r.Path == path).ToList();

    /// <summary>Waits until <paramref name="count"/> requests reached <paramref name="path"/> (or the time runs out); returns them in arrival order.</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(string path, int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (To(path).Count < count && DateTime.UtcNow < deadline) await Task.Delay(50);
        return To(path);
    }

    private async Task<IResult> HandleAsync(HttpContext context, string path)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        Requests.Enqueue(new Received("/" + path, headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(),
            headers["webhook-signature"].ToString(), body, DateTimeOffset.UtcNow));
        var parts = path.Split('/');
        switch (parts[0])
        {
            case "fail" when _failures.AddOrUpdate(parts[2], 1, (_, n) => n + 1) <= int.Parse(parts[1]):
                return Results.Text("boom", statusCode: 500);
            case "busy" when _failures.AddOrUpdate(parts[2], 1, (_, n) => n + 1) == 1:
                context.Response.Headers.RetryAfter = parts[1];
                return Results.Text("come back later", statusCode: 503);
            case "slow":
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { });
                return Results.Ok();
            case "redirect":
                return Results.Redirect(Url("ok"));
            case "huge":
                return Results.Text(new string('x', 10 * 1024 * 1024));
            default:
                return Results.Text("thanks");
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
