using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Whop.Inbox.Common;

namespace Whop.Inbox.Webhooks;

/// <summary><c>Inbox:Webhooks</c>: where deliveries may go besides the public internet, and how long one may take.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Inbox:Webhooks";

    /// <summary>
    /// Host names, addresses or networks (<c>10.0.0.0/8</c>) that endpoints may use although they are
    /// private, loopback or link-local (an internal receiver); plain <c>http://</c> is allowed to them too.
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The first retry's wait; each later one about six times the one before (up to six hours).</summary>
    public double FirstRetrySeconds { get; set; } = 5;

    /// <summary>At most this much of an answer is read (the log keeps an excerpt); the rest is never read.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Where a webhook may be sent: HTTPS to the public internet, and what the operator allowed. The address
/// is checked when an endpoint is registered and again as each delivery connects (the connection goes to
/// the address that was checked, so a name that later resolves elsewhere gains nothing). No redirect is
/// followed.
/// </summary>
public sealed class WebhookTargets
{
    private readonly WebhooksOptions _options;
    private readonly HashSet<string> _hosts;
    private readonly List<IPNetwork> _networks = [];

    public WebhookTargets(IOptions<WebhooksOptions> options)
    {
        _options = options.Value;
        _hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in _options.AllowedHosts.Select(h => h.Trim()).Where(h => h.Length > 0))
        {
            if (IPNetwork.TryParse(entry, out var network)) _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address)) _networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else _hosts.Add(entry);
        }
        Client = new HttpClient(Handler()) { Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds) };
    }

    /// <summary>The one client deliveries go through: connections checked, no redirects, no proxy, the time limit.</summary>
    public HttpClient Client { get; }

    public int MaxResponseBytes => _options.MaxResponseBytes;

    public TimeSpan FirstRetry => TimeSpan.FromSeconds(_options.FirstRetrySeconds);

    /// <summary>Why this URL cannot be an endpoint (a failure naming <c>url</c>), or null.</summary>
    public async Task<Failure?> CheckAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url)) return Failure.Invalid("url", "url is required: the HTTPS address to send events to.");
        if (url.Length > WebhookEndpoint.MaxUrlLength) return Failure.Invalid("url", $"url can be at most {WebhookEndpoint.MaxUrlLength} characters.");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.Host.Length == 0)
            return Failure.Invalid("url", "url must be an absolute https:// address.");
        if (uri.UserInfo.Length > 0) return Failure.Invalid("url", "url must not carry a user name or password; sign-in is the signature's job.");
        if (uri.Fragment.Length > 0) return Failure.Invalid("url", "url must not have a #fragment.");
        var allowedHost = _hosts.Contains(uri.Host);
        if (uri.Scheme == "http" && !allowedHost && !IsAllowedAddressLiteral(uri.Host))
            return Failure.Invalid("url", "url must use https:// (plain http only to hosts the operator allowed in Inbox:Webhooks:AllowedHosts).");
        if (allowedHost) return null;

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.DnsSafeHost, ct);
        }
        catch (SocketException)
        {
            return Failure.Rejected($"{uri.Host} could not be resolved.", "url");
        }
        if (addresses.Length == 0 || addresses.Any(a => !IsAllowed(uri.Host, a)))
            return Failure.Rejected($"{uri.Host} is a private, loopback or link-local address; only the operator can allow it (Inbox:Webhooks:AllowedHosts).", "url");
        return null;
    }

    /// <summary>Whether a delivery to <paramref name="host"/> may connect to <paramref name="address"/>.</summary>
    public bool IsAllowed(string host, IPAddress address) =>
        _hosts.Contains(host) || IsPublic(address) || _networks.Any(n => n.Contains(Normal(address)));

    private bool IsAllowedAddressLiteral(string host) => IPAddress.TryParse(host, out var address) && _networks.Any(n => n.Contains(Normal(address)));

    /// <summary>Every connection a delivery opens is to an address checked here, whatever the name resolved to before.</summary>
    private SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var allowed = addresses.FirstOrDefault(a => IsAllowed(host, a))
                ?? throw new HttpRequestException($"{host} resolves to a private, loopback or link-local address, which is not allowed.");
            var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>Not loopback, private, link-local, shared (CGNAT), unspecified or multicast.</summary>
    private static bool IsPublic(IPAddress address)
    {
        address = Normal(address);
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 10 || b[0] == 0 || b[0] == 127 || b[0] >= 224
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127));
    }
}
