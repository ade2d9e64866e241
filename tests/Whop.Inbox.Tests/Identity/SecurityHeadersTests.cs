using System.Net;
using System.Text.RegularExpressions;
using Whop.Inbox.Tests.Common;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Identity;

/// <summary>The headers a security review asks for, on every kind of response, and pages that need nothing the policy forbids.</summary>
[Collection(AppCollection.Name)]
public sealed partial class SecurityHeadersTests(InboxApp app)
{
    [Fact]
    public async Task Every_page_API_answer_and_file_carries_the_policy_and_the_other_headers()
    {
        var browser = app.CreateHttpClient();
        browser.DefaultRequestHeaders.Add("Cookie", await app.SignInCookieAsync("admin"));
        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["sign-in page"] = await app.CreateHttpClient().GetAsync("/account/login"),
            ["inbox page"] = await browser.GetAsync("/inbox"),
            ["messages page"] = await browser.GetAsync("/messages"),
            ["API answer"] = await app.Backend().GetAsync("/api/v1/support_channels?view=admin"),
            ["API error"] = await app.CreateHttpClient().GetAsync("/api/v1/support_channels"),
            ["static file"] = await app.CreateHttpClient().GetAsync("/app.css"),
            ["health"] = await app.CreateHttpClient().GetAsync("/healthz"),
            ["chat element"] = await app.CreateHttpClient().GetAsync($"/embed/chat?company={await app.CompanyIdAsync()}"),
        };

        foreach (var (what, response) in responses)
        {
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);
            directives["default-src"].ShouldBe("'self'", what);
            directives["script-src"].ShouldBe("'self'", what);
            directives["script-src"].ShouldNotContain("unsafe-inline", customMessage: what); // inline styles only, never inline scripts
            directives["style-src"].ShouldBe("'self' 'unsafe-inline'", what);
            directives["object-src"].ShouldBe("'none'", what);
            directives["base-uri"].ShouldBe("'self'", what);
            // The element pages name the sites their company allows (EmbeddingTests); nothing else may be framed.
            if (what != "chat element") directives["frame-ancestors"].ShouldBe("'none'", what);
            else directives.ShouldContainKey("frame-ancestors");
            csp.ShouldNotContain("unsafe-eval", customMessage: what);
            response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("strict-origin-when-cross-origin", what);
            response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff", what);
            response.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=()", customMessage: what);
        }
    }

    [Fact]
    public async Task The_pages_have_no_inline_script_the_policy_would_block()
    {
        var browser = app.CreateHttpClient();
        browser.DefaultRequestHeaders.Add("Cookie", await app.SignInCookieAsync("admin"));
        foreach (var path in new[] { "/account/login", "/inbox", "/messages", "/team", "/settings/api-keys", "/settings/audit", "/settings/embedding", $"/embed/chat?company={await app.CompanyIdAsync()}" })
        {
            var response = path == "/account/login" ? await app.CreateHttpClient().GetAsync(path) : await browser.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            ScriptTag().Matches(html).Where(tag => !tag.Value.Contains(" src=")).Select(tag => tag.Value).ShouldBeEmpty(path);
            InlineHandler().Matches(html).Select(m => m.Value).ShouldBeEmpty(path);
        }
    }

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\son[a-z]+=\"[^\"]*\"", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();
}

/// <summary>The sign-in form's limit per client address, beside the lockout per account.</summary>
public sealed class SignInLimitTests(StrictLimitsApp app) : IClassFixture<StrictLimitsApp>
{
    [Fact]
    public async Task One_address_failing_on_several_accounts_is_stopped_even_with_a_right_password_next()
    {
        // One wrong password on each of three accounts: no account reaches its own lockout.
        foreach (var user in new[] { "alice", "ben", "chloe" })
            (await SignInAsync(user, "not-the-password")).Cookie.ShouldBeNull();

        var (cookie, page) = await SignInAsync("maya", InboxApp.DemoPassword);
        cookie.ShouldBeNull("the address used up its failed sign-ins");
        page.ShouldContain("Too many failed sign-ins from your network");
    }

    private async Task<(string? Cookie, string Page)> SignInAsync(string userName, string password)
    {
        var (cookie, page, _) = await FormSignIn.SignInAsync(app, userName, password);
        return (cookie, page);
    }
}
