using Microsoft.AspNetCore.Hosting;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

/// <summary>The app behind a reverse proxy on this machine (the tests' loopback connection is the proxy), with a strict sign-in limit.</summary>
public sealed class BehindProxyApp : InboxApp
{
    public const int FailedSignInsPerAddress = 2;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:Proxy:KnownProxies:0", "127.0.0.1");
        builder.UseSetting("Inbox:SignIn:FailuresPerAddress", $"{FailedSignInsPerAddress}");
    }
}
