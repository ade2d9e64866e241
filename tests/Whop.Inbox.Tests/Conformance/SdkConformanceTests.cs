using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Conformance;

/// <summary>
/// Wire compatibility with Whop's v1 API, proven with Whop's own client: sdk-conformance.mjs drives a
/// fresh app with the official TypeScript SDK (@whop/sdk, pinned in package.json next to it) and
/// checks every object it gets back against the SDK's types. Needs Node.js and the SDK installed
/// in .tools/node: <c>bash .ci/test</c> does that, or <c>source .ci/lib/node.sh &amp;&amp; ensure_sdk</c>.
/// </summary>
public sealed class SdkConformanceTests(InboxApp app, ITestOutputHelper output) : IClassFixture<InboxApp>
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    private static string ConformanceFolder => Path.Combine(RepositoryPaths.Root, "tests", "Whop.Inbox.Tests", "Conformance");

    [Fact]
    public async Task The_official_Whop_SDK_works_against_the_API_unchanged()
    {
        var nodeModules = SdkNodeModules();
        var script = Path.Combine(ConformanceFolder, "sdk-conformance.mjs");
        File.Exists(script).ShouldBeTrue($"The conformance script is missing: {script}");

        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script },
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.Environment["BASE_URL"] = app.BaseAddress.ToString().TrimEnd('/') + "/api/v1";
        start.Environment["API_KEY"] = InboxApp.BootstrapApiKey;
        start.Environment["COMPANY_ID"] = await CompanyIdAsync();
        start.Environment["INBOX_NODE_MODULES"] = nodeModules;
        start.Environment["NO_COLOR"] = "1";

        var (exitCode, stdout, stderr, timedOut) = await RunAsync(start);
        output.WriteLine(stdout);
        if (stderr.Length > 0) output.WriteLine("stderr:\n" + stderr);

        timedOut.ShouldBeFalse($"node sdk-conformance.mjs did not finish within {ScriptTimeout.TotalMinutes} minutes.\n{Report(stdout, stderr)}");
        exitCode.ShouldBe(0, $"node sdk-conformance.mjs exited with {exitCode} (1: a check failed, 2: bad set-up).\n{Report(stdout, stderr)}");
    }

    /// <summary>INBOX_NODE_MODULES if set (ensure_sdk exports it), else the default install folder; never skipped.</summary>
    private static string SdkNodeModules()
    {
        var configured = Environment.GetEnvironmentVariable("INBOX_NODE_MODULES");
        var nodeModules = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepositoryPaths.Root, ".tools", "node", "node_modules")
            : Path.GetFullPath(configured);
        var sdkPackage = Path.Combine(nodeModules, "@whop", "sdk", "package.json");
        File.Exists(sdkPackage).ShouldBeTrue(
            $"The SDK conformance test needs @whop/sdk (the version pinned in {Path.Combine(ConformanceFolder, "package.json")}) " +
            $"installed in {nodeModules}, and it is not there. Run `bash .ci/test`, or from the repository root " +
            "`source .ci/lib/node.sh && ensure_sdk`, then run the tests again.");
        return nodeModules;
    }

    /// <summary>The demo company, which the bootstrap API key administers.</summary>
    private async Task<string> CompanyIdAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.Companies.OrderBy(c => c.CreatedAt).Select(c => c.Id).FirstAsync();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr, bool TimedOut)> RunAsync(ProcessStartInfo start)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                "Could not start `node` (" + e.Message + "). The SDK conformance test needs Node.js 18 or newer on PATH: " +
                "run `bash .ci/test`, or `source .ci/lib/node.sh && ensure_sdk`, which install it.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var timedOut = false;
        using (var timeout = new CancellationTokenSource(ScriptTimeout))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
            }
        }
        // Let the output readers drain what the process wrote before it exited.
        await process.WaitForExitAsync();
        lock (stdout) lock (stderr) return (timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
    }

    /// <summary>The failed checks and the summary first, then stderr: the passing lines are in the test output.</summary>
    private static string Report(string stdout, string stderr)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var important = lines.Where(l => !l.StartsWith("{\"ok\":true", StringComparison.Ordinal)).ToList();
        var report = new StringBuilder();
        report.AppendLine($"{lines.Count(l => l.StartsWith("{\"ok\":true", StringComparison.Ordinal))} checks passed; failures and summary:");
        foreach (var line in important) report.AppendLine(line);
        if (stderr.Length > 0) report.AppendLine("stderr:").AppendLine(stderr);
        return report.ToString();
    }
}
