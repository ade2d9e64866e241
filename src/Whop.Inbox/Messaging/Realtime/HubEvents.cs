using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using static Whop.Inbox.Messaging.MessagesApi;

namespace Whop.Inbox.Messaging.Realtime;

/// <summary>
/// Events as the hub's clients receive them: the envelope as it is, with a message in the REST API's
/// shape (Whop's Message). Mapped and serialised once per event, however many connections get it.
/// </summary>
internal static class HubEvents
{
    private static readonly ConditionalWeakTable<ChatEvent, HubEvent> Serialised = [];

    /// <summary>The event's wire JSON, made by the first connection that sends it and reused by the rest.</summary>
    public static HubEvent Of(ChatEvent evt) =>
        Serialised.GetValue(evt, static e => new HubEvent(JsonSerializer.SerializeToUtf8Bytes(ToWire(e), ChatJson.Options)));

    private static ChatEvent ToWire(ChatEvent evt) => evt.Data is MessageEvent sent
        ? evt with { Data = new MessageEventResponse(MessageResponse.From(sent.Message), sent.ClientMessageId) }
        : evt;

    private sealed record MessageEventResponse(MessageResponse Message, string? ClientMessageId);
}

/// <summary>An event's wire JSON, written as it is into each connection's frame.</summary>
[JsonConverter(typeof(Writer))]
internal sealed class HubEvent(byte[] json)
{
    private sealed class Writer : JsonConverter<HubEvent>
    {
        public override HubEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("Hub events are only sent.");

        public override void Write(Utf8JsonWriter writer, HubEvent value, JsonSerializerOptions options) =>
            writer.WriteRawValue(value._json, skipInputValidation: true);
    }

    private readonly byte[] _json = json;
}
