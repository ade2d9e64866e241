using System.Diagnostics;
using Microsoft.Playwright;
using Whop.Inbox.Benchmarks.Data;
using Whop.Inbox.Benchmarks.Reporting;
using Whop.Inbox.Benchmarks.Running;

namespace Whop.Inbox.Benchmarks.Phases;

/// <summary>
/// The inbox in a real browser (Debian's Chromium through Playwright), signed in as the moderator:
/// how long from navigating to <c>/inbox</c> until the first chat row is visible, and until the page
/// is interactive; and how much server memory 50 open inbox pages (50 circuits) take.
/// </summary>
public sealed class BrowserPhase(string chromiumPath, Uri baseAddress, Action<string> say) : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IBrowserContext? _context;

    public sealed record LoadFigures(int Loads, Percentiles ListVisible, Percentiles Interactive, Percentiles FirstPaint);

    public sealed record CircuitFigures(int Circuits, string Page, MemorySample Before, MemorySample After, double ResidentPerCircuit,
        double ManagedHeapPerCircuit);

    public async Task StartAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        _context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 720 },
        });
        _context.SetDefaultTimeout(60_000);

        // Sign in once; the cookie serves every page of the context.
        var page = await _context.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Username or email").FillAsync(BenchData.ModeratorUserName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(BenchData.TeamPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("main[data-interactive='true']").WaitForAsync();
        await page.CloseAsync();
    }

    // The page's own clock, from the navigation's start: when the prerendered HTML began and finished arriving, when
    // the DOM was ready (the stylesheets and the scripts in), and when the first content was painted. The row's time
    // above also holds the driver's round trips; these do not.
    private const string NavigationTimingScript = """
        () => {
          const n = performance.getEntriesByType('navigation')[0];
          const p = performance.getEntriesByName('first-contentful-paint')[0];
          return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, p ? p.startTime : -1];
        }
        """;

    public async Task<LoadFigures> MeasureLoadsAsync(int loads)
    {
        var page = await _context!.NewPageAsync();
        var visible = new List<double>();
        var interactive = new List<double>();
        var firstPaint = new List<double>();
        // Two loads to warm the server's and the browser's caches, not counted.
        for (var i = -2; i < loads; i++)
        {
            await page.GotoAsync("about:blank");
            var started = Stopwatch.GetTimestamp();
            await page.GotoAsync("/inbox", new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            await page.Locator("[data-testid='inbox-row']").First.WaitForAsync(new() { State = WaitForSelectorState.Visible });
            var listAt = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await page.Locator("main[data-interactive='true']").WaitForAsync();
            var interactiveAt = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var timing = await page.EvaluateAsync<double[]>(NavigationTimingScript);
            say($"  load {i}: row {listAt:F0} ms, interactive {interactiveAt:F0} ms (the page's own clock: first byte {timing[0]:F0}, "
                + $"last byte {timing[1]:F0}, DOM ready {timing[2]:F0}, first paint {timing[3]:F0} ms)");
            if (i < 0) continue;
            visible.Add(listAt);
            interactive.Add(interactiveAt);
            firstPaint.Add(timing[3]);
        }
        await page.CloseAsync();
        return new LoadFigures(loads, Percentiles.Of(visible), Percentiles.Of(interactive), Percentiles.Of(firstPaint));
    }

    /// <summary>Opens <paramref name="circuits"/> inbox pages (each an interactive circuit), idles, and compares server memory.</summary>
    public async Task<CircuitFigures> MeasureCircuitsAsync(int circuits, AppProcess app, HttpClient api, string pagePath, TimeSpan idle)
    {
        var before = await app.SampleMemoryAsync(api);
        var pages = new List<IPage>();
        for (var i = 0; i < circuits; i++)
        {
            var page = await _context!.NewPageAsync();
            await page.GotoAsync(pagePath);
            await page.Locator("main[data-interactive='true']").WaitForAsync();
            if (pagePath == "/inbox") await page.Locator("[data-testid='inbox-row']").First.WaitForAsync();
            pages.Add(page);
            if (i % 10 == 9) say($"  {i + 1} circuits open");
        }
        await Task.Delay(idle);
        var after = await app.SampleMemoryAsync(api);
        foreach (var page in pages) await page.CloseAsync();
        return new CircuitFigures(circuits, pagePath, before, after, (double)(after.ResidentBytes - before.ResidentBytes) / circuits,
            (double)(after.ManagedHeapBytes - before.ManagedHeapBytes) / circuits);
    }

    public async ValueTask DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
