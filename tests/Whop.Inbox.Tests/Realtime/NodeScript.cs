using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// Runs one of the hub scripts next to this file under Node.js with the official SignalR client,
/// and fails the test with the script's failed checks. Node and the client come from
/// <c>source .ci/lib/node.sh &amp;&amp; ensure_sdk</c> (which <c>bash .ci/test</c> runs); never skipped.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "Whop.Inbox.Tests", "Realtime");

    public static async Task RunAsync(string script, IReadOnlyDictionary<string, string> environment, ITestOutputHelper output)
    {
        var path = Path.Combine(Folder, script);
        File.Exists(path).ShouldBeTrue($"The hub script is missing: {path}");
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { path },
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["INBOX_NODE_MODULES"] = NodeModules();
        start.Environment["NO_COLOR"] = "1";

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
                "Could not start `node` (" + e.Message + "). The hub tests need Node.js 18 or newer: run `bash .ci/test`, " +
                "or `source .ci/lib/node.sh && ensure_sdk`.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var timeout = new CancellationTokenSource(Timeout))
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
        await process.WaitForExitAsync();

        string report;
        lock (stdout) lock (stderr) report = stdout + (stderr.Length > 0 ? "stderr:\n" + stderr : "");
        output.WriteLine(report);
        timedOut.ShouldBeFalse($"node {script} did not finish within {Timeout.TotalMinutes} minutes.\n{Failures(report)}");
        process.ExitCode.ShouldBe(0, $"node {script} exited with {process.ExitCode} (1: a check failed, 2: bad set-up).\n{Failures(report)}");
    }

    /// <summary>INBOX_NODE_MODULES if set, else the folder ensure_sdk installs into.</summary>
    private static string NodeModules()
    {
        var configured = Environment.GetEnvironmentVariable("INBOX_NODE_MODULES");
        var nodeModules = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepositoryPaths.Root, ".tools", "node", "node_modules")
            : Path.GetFullPath(configured);
        File.Exists(Path.Combine(nodeModules, "@microsoft", "signalr", "package.json")).ShouldBeTrue(
            $"The hub tests need @microsoft/signalr (pinned in tests/Whop.Inbox.Tests/Conformance/package.json) in {nodeModules}. " +
            "Run `bash .ci/test`, or from the repository root `source .ci/lib/node.sh && ensure_sdk`, then the tests again.");
        return nodeModules;
    }

    private static string Failures(string report) =>
        string.Join('\n', report.Split('\n').Where(l => !l.StartsWith("{\"ok\":true", StringComparison.Ordinal)));
}
