using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Whop.Inbox.Data;
using Whop.Inbox.TestSupport;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Data;

/// <summary>The app as its own process, killed with SIGKILL mid-stream and started again on the same database.</summary>
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_message_acknowledged_before_a_kill_9_is_there_exactly_once_after_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        string chat;
        var acknowledged = new ConcurrentDictionary<string, string>();
        using (var app = await AppProcess.StartAsync(database, output))
        {
            chat = await SupportChatAsync(app);
            // Four senders, each with its own retry key, until the process dies under them.
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(sender => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"crash-{sender}-{i}";
                    try
                    {
                        var sent = await app.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"message {key}", client_message_id = key });
                        if (sent.StatusCode == HttpStatusCode.Created || sent.StatusCode == HttpStatusCode.OK)
                            acknowledged[key] = (await sent.JsonAsync()).Id();
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToList();
            while (acknowledged.Count < 40) await Task.Delay(20);
            app.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        output.WriteLine($"{acknowledged.Count} messages acknowledged before the kill");

        using var restarted = await AppProcess.StartAsync(database, output);
        var stored = await ContentsAsync(database, chat);
        foreach (var (key, id) in acknowledged)
        {
            stored.Count(s => s.Content == $"message {key}").ShouldBe(1, $"{key} was acknowledged as {id}");
            stored.ShouldContain(s => s.Id == id);
        }
        // And the restarted app serves it.
        var page = await restarted.Client.GetAsync($"/api/v1/messages?channel_id={chat}&first=1&direction=desc").OkJsonAsync();
        page["data"]!.AsArray().Count.ShouldBe(1);
    }

    /// <summary>
    /// The app refusing most of a flood (a bound of 2 at once, so 503s and 429s fly) when it is killed:
    /// what it acknowledged is there exactly once, and every refused send, retried with its key after the
    /// restart, lands exactly once too.
    /// </summary>
    [Fact]
    public async Task A_kill_9_while_refusing_loses_nothing_acknowledged_and_refused_sends_land_once_when_retried()
    {
        await using var database = await TestDatabase.CreateAsync();
        string chat;
        var acknowledged = new ConcurrentDictionary<string, string>();
        var refused = new ConcurrentDictionary<string, int>();
        var unanswered = new ConcurrentDictionary<string, byte>();
        using (var app = await AppProcess.StartAsync(database, output,
                   ("Inbox:Admission:MaxConcurrent", "2"), ("Inbox:RateLimit:RequestsPerSecond", "200"), ("Inbox:RateLimit:Burst", "50")))
        {
            chat = await SupportChatAsync(app);
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"flood-{sender}-{i}";
                    try
                    {
                        var sent = await app.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"message {key}", client_message_id = key });
                        if (sent.IsSuccessStatusCode) acknowledged[key] = (await sent.JsonAsync()).Id();
                        else
                        {
                            refused[key] = (int)sent.StatusCode;
                            await Task.Delay(25); // impatient, but not a spin: the retry comes after the restart
                        }
                    }
                    catch (HttpRequestException)
                    {
                        unanswered[key] = 0; // the process died with it on the way: it may or may not have landed
                        return;
                    }
                }
            })).ToList();
            while (acknowledged.Count < 40 || refused.IsEmpty) await Task.Delay(20);
            app.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        output.WriteLine($"{acknowledged.Count} acknowledged, {refused.Count} refused ({string.Join(", ", refused.Values.GroupBy(s => s).Select(g => $"{g.Count()} × {g.Key}"))}), {unanswered.Count} unanswered before the kill");
        refused.Values.ShouldAllBe(status => status == 503 || status == 429, "refusals are 503 or 429, nothing else");

        using var restarted = await AppProcess.StartAsync(database, output);
        foreach (var key in refused.Keys.Concat(unanswered.Keys))
        {
            // As a client does: after what Retry-After says, for as long as it is refused.
            HttpResponseMessage retried;
            do
            {
                retried = await restarted.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"message {key}", client_message_id = key });
                if ((int)retried.StatusCode is 429 or 503) await Task.Delay(retried.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            }
            while ((int)retried.StatusCode is 429 or 503);
            ((int)retried.StatusCode).ShouldBe(200, $"{key} retried");
        }
        var stored = await ContentsAsync(database, chat);
        foreach (var (key, id) in acknowledged)
        {
            stored.Count(s => s.Content == $"message {key}").ShouldBe(1, $"{key} was acknowledged as {id}");
            stored.ShouldContain(s => s.Id == id);
        }
        foreach (var key in refused.Keys.Concat(unanswered.Keys))
            stored.Count(s => s.Content == $"message {key}").ShouldBe(1, $"{key} was refused, then retried");
    }

    private static async Task<string> SupportChatAsync(AppProcess app)
    {
        var customer = await app.Client.PostJsonAsync("/api/v1/users", new { username = "crash-customer", name = "Crash Customer" }).OkJsonAsync();
        await using var db = app.Database.CreateContext();
        var company = await db.Companies.Select(c => c.Id).SingleAsync();
        return (await app.Client.PostJsonAsync("/api/v1/support_channels", new { company_id = company, user_id = customer.Id() }).OkJsonAsync()).Id();
    }

    private static async Task<List<(string Id, string Content)>> ContentsAsync(TestDatabase database, string chat)
    {
        await using var db = database.CreateContext();
        return (await db.Messages.Where(m => m.ChannelId == chat).Select(m => new { m.Id, m.Content }).ToListAsync())
            .Select(m => (m.Id, m.Content)).ToList();
    }

    /// <summary>The built app (this configuration's output) started as a process of its own on a free port.</summary>
    private sealed class AppProcess : IDisposable
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

        private static int FreePort()
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
}
