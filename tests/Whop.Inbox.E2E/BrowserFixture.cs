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

    /// <param name="dark">Whether the operating system asks for dark mode (the app follows it until the person picks).</param>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 720, bool dark = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
        });
        context.SetDefaultTimeout(15_000);
        lock (_contexts) _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes the browsers a test opened, so their circuits do not linger into the next test.</summary>
    public async Task CloseContextsAsync()
    {
        IBrowserContext[] open;
        lock (_contexts)
        {
            open = [.. _contexts];
            _contexts.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
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
