using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Whop.Inbox.Data;
using Whop.Inbox.Messaging.Realtime;
using Whop.Inbox.Tests.DirectMessages;
using Whop.Inbox.TestSupport;

namespace Whop.Inbox.Tests.Realtime;

/// <summary>A send retried after a dropped connection must not make a second message.</summary>
[Collection(AppCollection.Name)]
public sealed class IdempotentSendTests(InboxApp app)
{
    [Fact]
    public async Task A_send_retried_with_the_same_client_message_id_returns_the_first_message()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);
        var body = new { channel_id = chat, content = "Only once, please", client_message_id = "retry-1" };

        var first = await customer.Client.PostJsonAsync(DmScenario.Messages, body).OkJsonAsync();
        var retry = await customer.Client.PostJsonAsync(DmScenario.Messages, body).OkJsonAsync();

        retry.Id().ShouldBe(first.Id());
        (await customer.Client.MessagesAsync(chat)).Count.ShouldBe(1);
        (await MessageEventsAsync(chat)).ShouldBe(1);
    }

    [Fact]
    public async Task Concurrent_retries_make_one_message_and_one_event()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        var sent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => customer.Client.PostJsonAsync(DmScenario.Messages,
            new { channel_id = chat, content = "Sent from a flaky network", client_message_id = "flaky-1" }).OkJsonAsync()));

        sent.Select(m => m.Id()).Distinct().Count().ShouldBe(1);
        (await customer.Client.MessagesAsync(chat)).Count.ShouldBe(1);
        (await MessageEventsAsync(chat)).ShouldBe(1);
    }

    [Fact]
    public async Task The_key_is_per_author_and_channel_and_a_new_key_is_a_new_message()
    {
        var customer = await app.NewUserAsync("customer");
        var chat = await app.SupportChatForAsync(customer);

        var mine = await customer.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = "Hi", client_message_id = "k" }).OkJsonAsync();
        var teams = await app.Backend().PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = "Hello", client_message_id = "k" }).OkJsonAsync();
        var next = await customer.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = "Hi again", client_message_id = "k2" }).OkJsonAsync();

        new[] { mine.Id(), teams.Id(), next.Id() }.Distinct().Count().ShouldBe(3);
        var tooLong = await customer.Client.PostJsonAsync(DmScenario.Messages, new { channel_id = chat, content = "Hi", client_message_id = new string('k', 65) });
        await tooLong.ShouldBeProblemAsync(400, "client_message_id");
    }

    private async Task<int> MessageEventsAsync(string channelId)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<InboxDbContext>>().CreateDbContextAsync();
        return await db.ChannelEvents.CountAsync(e => e.ChannelId == channelId && e.Type == ChatEventTypes.MessageCreated);
    }
}
