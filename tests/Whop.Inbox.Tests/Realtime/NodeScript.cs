using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>
/// Runs a Node.js test script (the hub scripts next to this file, the SDK conformance script) with
/// the official clients, and fails the test with the script's failed checks. Node and the clients
/// come from <c>source .ci/lib/node.sh &amp;&amp; ensure_sdk</c> (which <c>bash .ci/test</c> runs); never skipped.
/// </summary>
internal static class NodeScript
{
    private static readonly TimeSpan HubTimeout = TimeSpan.FromMinutes(3);

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "Whop.Inbox.Tests", "Realtime");

    /// <summary>One of the hub scripts next to this file, with the SignalR client.</summary>
    public static Task RunAsync(string script, IReadOnlyDictionary<string, string> environment, ITestOutputHelper output) =>
        RunFileAsync(Path.Combine(Folder, script), environment, output, Path.Combine("@microsoft", "signalr"), HubTimeout);

    /// <summary>Any script, given the npm package it cannot run without.</summary>
    public static async Task RunFileAsync(string path, IReadOnlyDictionary<string, string> environment, ITestOutputHelper output,
        string requiredPackage, TimeSpan timeout)
    {
        var script = Path.GetFileName(path);
        File.Exists(path).ShouldBeTrue($"The test script is missing: {path}");
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
        start.Environment["INBOX_NODE_MODULES"] = NodeModules(requiredPackage);
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
                "Could not start `node` (" + e.Message + "). The Node.js tests need Node.js 18 or newer: run `bash .ci/test`, " +
                "or `source .ci/lib/node.sh && ensure_sdk`.", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timedOut = false;
        using (var deadline = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(deadline.Token);
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
        timedOut.ShouldBeFalse($"node {script} did not finish within {timeout.TotalMinutes} minutes.\n{Failures(report)}");
        process.ExitCode.ShouldBe(0, $"node {script} exited with {process.ExitCode} (1: a check failed, 2: bad set-up).\n{Failures(report)}");
    }

    /// <summary>INBOX_NODE_MODULES if set, else the folder ensure_sdk installs into; the package must be there.</summary>
    private static string NodeModules(string package)
    {
        var configured = Environment.GetEnvironmentVariable("INBOX_NODE_MODULES");
        var nodeModules = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(RepositoryPaths.Root, ".tools", "node", "node_modules")
            : Path.GetFullPath(configured);
        File.Exists(Path.Combine(nodeModules, package, "package.json")).ShouldBeTrue(
            $"This test needs {package.Replace('\\', '/')} (pinned in tests/Whop.Inbox.Tests/Conformance/package.json) in {nodeModules}. " +
            "Run `bash .ci/test`, or from the repository root `source .ci/lib/node.sh && ensure_sdk`, then the tests again.");
        return nodeModules;
    }

    /// <summary>How many checks passed, then the failed ones, the summary and stderr: the passing lines are in the test output.</summary>
    private static string Failures(string report)
    {
        var lines = report.Split('\n');
        var passed = lines.Count(l => l.StartsWith("{\"ok\":true", StringComparison.Ordinal));
        return $"{passed} checks passed; failures and summary:\n" +
            string.Join('\n', lines.Where(l => !l.StartsWith("{\"ok\":true", StringComparison.Ordinal)));
    }
}
