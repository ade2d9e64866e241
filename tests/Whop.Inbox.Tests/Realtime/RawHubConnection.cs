using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// The hub's JSON protocol spoken over a bare WebSocket, for what the Node client hides: exactly when
/// the server closes a connection, and many calls sent at once without waiting for each answer.
/// </summary>
internal sealed class RawHubConnection : IDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();

    private RawHubConnection() { }

    /// <summary>Opens a connection with the credential in the Authorization header, past the handshake.</summary>
    public static async Task<RawHubConnection> OpenAsync(InboxApp app, string credential)
    {
        var negotiated = await (await app.WithBearer(credential).PostAsync("/hubs/chat/negotiate?negotiateVersion=1", null)).JsonAsync();
        var connection = new RawHubConnection();
        connection._socket.Options.SetRequestHeader("Authorization", $"Bearer {credential}");
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/chat", Query = $"id={negotiated["connectionToken"]!.GetValue<string>()}" };
        await connection._socket.ConnectAsync(address.Uri, CancellationToken.None);
        await connection.SendAsync("""{"protocol":"json","version":1}""");
        (await connection.ReadAsync(TimeSpan.FromSeconds(10))).ShouldBe([new JsonObject()], "the handshake answer");
        return connection;
    }

    /// <summary>
    /// Opens a WebSocket straight to the hub (no negotiate, as clients that skip it do) with the given
    /// request headers, as a browser page would send them; past the handshake.
    /// </summary>
    public static async Task<RawHubConnection> OpenWebSocketAsync(InboxApp app, IReadOnlyDictionary<string, string> headers)
    {
        var connection = new RawHubConnection();
        connection._socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers) connection._socket.Options.SetRequestHeader(name, value);
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/chat" };
        await connection._socket.ConnectAsync(address.Uri, CancellationToken.None);
        await connection.SendAsync("""{"protocol":"json","version":1}""");
        (await connection.ReadAsync(TimeSpan.FromSeconds(10))).ShouldBe([new JsonObject()], "the handshake answer");
        return connection;
    }

    /// <summary>The status the server answered a WebSocket request that was not accepted; null when it was.</summary>
    public static async Task<System.Net.HttpStatusCode?> RefusedWebSocketAsync(InboxApp app, IReadOnlyDictionary<string, string> headers)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers) socket.Options.SetRequestHeader(name, value);
        try
        {
            await socket.ConnectAsync(new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/hubs/chat" }.Uri, CancellationToken.None);
            return null;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }

    public Task InvokeAsync(string invocationId, string target, params object?[] arguments) =>
        SendAsync(new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = invocationId,
            ["target"] = target,
            ["arguments"] = new JsonArray(arguments.Select(a => a as JsonNode ?? JsonValue.Create(a)).ToArray<JsonNode?>()),
        }.ToJsonString());

    /// <summary>Reads until <paramref name="count"/> calls have completed: each invocation id with its error (null when it succeeded).</summary>
    public async Task<Dictionary<string, string?>> CompletionErrorsAsync(int count, TimeSpan? within = null)
    {
        var answers = new Dictionary<string, string?>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (answers.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{answers.Count} of {count} calls completed");
            var messages = await ReadAsync(left);
            if (messages.Count == 0) throw new InvalidOperationException("The server closed the connection.");
            foreach (var message in messages)
            {
                if (message["type"]?.GetValue<int>() == 3) answers[message["invocationId"]!.GetValue<string>()] = message["error"]?.GetValue<string>();
            }
        }
        return answers;
    }

    /// <summary>The messages that arrive within <paramref name="within"/> (at least one); an empty list when the connection closed.</summary>
    public async Task<IReadOnlyList<JsonNode>> ReadAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var complete = _pending.ToString().LastIndexOf(RecordSeparator);
            if (complete >= 0)
            {
                var records = _pending.ToString(0, complete).Split(RecordSeparator);
                _pending.Remove(0, complete + 1);
                return records.Select(r => JsonNode.Parse(r)!).ToList();
            }
            var received = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close) return [];
            _pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
        }
    }

    /// <summary>
    /// The events that arrive (each <c>event</c> call's event and the subscription it came on) until <paramref name="done"/>
    /// says so of all received, or <paramref name="within"/> passes.
    /// </summary>
    public async Task<List<(JsonNode Event, string Subscription)>> EventsUntilAsync(Func<List<(JsonNode Event, string Subscription)>, bool> done,
        TimeSpan within)
    {
        var events = new List<(JsonNode Event, string Subscription)>();
        var deadline = DateTime.UtcNow + within;
        while (!done(events) && DateTime.UtcNow < deadline)
        {
            IReadOnlyList<JsonNode> messages;
            try
            {
                messages = await ReadAsync(deadline - DateTime.UtcNow);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            events.AddRange(messages.Where(m => m["type"]?.GetValue<int>() == 1 && m["target"]?.GetValue<string>() == "event")
                .Select(m => (m["arguments"]![0]!, m["arguments"]![1]!.GetValue<string>())));
        }
        return events;
    }

    /// <summary>True when the server ends the connection within <paramref name="within"/> (a close message, a close frame or a drop).</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        try
        {
            while (DateTime.UtcNow < deadline)
            {
                var messages = await ReadAsync(deadline - DateTime.UtcNow);
                if (messages.Count == 0 || messages.Any(m => m["type"]?.GetValue<int>() == 7)) return true;
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    private Task SendAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    public void Dispose() => _socket.Dispose();
}
