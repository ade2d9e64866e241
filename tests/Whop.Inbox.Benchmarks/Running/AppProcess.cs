using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Whop.Inbox.Benchmarks.Running;

/// <summary>
/// The published app as production runs it: its own process (Release), started from its publish
/// folder, against the benchmark database (SQLite or PostgreSQL). Logs go to a file; the console stays for results.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(Process process, StreamWriter log, Uri baseAddress)
    {
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    /// <summary>Whether the process has ended (crashed, or was stopped); <see cref="ExitCode"/> then says how.</summary>
    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Settings every benchmark start uses; <paramref name="Database"/> holds the provider's settings (environment variables).</summary>
    public sealed record Settings(string AppFolder, IReadOnlyDictionary<string, string> Database, string BootstrapApiKey, string LogFile,
        IReadOnlyDictionary<string, string>? Environment = null, string CompanyName = "Northwind Academy");

    /// <summary>Starts the app and returns once the process is running (not yet ready: see <see cref="WaitHealthyAsync"/>).</summary>
    public static AppProcess Start(Settings settings)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", "Whop.Inbox.dll")
        {
            WorkingDirectory = Path.GetFullPath(settings.AppFolder),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings.Database) env[name] = value;
        env["Inbox__BootstrapApiKey"] = settings.BootstrapApiKey;
        env["Inbox__SeedDemoData"] = "false";
        env["Inbox__CompanyName"] = settings.CompanyName;
        // The limiter guards against abusive clients; the benchmark measures the server behind it.
        env["Inbox__RateLimit__RequestsPerSecond"] = "0";
        env["Inbox__MemoryDiagnostics"] = "true";
        // Statements per request (a response header) and in total (/diagnostics/statements), beside the times.
        env["Inbox__StatementDiagnostics"] = "true";
        // The webhooks phase's receiver listens on loopback, which the app refuses as a webhook target unless the
        // operator allows it. Without an endpoint registered nothing is sent, so the other phases are unaffected.
        env["Inbox__Webhooks__AllowedHosts__0"] = "127.0.0.1";
        env["Logging__LogLevel__Default"] = "Warning";
        env["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in settings.Environment ?? new Dictionary<string, string>()) env[name] = value;

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.LogFile))!);
        var log = new StreamWriter(settings.LogFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(process, log, baseAddress);
    }

    /// <summary>Polls <c>/healthz</c> until it answers 200; returns how long that took from <paramref name="since"/>.</summary>
    public async Task<TimeSpan> WaitHealthyAsync(long since, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with status {_process.ExitCode}; see its log.");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK) return Stopwatch.GetElapsedTime(since);
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering within a poll's 5 s yet (a busy machine); the deadline decides.
            }
            await Task.Delay(10);
        }
        throw new TimeoutException($"The app did not answer /healthz within {timeout.TotalSeconds} s; see its log.");
    }

    /// <summary>Resident memory of the app process, from the kernel.</summary>
    public long ResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        return 0;
    }

    /// <summary>After a full collection: resident memory and the managed heap (the app's diagnostics endpoint).</summary>
    public async Task<MemorySample> SampleMemoryAsync(HttpClient api)
    {
        // Collect, let the runtime hand freed memory back to the kernel, collect again: the resident
        // figure settles only after the heap was compacted and decommitted.
        (await api.GetAsync(new Uri(BaseAddress, "/diagnostics/memory?collect=true"))).Dispose();
        await Task.Delay(TimeSpan.FromSeconds(3));
        using var response = await api.GetAsync(new Uri(BaseAddress, "/diagnostics/memory?collect=true"));
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new MemorySample(ResidentBytes(), json.RootElement.GetProperty("managed_heap_bytes").GetInt64(),
            json.RootElement.GetProperty("gc_committed_bytes").GetInt64());
    }

    /// <summary>How many statements the app has sent to its database so far (the app's diagnostics endpoint).</summary>
    public static async Task<long> StatementsAsync(HttpClient api)
    {
        using var response = await api.GetAsync("/diagnostics/statements");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("total").GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first, so the app closes its connections as it would in production.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await term.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record MemorySample(long ResidentBytes, long ManagedHeapBytes, long GcCommittedBytes);
