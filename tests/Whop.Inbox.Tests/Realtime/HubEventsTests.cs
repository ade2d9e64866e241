using System.Text.Json;
using Whop.Inbox.Identity;
using Whop.Inbox.Messaging;
using Whop.Inbox.Messaging.Realtime;

namespace Whop.Inbox.Tests.Realtime;

public sealed class HubEventsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_message_event_goes_out_in_the_REST_APIs_shape_mapped_and_serialised_once_for_every_connection()
    {
        var view = new MessageView("msg_1", "feed_1", "Hi @ana", T0, T0, false, false, MessageType.Regular, null,
            new UserSummary("user_bo", "Bo", "bo"), [new ReactionCount("👍", 2)], ["user_ana"], false);
        var evt = new ChatEvent(ChatEventTypes.MessageCreated, "feed_1", 3, T0, null, new MessageEvent(view, "key-1"));

        var sent = HubEvents.Of(evt);
        HubEvents.Of(evt).ShouldBeSameAs(sent, "a second connection reuses the first one's JSON");

        using var wire = JsonDocument.Parse(JsonSerializer.Serialize(sent, ChatJson.Options));
        var data = wire.RootElement.GetProperty("data");
        data.GetProperty("client_message_id").GetString().ShouldBe("key-1");
        data.GetProperty("message").GetRawText()
            .ShouldBe(JsonSerializer.Serialize(MessagesApi.MessageResponse.From(view), ChatJson.Options));
        wire.RootElement.GetProperty("position").GetInt64().ShouldBe(3);
        wire.RootElement.GetProperty("type").GetString().ShouldBe("message.created");
    }

    [Fact]
    public void Other_events_go_out_as_the_log_holds_them()
    {
        var evt = new ChatEvent(ChatEventTypes.ReadChanged, "feed_1", 4, T0, null, new ReadChanged("user_bo", T0));

        var wire = JsonSerializer.Serialize(HubEvents.Of(evt), ChatJson.Options);

        wire.ShouldBe(ChatJson.Serialize(evt));
    }
}
