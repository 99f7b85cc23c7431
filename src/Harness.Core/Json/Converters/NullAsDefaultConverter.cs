using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Harness.Core.Json.Converters;

/// <summary>
/// JSON null read as the type's default (<c>"dirty": null</c> as false, <c>"iteration": null</c> as 0),
/// as the validator allows it in files people edit; any other value is read as usual.
/// </summary>
internal sealed class NullAsDefaultConverter<T> : JsonConverter<T>
    where T : struct
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? default : JsonSerializer.Deserialize(ref reader, Info(options));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, Info(options));

    private static JsonTypeInfo<T> Info(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
