using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StandardWebhooks;
using Whop.Inbox.Data;
using Whop.Inbox.Tests.Data;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.Tests.Realtime;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Webhooks;
using Xunit.Abstractions;

namespace Whop.Inbox.Tests.Webhooks;

/// <summary>An app that may send webhooks to loopback (the tests' receiver), retrying fast and timing out in a second.</summary>
public sealed class WebhookWorld : IAsyncLifetime
{
    public static readonly (string, string)[] Settings =
    [
        ("Inbox:Webhooks:AllowedHosts:0", "127.0.0.1"),
        ("Inbox:Webhooks:FirstRetrySeconds", "0.3"),
        ("Inbox:Webhooks:TimeoutSeconds", "1"),
    ];

    private TestDatabase _database = null!;

    public InboxApp App { get; private set; } = null!;
    internal WebhookReceiver Receiver { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        _database = await TestDatabase.CreateAsync();
        App = InboxApp.Over(_database, Settings);
        await App.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await _database.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>Webhooks end to end: registered through the API, sent by the app to a real receiver, verified as a receiver would.</summary>
public sealed class WebhookTests(WebhookWorld world, ITestOutputHelper output) : IClassFixture<WebhookWorld>
{
    private const string Hooks = "/api/v1/webhooks";
    private InboxApp App => world.App;
    private WebhookReceiver Receiver => world.Receiver;

    [Fact]
    public void Signatures_verify_with_the_reference_implementation_and_both_secrets_sign_during_a_rotation()
    {
        var (old, current) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
        const string id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string body = """{"type":"message.created","timestamp":"2026-12-06T12:00:00Z","data":{"id":"post_1"}}""";

        new StandardWebhook(current).Sign(id, DateTimeOffset.FromUnixTimeSeconds(timestamp), body)
            .ShouldBe(WebhookSignature.Sign(current, id, timestamp, body), "the same signature as the reference implementation's");
        var header = WebhookSignature.Header([current, old], id, timestamp, body);
        foreach (var secret in new[] { current, old }) Verify(secret, id, timestamp, header, body);
        Should.Throw<Exception>(() => Verify(WebhookSignature.NewSecret(), id, timestamp, header, body));
        Should.Throw<Exception>(() => Verify(current, id, timestamp, header, body.Replace("post_1", "post_2")));
    }

    [Fact]
    public async Task Registration_refuses_bad_addresses_events_and_secrets_with_the_field_named()
    {
        var admin = App.Backend();
        await (await admin.PostJsonAsync(Hooks, new { url = "http://example.com/hook", events = new[] { "message.created" } })).ShouldBeProblemAsync(400, "url");
        await (await admin.PostJsonAsync(Hooks, new { url = "https://user:pw@example.com/hook", events = new[] { "message.created" } }))
            .ShouldBeProblemAsync(400, "url");
        await (await admin.PostJsonAsync(Hooks, new { url = "https://127.0.0.2/hook", events = new[] { "message.created" } }))
            .ShouldBeProblemAsync(422, "url");
        await (await admin.PostJsonAsync(Hooks, new { url = Receiver.Url("ok"), events = new[] { "message.sent" } })).ShouldBeProblemAsync(400, "events");
        await (await admin.PostJsonAsync(Hooks, new { url = Receiver.Url("ok"), events = Array.Empty<string>() })).ShouldBeProblemAsync(400, "events");
        await (await admin.PostJsonAsync(Hooks, new { url = Receiver.Url("ok"), events = new[] { "message.created" }, secret = "whsec_c2hvcnQ=" }))
            .ShouldBeProblemAsync(400, "secret");
        var moderator = await App.NewTeamMemberAsync("moderator");
        await (await moderator.Client.PostJsonAsync(Hooks, new { url = Receiver.Url("ok"), events = new[] { "message.created" } })).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_registration_and_as_a_delivery_connects()
    {
        var strict = new WebhookTargets(Options.Create(new WebhooksOptions()));
        (await strict.CheckAsync("https://localhost/hook", default)).ShouldNotBeNull().Field.ShouldBe("url");
        var byName = new UriBuilder(Receiver.Url("strict")) { Host = "localhost" }.Uri;
        var refused = await Should.ThrowAsync<HttpRequestException>(() => strict.Client.PostAsync(byName, new StringContent("{}")));
        refused.Message.ShouldContain("not allowed");
        Receiver.To("/strict").ShouldBeEmpty("nothing reached the receiver");
    }

    [Fact]
    public async Task Events_arrive_signed_in_order_per_conversation_as_the_rest_apis_objects()
    {
        var (secret, _) = await RegisterAsync("ok", ["message.created", "support_chat.resolved"]);
        var customer = await App.NewUserAsync("customer");
        var chat = await App.SupportChatForAsync(customer);
        var sent = new List<string>();
        for (var i = 0; i < 5; i++) sent.Add((await customer.Client.SendAsync(chat, $"message {i}")).Id());
        await App.Backend().PostAsync($"/api/v1/support_channels/{chat}/resolve", null).OkJsonAsync();

        var received = (await Receiver.WaitForAsync("/ok", 6)).Where(r => r.Json["data"]!["channel_id"]?.GetValue<string>() == chat
            || r.Json["data"]!["id"]?.GetValue<string>() == chat).ToList();
        received.Select(r => r.Type).ShouldBe([.. Enumerable.Repeat("message.created", 5), "support_chat.resolved"]);
        received.Take(5).Select(r => r.Json["data"]!["id"]!.GetValue<string>()).ShouldBe(sent, "in the conversation's order");
        received[0].Json["data"]!["content"]!.GetValue<string>().ShouldBe("message 0");
        received[5].Json["data"]!["status"]!.GetValue<string>().ShouldBe("resolved");
        foreach (var r in received) Verify(secret, r.Id, long.Parse(r.Timestamp), r.Signature, r.Body);
        received.Select(r => r.Id).Distinct().Count().ShouldBe(6, "each delivery has its own webhook-id");
    }

    [Fact]
    public async Task A_poll_vote_arrives_as_reaction_changed_with_the_polls_counts()
    {
        await RegisterAsync("votes", ["reaction.changed"]);
        var customer = await App.NewUserAsync("customer");
        var maya = await App.NewTeamMemberAsync("moderator");
        var chat = await App.SupportChatForAsync(customer);
        var poll = await maya.Client.PostJsonAsync("/api/v1/messages", new
        {
            channel_id = chat, content = "How did we do?", poll = new { options = new[] { new { id = "1", text = "Great" }, new { id = "2", text = "Fine" } } },
        }).OkJsonAsync();
        await customer.Client.PostJsonAsync("/api/v1/reactions", new { resource_id = poll.Id(), poll_option_id = "2" }).OkJsonAsync();

        var vote = (await Receiver.WaitForAsync("/votes", 1)).Single().Json["data"]!;
        vote["message_id"]!.GetValue<string>().ShouldBe(poll.Id());
        vote["emoji"].ShouldBeNull();
        vote["poll_option_id"]!.GetValue<string>().ShouldBe("2");
        vote["user_id"]!.GetValue<string>().ShouldBe(customer.Id);
        vote["poll_votes"]!.ToJsonString().ShouldBe("""[{"count":0,"option_id":"1"},{"count":1,"option_id":"2"}]""");
    }

    [Fact]
    public async Task A_message_s_files_are_in_its_webhook_body()
    {
        await RegisterAsync("fail/0/files", ["message.created"]);
        var customer = await App.NewUserAsync("customer");
        var chat = await App.SupportChatForAsync(customer);
        var file = await Files.TestFiles.UploadOkAsync(customer.Client, "receipt.pdf", "application/pdf", Files.TestFiles.Pdf());
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "My receipt", attachments = new[] { new { id = file.Id() } } })
            .OkJsonAsync();

        var received = (await Receiver.WaitForAsync("/fail/0/files", 1)).Single();
        var attachment = received.Json["data"]!["attachments"]!.AsArray().Single()!;
        attachment.Id().ShouldBe(file.Id());
        attachment["filename"]!.GetValue<string>().ShouldBe("receipt.pdf");
        attachment["url"]!.GetValue<string>().ShouldBe($"/api/v1/files/{file.Id()}/content");
    }

    [Fact]
    public async Task A_note_reaches_only_an_endpoint_that_opted_in_to_team_notes()
    {
        await RegisterAsync("fail/0/plain", ["message.created"]);
        await RegisterAsync("fail/0/notes", ["message.created"], includeTeamNotes: true);
        var customer = await App.NewUserAsync("customer");
        var maya = await App.NewTeamMemberAsync("moderator");
        var chat = await App.SupportChatForAsync(customer);
        await maya.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "internal only", visibility = "team" }).OkJsonAsync();
        await maya.Client.SendAsync(chat, "public reply");

        var withNotes = await Receiver.WaitForAsync("/fail/0/notes", 2);
        withNotes.Select(r => r.Json["data"]!["content"]!.GetValue<string>()).ShouldBe(["internal only", "public reply"]);
        var plain = await Receiver.WaitForAsync("/fail/0/plain", 1);
        await Task.Delay(500);
        Receiver.To("/fail/0/plain").Select(r => r.Json["data"]!["content"]!.GetValue<string>()).ShouldBe(["public reply"]);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_growing_waits_and_a_later_event_waits_for_the_earlier()
    {
        var (_, endpoint) = await RegisterAsync("fail/2/retry", ["message.created"]);
        var customer = await App.NewUserAsync("customer");
        var chat = await App.SupportChatForAsync(customer);
        await customer.Client.SendAsync(chat, "first");
        await customer.Client.SendAsync(chat, "second");

        var received = await Receiver.WaitForAsync("/fail/2/retry", 4);
        received.Select(r => r.Json["data"]!["content"]!.GetValue<string>()).ShouldBe(["first", "first", "first", "second"],
            "the second waits until the first is delivered");
        received[0].Id.ShouldBe(received[2].Id, "a retry keeps its webhook-id");
        (received[2].At - received[1].At).ShouldBeGreaterThan(received[1].At - received[0].At, "each wait longer than the one before");

        var log = await App.Backend().GetAsync($"{Hooks}/{endpoint}/attempts").OkJsonAsync();
        log["data"]!.AsArray().Select(a => a!["status"]?.GetValue<int>()).ShouldBe([200, 200, 500, 500], "newest first");
    }

    [Fact]
    public async Task Slow_redirecting_and_huge_answers_are_recorded_failures_or_cut_short_never_a_stuck_queue()
    {
        var (_, slow) = await RegisterAsync("slow", ["message.created"]);
        var (_, redirect) = await RegisterAsync("redirect", ["message.created"]);
        var (_, huge) = await RegisterAsync("huge", ["message.created"]);
        var (_, busy) = await RegisterAsync("busy/2/after", ["message.created"]);
        var customer = await App.NewUserAsync("customer");
        await customer.Client.SendAsync(await App.SupportChatForAsync(customer), "hello");

        (await AttemptsAsync(slow, 1))[0]!["error"]!.GetValue<string>().ShouldContain("No answer within 1 s");
        var redirected = (await AttemptsAsync(redirect, 1))[0]!;
        redirected["status"]!.GetValue<int>().ShouldBe(302);
        redirected["error"]!.GetValue<string>().ShouldContain("not followed");
        var big = (await AttemptsAsync(huge, 1))[0]!;
        big["status"]!.GetValue<int>().ShouldBe(200);
        big["response_excerpt"]!.GetValue<string>().Length.ShouldBeLessThanOrEqualTo(WebhookAttempt.ExcerptLength);
        var honoured = await AttemptsAsync(busy, 2);
        (honoured[0]!["at"]!.GetValue<DateTimeOffset>() - honoured[1]!["at"]!.GetValue<DateTimeOffset>()).ShouldBeGreaterThanOrEqualTo(
            TimeSpan.FromSeconds(1.9), "the receiver's Retry-After: 2 is honoured");
    }

    [Fact]
    public async Task Send_again_and_a_test_event_go_through_the_same_path_and_the_secret_rotates()
    {
        var (secret, endpoint) = await RegisterAsync("fail/0/manual", ["message.created"]);
        var test = await App.Backend().PostAsync($"{Hooks}/{endpoint}/test", null).OkJsonAsync();
        var first = (await Receiver.WaitForAsync("/fail/0/manual", 1)).Single();
        first.Type.ShouldBe("webhook.test");
        first.Id.ShouldBe(test["delivery_id"]!.GetValue<string>());

        await App.Backend().PostAsync($"{Hooks}/{endpoint}/deliveries/{first.Id}/retry", null).OkJsonAsync();
        var again = await Receiver.WaitForAsync("/fail/0/manual", 2);
        again[1].Id.ShouldBe(first.Id);

        var rotated = await App.Backend().PostAsync($"{Hooks}/{endpoint}/rotate_secret", null).OkJsonAsync();
        var newSecret = rotated["secret"]!.GetValue<string>();
        newSecret.ShouldNotBe(secret);
        (await App.Backend().GetAsync($"{Hooks}/{endpoint}").OkJsonAsync())["secret"].ShouldBeNull("a secret is shown once");
        await App.Backend().PostAsync($"{Hooks}/{endpoint}/test", null).OkJsonAsync();
        var signedByBoth = (await Receiver.WaitForAsync("/fail/0/manual", 3))[2];
        Verify(secret, signedByBoth.Id, long.Parse(signedByBoth.Timestamp), signedByBoth.Signature, signedByBoth.Body);
        Verify(newSecret, signedByBoth.Id, long.Parse(signedByBoth.Timestamp), signedByBoth.Signature, signedByBoth.Body);

        // Turned off, nothing more is queued for it: a test event is refused rather than sent late.
        await App.Backend().PatchJsonAsync($"{Hooks}/{endpoint}", new { enabled = false }).OkJsonAsync();
        await (await App.Backend().PostAsync($"{Hooks}/{endpoint}/test", null)).ShouldBeProblemAsync(422, "enabled");
        var moderator = await App.NewTeamMemberAsync("moderator");
        await (await moderator.Client.PatchJsonAsync($"{Hooks}/{endpoint}", new { url = "https://localhost/x" })).ShouldBeProblemAsync(404);
    }

    [Fact]
    public async Task An_endpoint_failing_for_three_days_is_turned_off()
    {
        var (_, endpoint) = await RegisterAsync("fail/1000/days", ["message.created"]);
        var customer = await App.NewUserAsync("customer");
        await customer.Client.SendAsync(await App.SupportChatForAsync(customer), "anyone there?");
        await AttemptsAsync(endpoint, 1);
        // As if it had failed since three days ago (the sender's clock is the real one).
        await using (var db = App.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContext())
        {
            var threeDaysAgo = DateTimeOffset.UtcNow.AddDays(-3).AddMinutes(-1);
            var hook = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpoint);
            db.Entry(hook).Property(e => e.FailingSince).CurrentValue = threeDaysAgo;
            await db.SaveChangesAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonNode state;
        do state = await App.Backend().GetAsync($"{Hooks}/{endpoint}").OkJsonAsync();
        while (state["enabled"]!.GetValue<bool>() && DateTime.UtcNow < deadline && await Delay());
        state["enabled"]!.GetValue<bool>().ShouldBeFalse();
        state["disabled_reason"]!.GetValue<string>().ShouldContain("3 days");
    }

    [Fact]
    public async Task Deliveries_committed_before_a_kill_9_are_sent_after_the_restart()
    {
        await using var database = await TestDatabase.CreateAsync();
        // The receiver is down at first: the deliveries are committed and wait.
        var port = AppProcess.FreePort();
        string chat;
        var sent = new List<string>();
        using (var app = await AppProcess.StartAsync(database, output, [.. WebhookWorld.Settings]))
        {
            await app.Client.PostJsonAsync(Hooks, new { url = $"http://127.0.0.1:{port}/ok", events = new[] { "message.created" } }).OkJsonAsync();
            var customer = (await app.Client.PostJsonAsync("/api/v1/users", new { username = "crash-customer", name = "Crash Customer" }).OkJsonAsync()).Id();
            chat = (await app.Client.PostJsonAsync("/api/v1/support_channels", new { user_id = customer }).OkJsonAsync()).Id();
            for (var i = 0; i < 3; i++)
                sent.Add((await app.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = $"before the kill {i}" }).OkJsonAsync()).Id());
            app.Kill();
        }

        await using var receiver = await WebhookReceiver.StartAsync(port);
        using var restarted = await AppProcess.StartAsync(database, output, [.. WebhookWorld.Settings]);
        var received = await receiver.WaitForAsync("/ok", 3, TimeSpan.FromSeconds(30));
        received.Select(r => r.Json["data"]!["id"]!.GetValue<string>()).ShouldBe(sent, "every one, once, in order");
    }

    [Fact, Trait(DatabaseTrait.Name, DatabaseTrait.Postgres)]
    public async Task Two_instances_send_each_event_once_between_them_in_order_per_conversation()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = InboxApp.Over(database, WebhookWorld.Settings);
        await first.InitializeAsync();
        await using var second = InboxApp.Over(database, WebhookWorld.Settings);
        await second.InitializeAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await first.Backend().PostJsonAsync(Hooks, new { url = receiver.Url("ok"), events = new[] { "message.created" } }).OkJsonAsync();
        // The other instance learns of the endpoint within its directory's freshness.
        await Task.Delay(WebhookDirectory.Freshness);

        var chats = new[] { await first.SupportChatForAsync(await first.NewUserAsync("customer")), await first.SupportChatForAsync(await first.NewUserAsync("customer")) };
        var sent = chats.ToDictionary(c => c, _ => new List<string>());
        await Task.WhenAll(chats.Select(async (chat, i) =>
        {
            for (var n = 0; n < 15; n++)
            {
                var via = (n + i) % 2 == 0 ? first : second;
                sent[chat].Add((await via.Backend().SendAsync(chat, $"{chat} {n}")).Id());
            }
        }));

        var received = await receiver.WaitForAsync("/ok", 30);
        await Task.Delay(1000);
        received = receiver.To("/ok");
        received.Count.ShouldBe(30, "each event once");
        received.Select(r => r.Id).Distinct().Count().ShouldBe(30);
        foreach (var chat in chats)
        {
            received.Where(r => r.Json["data"]!["channel_id"]!.GetValue<string>() == chat).Select(r => r.Json["data"]!["id"]!.GetValue<string>())
                .ShouldBe(sent[chat], "in the conversation's order");
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(200);
        return true;
    }

    private async Task<(string Secret, string Id)> RegisterAsync(string path, string[] events, bool includeTeamNotes = false)
    {
        var created = await App.Backend().PostJsonAsync(Hooks, new { url = Receiver.Url(path), events, include_team_notes = includeTeamNotes })
            .OkJsonAsync();
        created["secret"]!.GetValue<string>().ShouldStartWith("whsec_");
        created["id"]!.GetValue<string>().ShouldStartWith("hook_");
        return (created["secret"]!.GetValue<string>(), created.Id());
    }

    /// <summary>The endpoint's log once it has <paramref name="count"/> attempts, newest first.</summary>
    private async Task<JsonArray> AttemptsAsync(string endpoint, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var log = (await App.Backend().GetAsync($"{Hooks}/{endpoint}/attempts").OkJsonAsync())["data"]!.AsArray();
            if (log.Count >= count || DateTime.UtcNow > deadline) return log;
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Verifies as a receiver does, with the reference implementation. The header may carry several signatures
    /// (space-separated, during a rotation); the reference 1.1.2 looks only at the first, so each is offered alone
    /// and one must match.
    /// </summary>
    private static void Verify(string secret, string id, long timestamp, string signature, string body)
    {
        var failures = new List<Exception>();
        foreach (var one in signature.Split(' '))
        {
            var headers = new HeaderDictionary
            {
                ["webhook-id"] = id,
                ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["webhook-signature"] = one,
            };
            try
            {
                new StandardWebhook(secret).Verify(body, headers);
                return;
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
        }
        throw new AggregateException("No signature in the header verifies with this secret.", failures);
    }
}
