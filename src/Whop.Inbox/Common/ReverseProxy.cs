using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Whop.Inbox.Common;

/// <summary>
/// <c>Inbox:Proxy</c>: the reverse proxies (a load balancer, nginx) the app stands behind. Only from
/// these does it take <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, so the client's address
/// (what the sign-in limit counts) and scheme (what marks cookies secure) are the client's, not the
/// proxy's. Empty (the default): the headers are ignored, so nobody can pick their own address.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Inbox:Proxy";

    /// <summary>The proxies' own addresses, such as <c>10.0.0.5</c> or <c>127.0.0.1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation, such as <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool IsBehindProxy => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
            yield return new ValidationResult($"Inbox:Proxy:KnownProxies: \"{proxy}\" is not an IP address.", [nameof(KnownProxies)]);
        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
            yield return new ValidationResult($"Inbox:Proxy:KnownNetworks: \"{network}\" is not a network in CIDR notation (10.0.0.0/24).",
                [nameof(KnownNetworks)]);
    }
}

public static class ReverseProxy
{
    public static WebApplicationBuilder AddReverseProxySupport(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        // From the bound options, as the switch in UseReverseProxySupport reads them: one source for both.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxyOptions) =>
        {
            var proxies = proxyOptions.Value;
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured ones: the framework would trust any loopback address by default.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.KnownProxies)
                if (IPAddress.TryParse(proxy, out var address)) forwarded.KnownProxies.Add(address);
            foreach (var network in proxies.KnownNetworks)
                if (System.Net.IPNetwork.TryParse(network, out var parsed)) forwarded.KnownIPNetworks.Add(parsed);
        });
        return builder;
    }

    /// <summary>First in the pipeline, so everything after sees the client's address and scheme; nothing when no proxy is configured.</summary>
    public static IApplicationBuilder UseReverseProxySupport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.IsBehindProxy) app.UseForwardedHeaders();
        return app;
    }
}
