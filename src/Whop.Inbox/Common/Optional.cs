using System.Text.Json;
using System.Text.Json.Serialization;

namespace Whop.Inbox.Common;

/// <summary>
/// A request field that may be absent, which is not the same as null: <c>{"assignee_id": null}</c>
/// unassigns, <c>{}</c> says nothing. <see cref="IsPresent"/> is false unless the body had the field.
/// </summary>
[JsonConverter(typeof(OptionalConverter))]
public readonly record struct Optional<T>(T Value)
{
    public bool IsPresent { get; } = true;
}

internal sealed class OptionalConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<Optional<T>>
    {
        // Called for a null too, so an explicit null is present (and null).
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            try
            {
                return new(JsonSerializer.Deserialize<T>(ref reader, options)!);
            }
            catch (JsonException e)
            {
                // The inner read's path starts again at "$": without one, the serializer puts this field's in (a 400 names it).
                throw new JsonException($"The value is not a {typeof(T).Name}.", e);
            }
        }

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
