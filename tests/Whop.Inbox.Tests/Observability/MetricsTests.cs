using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Whop.Inbox.Admission;
using Whop.Inbox.Observability;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Admission;
using Whop.Inbox.Tests.Common;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Observability;

/// <summary>Reads the app's own instruments as a listener would: each test's collector hears only its app's meters.</summary>
internal static class Instruments
{
    public static MetricCollector<T> Collect<T>(this InboxApp app, string instrument) where T : struct =>
        new(app.Services.GetRequiredService<IMeterFactory>(), InboxMetrics.MeterName, instrument);

    public static long Sum(this MetricCollector<long> collector, params (string Key, string Value)[] tags) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tags.All(t => m.Tags.TryGetValue(t.Key, out var value) && (string?)value == t.Value))
            .Sum(m => m.Value);
}

public sealed class MetricsTests(InboxApp app) : IClassFixture<InboxApp>
{
    [Fact]
    public async Task A_send_and_a_note_are_counted_with_their_commits_and_their_delivery_is_timed()
    {
        using var sent = app.Collect<long>("inbox.messages.sent");
        using var commits = app.Collect<long>("inbox.writes.commits");
        using var held = app.Collect<double>("inbox.writes.commit.duration");
        using var delivered = app.Collect<double>("inbox.events.delivery.latency");
        var customer = await app.NewUserAsync("customer");
        var moderator = await app.NewTeamMemberAsync("moderator");
        var chat = await app.SupportChatForAsync(customer);
        var chatCommits = commits.Sum(("kind", "support"));

        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Where is my order?" }).OkJsonAsync();
        await moderator.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Checking the courier", visibility = "team" })
            .OkJsonAsync();

        sent.Sum(("kind", "support"), ("visibility", "everyone")).ShouldBe(1);
        sent.Sum(("kind", "support"), ("visibility", "team")).ShouldBe(1);
        sent.Sum(("kind", "dm")).ShouldBe(0);
        commits.Sum(("kind", "support")).ShouldBe(chatCommits + 2);
        held.GetMeasurementSnapshot().Count(m => (string?)m.Tags["kind"] == "support").ShouldBeGreaterThanOrEqualTo(2);
        held.GetMeasurementSnapshot().ShouldAllBe(m => m.Value >= 0);
        // Each committed event is timed as it reaches this instance's subscribers: the chat's creation, the message, the note.
        await delivered.WaitForMeasurementsAsync(3, TimeSpan.FromSeconds(10));
        delivered.GetMeasurementSnapshot().ShouldAllBe(m => m.Value >= 0 && m.Value < 60_000);
        using var waiting = app.Collect<int>("inbox.events.queue.depth");
        waiting.RecordObservableInstruments();
        waiting.LastMeasurement.ShouldNotBeNull().Value.ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task A_refused_send_is_not_counted()
    {
        using var sent = app.Collect<long>("inbox.messages.sent");
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        var empty = await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "   " });

        await empty.ShouldBeProblemAsync(400, "content");
        sent.GetMeasurementSnapshot().ShouldBeEmpty();
    }

    [Fact]
    public async Task Off_by_default_there_is_no_metrics_endpoint()
    {
        var scrape = await app.Backend().GetAsync(TelemetrySetup.MetricsPath);

        scrape.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class AdmissionMetricsTests(SmallBoundApp app) : IClassFixture<SmallBoundApp>
{
    [Fact]
    public void Refusals_are_counted_by_the_limit_that_refused_and_the_work_under_way_is_observed()
    {
        using var refused = app.Collect<long>("inbox.admission.refused");
        using var inUse = app.Collect<int>("inbox.admission.in_use");
        refused.RecordObservableInstruments();
        var before = refused.LastValue("capacity");

        var held = Enumerable.Range(0, 2).Select(i => app.Admission.TryAdmit(new Caller("flooder", $"company-{i}"))).ToList();
        app.Admission.TryAdmit(new Caller("flooder", "company-x")).ShouldBeNull("the caller holds its share");
        held.AddRange(Enumerable.Range(0, 2).Select(i => app.Admission.TryAdmit(new Caller($"other-{i}", $"company-{i}"))));
        app.Admission.TryAdmit(new Caller("one-more", null)).ShouldBeNull("the bound is full");
        refused.RecordObservableInstruments();
        inUse.RecordObservableInstruments();
        foreach (var place in held) place?.Dispose();

        refused.LastValue("capacity").ShouldBe(before + 1);
        refused.LastValue("caller_share").ShouldBeGreaterThanOrEqualTo(1);
        inUse.LastMeasurement!.Value.ShouldBe(SmallBoundApp.Bound);
    }
}

public sealed class RateLimitMetricsTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task A_credential_past_its_allowance_is_counted_as_refused_by_the_rate_limit()
    {
        using var limited = app.Collect<long>("inbox.rate_limit.refused");
        var key = app.Backend();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await key.GetAsync("/api/v1/api_keys")).StatusCode);

        limited.Sum(("surface", "api")).ShouldBe(statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        limited.Sum(("surface", "api")).ShouldBeGreaterThan(0);
    }
}

internal static class ObservedCounters
{
    /// <summary>An observable counter's latest cumulative value for one <c>limit</c>.</summary>
    public static long LastValue(this MetricCollector<long> collector, string limit) =>
        collector.GetMeasurementSnapshot().Last(m => (string?)m.Tags["limit"] == limit).Value;
}

/// <summary>The app with telemetry on: Prometheus' endpoint on the app's own port, for the operator's keys.</summary>
public sealed class TelemetryApp : InboxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Telemetry:Enabled", "true");
    }
}

public sealed partial class PrometheusEndpointTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    /// <summary>
    /// Customers' messages in Prometheus' text, whatever the order of the labels. At least this class's one: the
    /// exporter hears every meter of that name in the process, and other tests' apps run beside this one.
    /// </summary>
    [GeneratedRegex("""^inbox_messages_sent_total\{(?=[^}]*kind="support")(?=[^}]*visibility="everyone")[^}]*\} [1-9][0-9]*( |$)""", RegexOptions.Multiline)]
    private static partial Regex SentLine();

    [Fact]
    public async Task The_operators_key_scrapes_the_apps_and_the_frameworks_metrics_in_prometheus_format()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Counted" }).OkJsonAsync();

        // The exporter answers from a copy of its last collection for a moment: ask until the send is in one.
        var text = "";
        for (var attempt = 0; attempt < 20 && !SentLine().IsMatch(text); attempt++)
        {
            if (attempt > 0) await Task.Delay(250);
            var scrape = await app.Backend().GetAsync(TelemetrySetup.MetricsPath);
            scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
            text = await scrape.Content.ReadAsStringAsync();
        }

        SentLine().IsMatch(text).ShouldBeTrue(text);
        text.ShouldContain("inbox_admission_capacity");
        text.ShouldContain("http_server_request_duration_seconds");
    }

    [Fact]
    public async Task Nobody_else_scrapes_them()
    {
        var anonymous = await app.CreateHttpClient().GetAsync(TelemetrySetup.MetricsPath);
        var person = await (await app.NewTeamMemberAsync("admin")).Client.GetAsync(TelemetrySetup.MetricsPath);
        var otherCompany = await (await app.SecondCompanyAsync()).Backend.GetAsync(TelemetrySetup.MetricsPath);

        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        person.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        otherCompany.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
