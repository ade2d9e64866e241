using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Data;

/// <summary>The built app (this configuration's output) started as a process of its own on a free port.</summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, TestDatabase database, Uri address)
    {
        _process = process;
        Database = database;
        Client = new HttpClient { BaseAddress = address };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", InboxApp.BootstrapApiKey);
    }

    public TestDatabase Database { get; }
    public HttpClient Client { get; }

    public static async Task<AppProcess> StartAsync(TestDatabase database, ITestOutputHelper output, params (string Key, string Value)[] settings)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!);
        var dll = Path.Combine(RepositoryPaths.WebProject, "bin", configuration, "net10.0", "Whop.Inbox.dll");
        File.Exists(dll).ShouldBeTrue($"the app is built at {dll}");
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", address.ToString().TrimEnd('/')])
        {
            WorkingDirectory = RepositoryPaths.WebProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in database.AppSettings()) start.Environment[key.Replace(":", "__")] = value;
        start.Environment["Inbox__BootstrapApiKey"] = InboxApp.BootstrapApiKey;
        start.Environment["Inbox__SeedDemoData"] = "false";
        start.Environment["Inbox__Embedding__DemoHostUrl"] = "";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Log(output, e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log(output, e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, database, address);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            process.HasExited.ShouldBeFalse("the app stopped while starting");
            try
            {
                if ((await app.Client.GetAsync("/healthz")).IsSuccessStatusCode) return app;
            }
            catch (HttpRequestException)
            {
            }
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the app did not answer /healthz within a minute");
            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, no goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
        Client.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
