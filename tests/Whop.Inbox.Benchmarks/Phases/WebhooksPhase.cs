using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;
using Results = Whop.Inbox.Benchmarks.Reporting.Results;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// Webhooks: what one endpoint adds to a send, and how fast its events reach one receiver. A receiver of
/// our own (Kestrel on loopback, answering 200 at once) records each delivery's <c>webhook-id</c> and
/// arrival. The same closed loop of sends (<c>POST /api/v1/messages</c> into the hub population's DMs,
/// from their members' access tokens, a few senders at once) runs twice: with no endpoint registered
/// (the baseline), then with one endpoint for <c>message.created</c>. The second run's deliveries are
/// matched to its sends by the message id (<c>data.id</c>); the endpoint is deleted at the end.
/// </summary>
public sealed class WebhooksPhase(BenchApi api, BenchData shape, Action<string> say) : IDisposable
{
    /// <summary>The receiver's path: endpoints with it are this phase's own (one a failed run left behind is deleted first).</summary>
    private const string ReceiverPath = "/bench-receiver";

    /// <summary>The app reads which companies have endpoints every 5 s; a little more, so every instance of the directory has it.</summary>
    private static readonly TimeSpan DirectoryRefresh = TimeSpan.FromSeconds(6);

    /// <summary>How long the last deliveries may take after the sends: given up once nothing new arrived for this long.</summary>
    private static readonly TimeSpan QuietLimit = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>One run of sends: latency of the accepted ones, errors, and the app's statements per accepted send.</summary>
    public sealed record SendFigures(int Sent, int Accepted, int Errors, string? FirstError, Percentiles Latency, double Seconds, double SendsPerSecond,
        double StatementsPerSend);

    /// <summary>
    /// <paramref name="AddedP50Ms"/>…: with webhooks minus without. <paramref name="Received"/>: requests the receiver got;
    /// <paramref name="DistinctIds"/>: distinct <c>webhook-id</c>s among them; <paramref name="MessagesDelivered"/>: accepted sends
    /// whose <c>message.created</c> arrived at least once; <paramref name="DeliveredPerSecond"/>: distinct deliveries of the sends
    /// over the time from the first send to the last arrival; <paramref name="Lag"/>: first arrival minus the send's answer.
    /// </summary>
    public sealed record Figures(int Senders, int Dms, SendFigures Baseline, SendFigures WithWebhooks, double AddedP50Ms, double AddedP95Ms,
        double AddedP99Ms, int Received, int DistinctIds, int Duplicates, int MessagesDelivered, int Missing, int Other, double DeliveredPerSecond,
        double FirstSendToLastArrivalSeconds, double LastAnswerToLastArrivalSeconds, Percentiles Lag, bool GaveUpWaiting);

    private sealed record SendBody(string ChannelId, string Content, string ClientMessageId);

    private sealed record Run(SendFigures Figures, long Started, long[] Answered, string?[] MessageIds);

    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private List<BenchDm> _dms = [];
    private string[] _authorizations = [];

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = api.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async Task<Figures> RunAsync(int sends, int senders)
    {
        await using var receiver = await Receiver.StartAsync();
        say($"webhooks: receiver at {receiver.Url}");
        await DeleteLeftoversAsync();

        // The first 200 of the hub population (or all of it) and their pairs and groups; a token each.
        var names = Enumerable.Range(0, Math.Min(200, shape.HubUsers)).Select(BenchData.CustomerUserName).ToList();
        var ids = await api.UserIdsAsync(names);
        var userIds = names.Select(n => ids[n]).ToArray();
        _dms = await HubPopulation.LoadDmsAsync(api, userIds);
        if (_dms.Count == 0) throw new InvalidOperationException("webhooks: no DMs among the hub population to send into.");
        _authorizations = (await api.AccessTokensAsync(userIds)).Select(t => "Bearer " + t).ToArray();
        say($"webhooks: {sends:N0} sends, {senders} at a time, into {_dms.Count} DMs from {userIds.Length} customers' access tokens");

        // Warm-up (not reported): the send path, the connections, the JIT.
        await SendAsync("warm", Math.Min(200, Math.Max(20, sends / 10)), senders);

        var baseline = await SendAsync("base", sends, senders);
        Report("no endpoint", baseline.Figures);

        var endpointId = await RegisterAsync(receiver.Url);
        try
        {
            say($"webhooks: endpoint {endpointId} for message.created; waiting {DirectoryRefresh.TotalSeconds:F0} s for the app's directory");
            await Task.Delay(DirectoryRefresh);
            receiver.Clear();
            var statementsBefore = await AppProcess.StatementsAsync(api.Http);
            var hooked = await SendAsync("hook", sends, senders, countStatements: false);
            var accepted = hooked.MessageIds.Where(i => i is not null).Count();

            // Until every accepted send's event arrived, or nothing new came for a while.
            var gaveUp = false;
            var (lastCount, lastChange) = (-1, Stopwatch.GetTimestamp());
            while (true)
            {
                var count = receiver.Count;
                if (count != lastCount) (lastCount, lastChange) = (count, Stopwatch.GetTimestamp());
                if (count >= accepted && receiver.Matched(hooked.MessageIds) >= accepted) break;
                if (Stopwatch.GetElapsedTime(lastChange) > QuietLimit)
                {
                    gaveUp = true;
                    break;
                }
                await Task.Delay(50);
            }
            var statements = await AppProcess.StatementsAsync(api.Http) - statementsBefore;
            var withWebhooks = hooked.Figures with { StatementsPerSend = accepted == 0 ? double.NaN : (double)statements / accepted };
            Report("one endpoint", withWebhooks);
            var figures = Measure(baseline.Figures, hooked with { Figures = withWebhooks }, receiver.Arrivals.ToArray(), senders, gaveUp);
            say($"  deliveries: {figures.MessagesDelivered:N0}/{accepted:N0} sends delivered ({figures.Received:N0} received, {figures.DistinctIds:N0} distinct " +
                $"webhook-ids, {figures.Duplicates} duplicates, {figures.Other} other), {figures.DeliveredPerSecond:N0}/s from the first send to the last " +
                $"arrival ({figures.FirstSendToLastArrivalSeconds:F1} s, the last {figures.LastAnswerToLastArrivalSeconds:F1} s after the last send's answer); " +
                $"lag p50 {Results.Ms(figures.Lag.P50)} ms, p99 {Results.Ms(figures.Lag.P99)} ms" + (gaveUp ? $"; gave up waiting after {QuietLimit.TotalSeconds:F0} s of nothing new" : ""));
            say($"  added per send: p50 {Results.Ms(figures.AddedP50Ms)} ms, p95 {Results.Ms(figures.AddedP95Ms)} ms, p99 {Results.Ms(figures.AddedP99Ms)} ms; " +
                $"statements per send {baseline.Figures.StatementsPerSend:F1} without, {withWebhooks.StatementsPerSend:F1} with (deliveries included)");
            return figures;
        }
        finally
        {
            // Later phases (and runs) send with no endpoint.
            using var deleted = await api.Http.DeleteAsync($"/api/v1/webhooks/{endpointId}");
            if (!deleted.IsSuccessStatusCode) say($"webhooks: deleting endpoint {endpointId} answered {(int)deleted.StatusCode}");
        }
    }

    private void Report(string what, SendFigures f) =>
        say($"  sends, {what}: {f.Accepted:N0}/{f.Sent:N0} accepted, p50 {Results.Ms(f.Latency.P50)} ms, p95 {Results.Ms(f.Latency.P95)} ms, " +
            $"p99 {Results.Ms(f.Latency.P99)} ms, {f.SendsPerSecond:N0}/s" + (f.Errors > 0 ? $", {f.Errors} errors ({f.FirstError})" : ""));

    private Figures Measure(SendFigures baseline, Run hooked, Receiver.Arrival[] arrivals, int senders, bool gaveUp)
    {
        var sendOf = new Dictionary<string, int>();
        for (var k = 0; k < hooked.MessageIds.Length; k++)
            if (hooked.MessageIds[k] is { } id) sendOf[id] = k;

        var firstArrival = new Dictionary<int, long>();
        var ourIds = new HashSet<string>();
        var other = 0;
        foreach (var a in arrivals)
        {
            if (a.MessageId is { } id && a.Type == "message.created" && sendOf.TryGetValue(id, out var k))
            {
                ourIds.Add(a.WebhookId ?? "");
                if (!firstArrival.TryGetValue(k, out var at) || a.At < at) firstArrival[k] = a.At;
            }
            else other++;
        }
        var distinct = arrivals.Select(a => a.WebhookId ?? "").Distinct().Count();
        var lastArrival = arrivals.Length == 0 ? hooked.Started : arrivals.Max(a => a.At);
        var lastAnswer = hooked.Answered.Where(t => t != 0).DefaultIfEmpty(hooked.Started).Max();
        var span = Seconds(lastArrival - hooked.Started);
        var lag = firstArrival.Select(p => Ms(p.Value - hooked.Answered[p.Key]));
        var with = hooked.Figures.Latency;
        return new Figures(senders, _dms.Count, baseline, hooked.Figures, with.P50 - baseline.Latency.P50, with.P95 - baseline.Latency.P95,
            with.P99 - baseline.Latency.P99, arrivals.Length, distinct, arrivals.Length - distinct, firstArrival.Count, sendOf.Count - firstArrival.Count,
            other, span > 0 ? ourIds.Count / span : double.NaN, span, Seconds(lastArrival - lastAnswer), Percentiles.Of(lag), gaveUp);
    }

    /// <summary>
    /// <paramref name="count"/> sends, closed loop: <paramref name="senders"/> at a time, each starting the next when its last is answered.
    /// Send k goes to DM k mod n, from its members in turn.
    /// </summary>
    private async Task<Run> SendAsync(string label, int count, int senders, bool countStatements = true)
    {
        var latency = new double[count];
        var answered = new long[count];
        var messageIds = new string?[count];
        var next = -1;
        var errors = 0;
        string? firstError = null;
        var statementsBefore = countStatements ? await AppProcess.StatementsAsync(api.Http) : 0;
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            int k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                var dm = _dms[k % _dms.Count];
                var sender = dm.Members[k / _dms.Count % dm.Members.Length];
                // A body of known length, as clients send it (not chunked).
                var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(
                    new SendBody(dm.Id, $"Webhooks check {_run} {label} {k}", $"{_run}-wh-{label}-{k}"), Json));
                content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/messages") { Content = content };
                request.Headers.TryAddWithoutValidation("Authorization", _authorizations[sender]);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await _http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var now = Stopwatch.GetTimestamp();
                    if (!response.IsSuccessStatusCode)
                    {
                        if (Interlocked.Increment(ref errors) == 1) firstError = $"{(int)response.StatusCode}";
                        continue;
                    }
                    using var json = JsonDocument.Parse(body);
                    messageIds[k] = json.RootElement.GetProperty("id").GetString();
                    latency[k] = Ms(now - sent);
                    answered[k] = now;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (Interlocked.Increment(ref errors) == 1) firstError = e.GetBaseException().Message;
                }
            }
        })));
        var seconds = Seconds(Stopwatch.GetTimestamp() - started);
        var accepted = answered.Count(t => t != 0);
        var statements = countStatements ? await AppProcess.StatementsAsync(api.Http) - statementsBefore : 0;
        var figures = new SendFigures(count, accepted, errors, firstError, Percentiles.Of(latency.Where((_, i) => answered[i] != 0)), seconds,
            accepted / seconds, countStatements && accepted > 0 ? (double)statements / accepted : double.NaN);
        return new Run(figures, started, answered, messageIds);
    }

    private async Task<string> RegisterAsync(Uri url)
    {
        using var response = await api.Http.PostAsJsonAsync("/api/v1/webhooks",
            new Dictionary<string, object> { ["url"] = url.ToString(), ["events"] = new[] { "message.created" } });
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST /api/v1/webhooks -> {(int)response.StatusCode}: {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>An endpoint of this phase that a run which failed midway left behind would make the baseline no baseline.</summary>
    private async Task DeleteLeftoversAsync()
    {
        using var json = JsonDocument.Parse(await api.Http.GetStringAsync("/api/v1/webhooks"));
        foreach (var hook in json.RootElement.GetProperty("data").EnumerateArray())
        {
            if (hook.GetProperty("url").GetString() is not { } url || !url.EndsWith(ReceiverPath, StringComparison.Ordinal)) continue;
            var id = hook.GetProperty("id").GetString();
            say($"webhooks: deleting endpoint {id} ({url}), left by an earlier run");
            (await api.Http.DeleteAsync($"/api/v1/webhooks/{id}")).Dispose();
        }
    }

    public void Dispose() => _http.Dispose();

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    private static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    /// <summary>The receiving end: Kestrel on a free loopback port, 200 to every POST, no logging; what came is read after the run.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        public sealed record Arrival(long At, string? WebhookId, string? Type, string? MessageId);

        private readonly WebApplication _app;
        private ConcurrentQueue<(long At, string? WebhookId, byte[] Body)> _bodies = new();

        private Receiver(WebApplication app) => _app = app;

        public Uri Url { get; private set; } = null!;

        public int Count => _bodies.Count;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.Run(async context =>
            {
                var at = Stopwatch.GetTimestamp();
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                receiver._bodies.Enqueue((at, context.Request.Headers["webhook-id"].ToString(), body.ToArray()));
                context.Response.StatusCode = StatusCodes.Status200OK;
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = new Uri(new Uri(address), ReceiverPath);
            return receiver;
        }

        public void Clear() => _bodies = new();

        /// <summary>How many of <paramref name="messageIds"/> have arrived (parsing the bodies so far; used while waiting).</summary>
        public int Matched(string?[] messageIds)
        {
            var wanted = messageIds.Where(i => i is not null).ToHashSet();
            return Arrivals.Where(a => a.MessageId is not null && wanted.Contains(a.MessageId)).Select(a => a.MessageId).Distinct().Count();
        }

        public IEnumerable<Arrival> Arrivals => _bodies.ToArray().Select(b =>
        {
            try
            {
                using var json = JsonDocument.Parse(b.Body);
                var root = json.RootElement;
                var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
                var id = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("id", out var i) ? i.GetString() : null;
                return new Arrival(b.At, b.WebhookId, type, id);
            }
            catch (JsonException)
            {
                return new Arrival(b.At, b.WebhookId, null, null);
            }
        });

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
