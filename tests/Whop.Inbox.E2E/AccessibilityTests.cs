using System.Text.Json;
using Whop.Inbox.E2E.Pages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.E2E;

/// <summary>
/// Each main screen, checked by axe-core (the accessibility engine behind the browsers' own audits)
/// for the WCAG 2.1 A and AA rules: labels, roles, names, contrast, landmarks. Serious and critical
/// findings fail the test, listed with where they are.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    public static TheoryData<string?, string, string, bool> Screens()
    {
        var screens = new (string? Person, string Path, string Screen)[]
        {
            (null, "/account/login", "sign-in"),
            ("maya", "/inbox?status=all&customer=alice", "inbox"),
            ("ben", "/messages", "messages"),
            ("chloe", "/messages", "dm list"),
            ("admin", "/team", "team"),
            ("admin", "/settings/api-keys", "api-keys"),
            ("admin", "/settings/audit", "audit trail"),
            ("admin", "/settings/embedding", "embedding"),
            ("admin", "/settings/webhooks", "webhooks"),
            ("maya", "/saved-replies", "saved replies"),
            ("admin", "/settings/labels", "labels"),
            ("maya", "/not-found", "not found"),
            ("maya", "/team", "access refused"),
        };
        var data = new TheoryData<string?, string, string, bool>();
        foreach (var (person, path, screen) in screens)
        {
            data.Add(person, path, screen, false);
            data.Add(person, path, screen, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Screens))]
    public async Task A_screen_has_no_serious_accessibility_findings(string? person, string path, string screen, bool dark)
    {
        var page = await Fixture.NewPageAsync(dark: dark, injectsScripts: true);
        if (person is not null) await new SignInPage(page).SignInAndWaitAsync(person);
        await page.GotoAsync(path);
        if (person is not null) await new Shell(page).WaitUntilInteractiveAsync();
        if (person is not null)
        {
            // The theme follows the system: wait until the page shows the one asked for.
            await Assertions.Expect(page.Locator($"[data-theme='{(dark ? "dark" : "light")}']")).ToHaveCountAsync(1);
        }
        if (screen == "inbox")
        {
            var inbox = new InboxPage(page);
            await inbox.Row("Alice Moreau").ClickAsync();
            await Assertions.Expect(inbox.Composer).ToBeVisibleAsync();
        }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var (checkedRules, findings) = await AuditAsync(page);

        checkedRules.ShouldBeGreaterThan(15, "axe-core checked the page");
        findings.Where(f => f.Impact is "serious" or "critical").ShouldBeEmpty(
            $"axe-core on the {screen} screen ({(dark ? "dark" : "light")}):\n" + string.Join("\n", findings.Select(f => $"  {f}")));
    }

    private sealed record Finding(string Id, string? Impact, string Help, string[] Where)
    {
        public override string ToString() => $"[{Impact}] {Id}: {Help} at {string.Join(" | ", Where)}";
    }

    /// <summary>How many rules the page passed, and what it failed.</summary>
    private static async Task<(int Passed, IReadOnlyList<Finding> Findings)> AuditAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Path = AxeScript() });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations', 'passes'] });
              return {
                passed: result.passes.length,
                findings: result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, where: v.nodes.slice(0, 4).map(n => n.target.join(' ')) })),
              };
            }
            """);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        return (json.GetProperty("passed").GetInt32(), json.GetProperty("findings").Deserialize<List<Finding>>(web)!);
    }

    /// <summary>axe-core as pinned in the Node test packages (installed by <c>ensure_sdk</c>, which the test command runs).</summary>
    private static string AxeScript()
    {
        var modules = Environment.GetEnvironmentVariable("INBOX_NODE_MODULES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryPaths.Root, ".tools", "node", "node_modules");
        var script = Path.Combine(modules, "axe-core", "axe.min.js");
        File.Exists(script).ShouldBeTrue($"axe-core is not installed at {script}: run `source .ci/lib/node.sh && ensure_sdk`");
        return script;
    }
}
