using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Core.Json;

/// <summary>
/// Source-generated serialization of the objects the fronts print as JSON: no reflection on the
/// hot path (the CLI's startup time is part of every agent session).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true)]
[JsonSerializable(typeof(EntryReport))]
[JsonSerializable(typeof(Feature))]
[JsonSerializable(typeof(IReadOnlyList<Feature>))]
[JsonSerializable(typeof(FeatureCounts))]
[JsonSerializable(typeof(InitResult))]
public sealed partial class HarnessJsonContext : JsonSerializerContext
{
}

/// <summary>Writes harness objects as JSON the same way for every front.</summary>
public static class HarnessJson
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,

        // Commit subjects and paths are shown to people; keep them readable ("é", "+", "'").
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static string Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
