using Microsoft.AspNetCore.Hosting;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

/// <summary>The app with small limits, so tests reach them in a few calls: 5 requests at once then 1 a second per credential, 3 failed sign-ins per address.</summary>
public sealed class StrictLimitsApp : InboxApp
{
    public const int Burst = 5;
    public const int FailedSignInsPerAddress = 3;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Inbox:RateLimit:RequestsPerSecond", "1");
        builder.UseSetting("Inbox:RateLimit:Burst", $"{Burst}");
        builder.UseSetting("Inbox:SignIn:FailuresPerAddress", $"{FailedSignInsPerAddress}");
    }
}
