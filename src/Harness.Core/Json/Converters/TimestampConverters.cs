using System.Text.Json;
using System.Text.Json.Serialization;

namespace Harness.Core.Json.Converters;

/// <summary>
/// Every point in time in the harness's files and output: written as <see cref="Timestamps.Utc"/>,
/// read in any ISO 8601 form (<see cref="Timestamps.TryParse"/>), so files written by older
/// versions and by hand keep loading. JSON null reads as <see cref="DateTimeOffset.MinValue"/> where
/// the field cannot be null (a history entry without a time).
/// </summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? DateTimeOffset.MinValue : Timestamps.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Timestamps.Utc(value));
}

/// <summary>A commit's date as git gives it, in its author's zone (<see cref="Timestamps.WithOffset"/>); not a harness time.</summary>
internal sealed class GitDateConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Timestamps.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Timestamps.WithOffset(value));
}
