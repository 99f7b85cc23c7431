using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Json.Converters;

/// <summary>
/// A point in time in a file the harness reads and writes: written as <see cref="Timestamps.Utc"/>,
/// read in any ISO 8601 form (<see cref="Timestamps.TryParse"/>), so files written by older versions
/// and by hand keep loading. JSON null reads as <see cref="DateTimeOffset.MinValue"/> where the field
/// cannot be null (a history entry without a time). Put on each time property; a test checks that
/// no time in the contracts is left to the serializer's own format.
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? DateTimeOffset.MinValue : Timestamps.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Timestamps.Utc(value));
}
