using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

/// <summary>
/// The app on a real port with the demo data, and Debian's Chromium driven by Playwright. One per
/// test collection; each test opens its own browser context (its own cookies).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    public InboxApp App { get; } = new();
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // The snooze story waits for a chat to wake: the app looks for due snoozes every few seconds, not every 30.
        Environment.SetEnvironmentVariable("Snooze__WakeInterval", "00:00:03");
        await App.InitializeAsync();
        // Generous waits: a busy two-core machine runs both test projects at once. Speed is
        // measured by the benchmarks, not here.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Never Playwright's own browser download: it cannot be fetched here. Debian's Chromium is.
            ExecutablePath = Environment.GetEnvironmentVariable("INBOX_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh browser (no cookies) sized like a 1280x720 laptop.</summary>
    private readonly List<IBrowserContext> _contexts = [];

    /// <param name="injectsScripts">
    /// The test adds a script tag of its own (axe-core): the browser lets it past the policy, which
    /// is then not checked for this page (the other tests visit the same screens).
    /// </param>
    /// <param name="dark">Whether the operating system asks for dark mode (the app follows it until the person picks).</param>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 720, bool injectsScripts = false, bool dark = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = injectsScripts,
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        context.Console += (_, message) => NoteContentSecurityPolicyViolation(message.Text);
        // The browser's own report names the directive; this names the element, so a failure says what to fix.
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e => console.log('Content Security Policy refused (' + e.violatedDirective + '): '
              + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 300) : String(e.target)) + ' ' + (e.sample || '')));
            """);
        lock (_contexts) _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private readonly List<string> _policyViolations = [];

    /// <summary>
    /// What the browser refused under the app's Content-Security-Policy (a script, style, image, font
    /// or connection), which would break a page. Frames refused by frame-ancestors are not counted:
    /// the embedding tests provoke those on purpose.
    /// </summary>
    private void NoteContentSecurityPolicyViolation(string text)
    {
        if (!text.Contains("Content Security Policy", StringComparison.Ordinal) || text.Contains("frame-ancestors", StringComparison.Ordinal)) return;
        lock (_policyViolations) _policyViolations.Add(text);
    }

    /// <summary>
    /// Closes the browsers a test opened, so their circuits do not linger into the next test, and
    /// fails the test when a page met a Content-Security-Policy refusal.
    /// </summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
        string[] violations;
        lock (_policyViolations)
        {
            violations = [.. _policyViolations];
            _policyViolations.Clear();
        }
        if (violations.Length > 0)
            throw new InvalidOperationException("The Content-Security-Policy refused something a page needs:\n" + string.Join("\n", violations));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>A browser test: whatever browsers it opened are closed when it ends.</summary>
public abstract class BrowserTest(BrowserFixture fixture) : IAsyncLifetime
{
    /// <summary>The app and the browser, shared by the collection.</summary>
    protected BrowserFixture Fixture { get; } = fixture;

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => Fixture.CloseContextsAsync();
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
