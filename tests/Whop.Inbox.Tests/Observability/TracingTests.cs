using System.Collections.Concurrent;
using System.Diagnostics;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Observability;
using Whop.Inbox.TestSupport;
using Whop.Inbox.Tests.Realtime;

namespace Whop.Inbox.Tests.Observability;

/// <summary>
/// A send's spans as an exporter would receive them. The listener hears the whole test process, so each
/// assertion picks this test's chat out by its id.
/// </summary>
public sealed class TracingTests(InboxApp app) : IClassFixture<InboxApp>
{
    [Fact]
    public async Task A_send_is_traced_from_its_request_through_its_write_and_statements_to_its_dispatch()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is InboxTracing.SourceName or "Microsoft.AspNetCore" or "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        await customer.Client.PostJsonAsync("/api/v1/messages", new { channel_id = chat, content = "Traced" }).OkJsonAsync();

        // The chat's creation is a write of its own, before it had an id: this is the send's.
        var write = stopped.Single(a => a.OperationName == "conversation.write" && (string?)a.GetTagItem("inbox.channel_id") == chat);
        write.GetTagItem("inbox.committed").ShouldBe(true);
        stopped.Single(r => r.Id == write.ParentId).OperationName.ShouldBe("Microsoft.AspNetCore.Hosting.HttpRequestIn");
        if (TestDatabase.DefaultProvider == DatabaseProvider.Postgres)
            stopped.Count(a => a.Source.Name == "Npgsql" && a.TraceId == write.TraceId && a.StartTimeUtc >= write.StartTimeUtc
                                    && a.StartTimeUtc <= write.StartTimeUtc + write.Duration)
                .ShouldBeGreaterThanOrEqualTo(2, "the lock and the save are the write's statements, in the request's trace");
        await Eventually(() => stopped.Any(a => a.OperationName == "events.dispatch" && (string?)a.GetTagItem("inbox.channel_id") == chat
                                                 && (string?)a.GetTagItem("inbox.event_type") == ChatEventTypes.MessageCreated));
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(100);
        condition().ShouldBeTrue();
    }
}
