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
    /// Sixteen senders over four chats, so that sends arrive together and are committed in batches (group
    /// commit): each is acknowledged only after its batch's commit, so whatever batch the kill cut short
    /// held nothing acknowledged.
    /// </summary>
    [Fact]
    public async Task Every_message_acknowledged_from_batched_sends_before_a_kill_9_is_there_exactly_once_after_a_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        string[] chats;
        var acknowledged = new ConcurrentDictionary<string, (string Chat, string Id)>();
        using (var app = await AppProcess.StartAsync(database, output))
        {
            chats = new string[4];
            for (var c = 0; c < chats.Length; c++) chats[c] = await SupportChatAsync(app, $"batch-customer-{c}");
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 16).Select(sender => Task.Run(async () =>
            {
                var chat = chats[sender % chats.Length];
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"batch-{sender}-{i}";
                    try
                    {
                        var sent = await app.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"message {key}", client_message_id = key });
                        if (sent.IsSuccessStatusCode) acknowledged[key] = (chat, (await sent.JsonAsync()).Id());
                        else await Task.Delay(25); // refused (busy): not acknowledged, and no spin
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            })).ToList();
            while (acknowledged.Count < 200) await Task.Delay(20);
            app.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(senders);
        }
        output.WriteLine($"{acknowledged.Count} messages acknowledged before the kill");

        using var restarted = await AppProcess.StartAsync(database, output);
        foreach (var chat in chats)
        {
            var stored = await ContentsAsync(database, chat);
            foreach (var (key, (_, id)) in acknowledged.Where(a => a.Value.Chat == chat))
            {
                stored.Count(s => s.Content == $"message {key}").ShouldBe(1, $"{key} was acknowledged as {id}");
                stored.ShouldContain(s => s.Id == id);
            }
        }
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

    private static async Task<string> SupportChatAsync(AppProcess app, string username = "crash-customer")
    {
        var customer = await app.Client.PostJsonAsync("/api/v1/users", new { username, name = "Crash Customer" }).OkJsonAsync();
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
}
