using System.ComponentModel.DataAnnotations;
using Whop.Inbox.Common;
using Whop.Inbox.Tests.Common;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Identity;

/// <summary>
/// Behind a configured proxy the app sees each client's own address and scheme; elsewhere the
/// forwarded headers are ignored, so nobody escapes the sign-in limit by naming another address.
/// </summary>
public sealed class ReverseProxyTests(BehindProxyApp app) : IClassFixture<BehindProxyApp>
{
    [Fact]
    public async Task Behind_the_proxy_one_clients_failed_sign_ins_do_not_lock_out_the_others_and_https_cookies_are_secure()
    {
        var attacker = Through("203.0.113.7");
        for (var i = 0; i < BehindProxyApp.FailedSignInsPerAddress; i++)
            (await FormSignIn.SignInAsync(app, "ben", "not-the-password", attacker)).Cookie.ShouldBeNull();
        var (blocked, page, _) = await FormSignIn.SignInAsync(app, "maya", InboxApp.DemoPassword, attacker);
        blocked.ShouldBeNull("the attacking client used up its failed sign-ins");
        page.ShouldContain("Too many failed sign-ins from your network");

        var (cookie, _, setCookies) = await FormSignIn.SignInAsync(app, "maya", InboxApp.DemoPassword, Through("198.51.100.20"));
        cookie.ShouldNotBeNull("another client behind the same proxy signs in");
        setCookies.Single(c => c.StartsWith("whop_inbox=")).ShouldContain("secure", Case.Insensitive,
            "the client came over HTTPS to the proxy, so the session cookie is never sent in clear");
    }

    private static Dictionary<string, string> Through(string clientAddress) => new()
    {
        ["X-Forwarded-For"] = clientAddress,
        ["X-Forwarded-Proto"] = "https",
    };
}

/// <summary>Without a configured proxy, forwarded headers change nothing.</summary>
public sealed class NoProxyTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task A_client_naming_a_new_address_in_each_request_is_still_stopped_and_gets_no_secure_cookie_over_http()
    {
        var (cookie, _, setCookies) = await FormSignIn.SignInAsync(app, "omar", InboxApp.DemoPassword, Spoofed(0));
        cookie.ShouldNotBeNull();
        setCookies.Single(c => c.StartsWith("whop_inbox=")).ShouldNotContain("secure", Case.Insensitive, "the request came over plain HTTP");

        for (var i = 1; i <= StrictLimitsApp.FailedSignInsPerAddress; i++)
            (await FormSignIn.SignInAsync(app, "ben", "not-the-password", Spoofed(i))).Cookie.ShouldBeNull();
        var (blocked, page, _) = await FormSignIn.SignInAsync(app, "maya", InboxApp.DemoPassword, Spoofed(99));
        blocked.ShouldBeNull("the headers are not believed: every try counts against the real address");
        page.ShouldContain("Too many failed sign-ins from your network");
    }

    private static Dictionary<string, string> Spoofed(int n) => new()
    {
        ["X-Forwarded-For"] = $"192.0.2.{n}",
        ["X-Forwarded-Proto"] = "https",
    };
}

/// <summary>A proxy setting that cannot be read stops the start with a message naming it, rather than trusting nobody (or everybody) silently.</summary>
public sealed class ProxyOptionsTests
{
    [Fact]
    public void An_address_or_network_that_does_not_parse_is_refused_naming_the_setting()
    {
        var options = new ProxyOptions { KnownProxies = ["10.0.0.5", "10.0.0.300"], KnownNetworks = ["10.0.0.0/24", "10.0.0.0/33"] };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage!).ToList();

        errors.Count.ShouldBe(2);
        errors[0].ShouldContain("Inbox:Proxy:KnownProxies");
        errors[0].ShouldContain("10.0.0.300");
        errors[1].ShouldContain("Inbox:Proxy:KnownNetworks");
        errors[1].ShouldContain("10.0.0.0/33");
        new ProxyOptions { KnownProxies = ["::1"], KnownNetworks = ["fd00::/8"] }.Validate(new ValidationContext(options)).ShouldBeEmpty();
    }
}
