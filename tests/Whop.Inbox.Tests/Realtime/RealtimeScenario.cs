using System.Net;
using System.Text.RegularExpressions;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>What the real-time tests set up: a customer's support chat, a user's token, a browser's sign-in cookie.</summary>
internal static partial class RealtimeScenario
{
    /// <summary>The customer's support chat with the demo company, opened by the company's backend.</summary>
    public static async Task<string> SupportChatForAsync(this InboxApp app, TestUser customer) =>
        (await ApiClient.RetryingBusyAsync(async () => await app.Backend().PostJsonAsync("/api/v1/support_channels",
            new { company_id = await app.CompanyIdAsync(), user_id = customer.Id })).OkJsonAsync()).Id();

    /// <summary>The bearer credential a test user's client sends.</summary>
    public static string Token(this TestUser user) => user.Client.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>Signs in through the sign-in form, as a browser does, and returns the cookie header it would send.</summary>
    public static async Task<string> SignInCookieAsync(this InboxApp app, string userName)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = app.BaseAddress,
        };
        var form = await browser.GetStringAsync("/account/login");
        var antiforgery = AntiforgeryField().Match(form);
        antiforgery.Success.ShouldBeTrue("the sign-in form has an antiforgery token");
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery.Groups["value"].Value),
            ["Input.UserName"] = userName,
            ["Input.Password"] = InboxApp.DemoPassword,
        }));
        var cookie = cookies.GetCookies(app.BaseAddress)["whop_inbox"];
        cookie.ShouldNotBeNull($"signing in as {userName} set no cookie (status {(int)signedIn.StatusCode})");
        return $"{cookie.Name}={cookie.Value}";
    }

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="(?<value>[^"]+)"|<input[^>]*value="(?<value>[^"]+)"[^>]*name="__RequestVerificationToken" """)]
    private static partial Regex AntiforgeryField();
}
