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
    [Theory]
    [InlineData(null, "/account/login", "sign-in")]
    [InlineData("maya", "/inbox?status=all&customer=alice", "inbox")]
    [InlineData("ben", "/messages", "messages")]
    [InlineData("admin", "/team", "team")]
    [InlineData("admin", "/settings/api-keys", "api-keys")]
    [InlineData("admin", "/settings/audit", "audit trail")]
    public async Task A_screen_has_no_serious_accessibility_findings(string? person, string path, string screen)
    {
        var page = await fixture.NewPageAsync(injectsScripts: true);
        if (person is not null) await new SignInPage(page).SignInAndWaitAsync(person);
        await page.GotoAsync(path);
        if (person is not null) await new Shell(page).WaitUntilInteractiveAsync();
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
            $"axe-core on the {screen} screen:\n" + string.Join("\n", findings.Select(f => $"  {f}")));
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
