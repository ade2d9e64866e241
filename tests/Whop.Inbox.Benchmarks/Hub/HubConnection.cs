using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Whop.Inbox.Benchmarks.Hub;

/// <summary>
/// A minimal client of ASP.NET Core SignalR's JSON hub protocol over a WebSocket (the .NET client
/// package is not available here): negotiate, connect with the connection token, handshake, then
/// records separated by 0x1E. Invocations (type 1) get completions (type 3); the server's
/// invocations of <c>event</c> go to <see cref="OnEvent"/> with the time the frame was read; pings
/// (type 6) keep both ends alive. Sends never block the caller: they queue for the socket.
/// </summary>
public sealed class HubConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly ClientWebSocket _socket;
    private readonly Channel<byte[]> _outgoing = Channel.CreateUnbounded<byte[]>(new() { SingleReader = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private long _nextInvocation;
    private Task _loops = Task.CompletedTask;

    private HubConnection(ClientWebSocket socket, int index)
    {
        _socket = socket;
        Index = index;
    }

    /// <summary>The benchmark's number for this connection (which user it is).</summary>
    public int Index { get; }

    /// <summary>The connection ended (closed by the server, or broken) before the benchmark closed it.</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// Called on the receive loop for each <c>event(event, subscription)</c>, with the Stopwatch
    /// timestamp of its frame. The element lives only during the call: take what is needed.
    /// </summary>
    public Action<HubConnection, JsonElement, long>? OnEvent { get; set; }

    public bool IsOpen => _socket.State == WebSocketState.Open;

    public static async Task<HubConnection> ConnectAsync(HttpClient http, Uri baseAddress, string accessToken, int index, CancellationToken ct)
    {
        // Negotiate as the official clients do; the token authorises it and the WebSocket.
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/hubs/chat/negotiate?negotiateVersion=1"));
        negotiate.Headers.Authorization = new("Bearer", accessToken);
        using var negotiated = await http.SendAsync(negotiate, ct);
        negotiated.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync(ct));
        var connectionToken = body.RootElement.GetProperty("connectionToken").GetString()!;

        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var ws = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/chat",
            Query = $"id={Uri.EscapeDataString(connectionToken)}&access_token={Uri.EscapeDataString(accessToken)}" }.Uri;
        await socket.ConnectAsync(ws, ct);
        await socket.SendAsync(Handshake, WebSocketMessageType.Text, true, ct);

        // The handshake answer is "{}" (or an error) and a separator, before anything else.
        var buffer = new byte[4096];
        var received = 0;
        while (Array.IndexOf(buffer, RecordSeparator, 0, received) < 0)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(received), ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("The hub closed during the handshake.");
            received += result.Count;
        }
        var end = Array.IndexOf(buffer, RecordSeparator, 0, received);
        var answer = Encoding.UTF8.GetString(buffer, 0, end);
        if (answer.Contains("\"error\"")) throw new InvalidOperationException($"Hub handshake refused: {answer}");

        var connection = new HubConnection(socket, index);
        var rest = buffer.AsSpan(end + 1, received - end - 1).ToArray();
        connection._loops = Task.WhenAll(Task.Run(() => connection.ReceiveLoopAsync(rest)), Task.Run(connection.SendLoopAsync));
        return connection;
    }

    /// <summary>Invokes a hub method; the task completes with its result when the completion arrives.</summary>
    public Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextInvocation);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var message = JsonSerializer.SerializeToUtf8Bytes(new Invocation(1, id.ToString(), target, arguments), Json);
        var record = new byte[message.Length + 1];
        message.CopyTo(record, 0);
        record[^1] = RecordSeparator;
        if (!_outgoing.Writer.TryWrite(record)) completion.TrySetException(new InvalidOperationException("The connection is closed."));
        return completion.Task;
    }

    public void SendPing() => _outgoing.Writer.TryWrite(Ping);

    // The envelope is the protocol's (camelCase); arguments follow the server's own naming (snake_case).
    private sealed record Invocation(
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] int Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("invocationId")] string InvocationId,
        [property: System.Text.Json.Serialization.JsonPropertyName("target")] string Target,
        [property: System.Text.Json.Serialization.JsonPropertyName("arguments")] object?[] Arguments);

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var record in _outgoing.Reader.ReadAllAsync(_stop.Token))
                await _socket.SendAsync(record, WebSocketMessageType.Text, true, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync(byte[] leftover)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        buffer.Write(leftover);
        var frame = new byte[16 * 1024];
        try
        {
            DrainRecords(buffer, Stopwatch.GetTimestamp());
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(frame, _stop.Token);
                var at = Stopwatch.GetTimestamp();
                if (result.MessageType == WebSocketMessageType.Close) break;
                buffer.Write(frame.AsSpan(0, result.Count));
                if (result.EndOfMessage) DrainRecords(buffer, at);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        // Closed: later invocations fail at once (not after the delivery phase's wait for its sends), then those on their way fail.
        Closed = true;
        _outgoing.Writer.TryComplete();
        foreach (var pending in _pending.Values) pending.TrySetException(new InvalidOperationException("The hub connection closed."));
    }

    /// <summary>Handles each complete record in the buffer and keeps any partial one.</summary>
    private void DrainRecords(ArrayBufferWriter<byte> buffer, long receivedAt)
    {
        var data = buffer.WrittenSpan;
        var start = 0;
        int separator;
        while ((separator = data[start..].IndexOf(RecordSeparator)) >= 0)
        {
            Handle(data.Slice(start, separator), receivedAt);
            start += separator + 1;
        }
        if (start == 0) return;
        var partial = data[start..].ToArray();
        buffer.ResetWrittenCount();
        buffer.Write(partial);
    }

    private void Handle(ReadOnlySpan<byte> record, long receivedAt)
    {
        using var document = JsonDocument.Parse(record.ToArray());
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1 when root.GetProperty("target").GetString() == "event":
                var arguments = root.GetProperty("arguments");
                OnEvent?.Invoke(this, arguments[0], receivedAt);
                break;
            case 3:
                var id = long.Parse(root.GetProperty("invocationId").GetString()!);
                if (!_pending.TryRemove(id, out var completion)) break;
                if (root.TryGetProperty("error", out var error)) completion.TrySetException(new HubError(error.GetString() ?? "error"));
                else completion.TrySetResult(root.TryGetProperty("result", out var value) ? value.Clone() : default);
                break;
            case 7:
                // Close: the server ends the connection (an expired token, say).
                _stop.Cancel();
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _outgoing.Writer.TryComplete();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _stop.Cancel();
        await _loops;
        _socket.Dispose();
    }
}

public sealed class HubError(string message) : Exception(message);
