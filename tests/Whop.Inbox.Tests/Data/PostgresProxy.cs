using System.Net;
using System.Net.Sockets;

namespace Whop.Inbox.Tests.Data;

/// <summary>
/// A TCP forwarder between an app and PostgreSQL that can be cut: while cut, every open connection
/// is reset and new ones are refused, which is what the app sees when the database server goes down
/// or the network to it fails. Restoring listens on the same port again.
/// </summary>
public sealed class PostgresProxy : IDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener _listener;
    private CancellationTokenSource _stop = new();

    public PostgresProxy(string targetHost, int targetPort)
    {
        (_targetHost, _targetPort) = (targetHost, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(_listener, _stop.Token);
    }

    public int Port { get; }

    public void Cut()
    {
        _stop.Cancel();
        _listener.Stop();
        List<TcpClient> open;
        lock (_gate)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var client in open)
        {
            try
            {
                // A reset, as a dead server or network gives (the pumps may have closed it already).
                if (client.Client is { } socket) socket.LingerState = new LingerOption(true, 0);
                client.Close();
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
            }
        }
    }

    public void Restore()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                var upstream = new TcpClient();
                await upstream.ConnectAsync(_targetHost, _targetPort, stop);
                lock (_gate) _open.AddRange([client, upstream]);
                _ = PumpAsync(client, upstream);
                _ = PumpAsync(upstream, client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }

    public void Dispose()
    {
        Cut();
        _stop.Dispose();
    }
}
