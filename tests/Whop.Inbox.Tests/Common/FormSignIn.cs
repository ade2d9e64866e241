using System.Net;
using System.Text.RegularExpressions;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Common;

/// <summary>Signing in through the form as a browser does (its antiforgery token and cookie), optionally through a proxy's headers.</summary>
public static partial class FormSignIn
{
    /// <returns>The session cookie (null when refused), the answer's page and its <c>Set-Cookie</c> headers.</returns>
    public static async Task<(string? Cookie, string Page, IReadOnlyList<string> SetCookies)> SignInAsync(InboxApp app, string userName, string password,
        IReadOnlyDictionary<string, string>? proxyHeaders = null)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        foreach (var (name, value) in proxyHeaders ?? new Dictionary<string, string>()) browser.DefaultRequestHeaders.Add(name, value);
        var form = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryToken().Match(form);
        var answer = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["v"].Value),
            ["Input.UserName"] = userName,
            ["Input.Password"] = password,
        }));
        var setCookies = answer.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        // A cookie marked secure is not sent back over plain HTTP, so read it from the header.
        var session = setCookies.Select(c => SessionCookie().Match(c)).FirstOrDefault(m => m.Success)?.Groups["v"].Value;
        return (session, await answer.Content.ReadAsStringAsync(), setCookies);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<v>[^\"]+)\"|value=\"(?<v>[^\"]+)\"[^>]*name=\"__RequestVerificationToken\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("^whop_inbox=(?<v>[^;]+)")]
    private static partial Regex SessionCookie();
}
