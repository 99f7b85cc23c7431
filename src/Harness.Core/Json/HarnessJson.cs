using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Json.Contracts;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.Summaries;

namespace Harness.Core.Json;

/// <summary>
/// The JSON the fronts print (<c>harness entry --json</c> and friends) and the harness's files,
/// through <see cref="HarnessJsonContext"/>. Each document is a type under Json/Contracts, so its
/// field names and order are a contract in one place (docs/formats.md). Everything is written
/// through one of two writers: indented (files, <c>--json</c>) or one value per line (metrics.jsonl,
/// loop events, hook output); both leave text people read (non-ASCII, '+', quotes) unescaped.
/// </summary>
internal static class HarnessJson
{
    private static readonly JsonWriterOptions IndentedWriter = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions LineWriter = IndentedWriter with { Indented = false };

    private static HarnessJsonContext Metadata => HarnessJsonContext.Default;

    public static string Serialize(EntryReport report) => Text(EntryReportJson.From(report), Metadata.EntryReportJson);

    public static string Serialize(IReadOnlyList<Feature> features) => Text([.. features.Select(FeatureJson.From)], Metadata.IReadOnlyListFeatureJson);

    public static string Serialize(InitResult result) => Text(InitResultJson.From(result), Metadata.InitResultJson);

    public static string Serialize(Checkpoint checkpoint) => Text(CheckpointJson.From(checkpoint), Metadata.CheckpointJson);

    public static string Serialize(IReadOnlyList<Checkpoint> checkpoints) => Text([.. checkpoints.Select(CheckpointJson.From)], Metadata.IReadOnlyListCheckpointJson);

    public static string Serialize(RestoreResult result) => Text(RestoreResultJson.From(result), Metadata.RestoreResultJson);

    public static string Serialize(SessionSummary summary) => Text(SessionSummaryJson.From(summary), Metadata.SessionSummaryJson);

    public static string Serialize(HandoffResult result) => Text(HandoffResultJson.From(result), Metadata.HandoffResultJson);

    public static string Serialize(MetricsAggregate aggregate, bool withSessions) => Text(MetricsAggregateJson.From(aggregate, withSessions), Metadata.MetricsAggregateJson);

    /// <summary>One line of the <c>--json</c> event stream (no line breaks inside).</summary>
    public static string SerializeLine(LoopEvent e) => Encoding.UTF8.GetString(LineBytes(LoopEventJson.From(e), HarnessJsonContext.Default.LoopEventJson));

    public static string Serialize(LoopResult result) => Text(LoopResultJson.From(result), Metadata.LoopResultJson);

    public static string Serialize(LoopPlan plan) => Text(LoopPlanJson.From(plan), Metadata.LoopPlanJson);

    /// <summary>A document held as nodes (a file the harness edits but does not own), written as the harness writes JSON.</summary>
    public static string Serialize(JsonNode node) => Encoding.UTF8.GetString(Write(IndentedWriter, newline: false, w => node.WriteTo(w)));

    /// <summary>One value on one line, escaped as the harness writes text (a field spliced into a file, see FeatureListSplice).</summary>
    internal static byte[] LineBytes(JsonNode? node) => node is null ? "null"u8.ToArray() : Write(LineWriter, newline: false, w => node.WriteTo(w));

    /// <summary>A harness file's bytes: the document, indented, then a newline.</summary>
    internal static byte[] FileBytes<T>(T value, JsonTypeInfo<T> info) => Write(IndentedWriter, newline: true, w => JsonSerializer.Serialize(w, value, info));

    /// <summary>One line of a stream of JSON values (no line break inside, none after).</summary>
    internal static byte[] LineBytes<T>(T value, JsonTypeInfo<T> info) => Write(LineWriter, newline: false, w => JsonSerializer.Serialize(w, value, info));

    /// <summary>
    /// Builds the object of a file that <see cref="JsonValidator"/> has already passed. A value the
    /// validation let through but the type cannot hold is still reported with its line, never thrown raw.
    /// </summary>
    internal static T Deserialize<T>(JsonFile file, JsonTypeInfo<T> info, string errorId, string fix)
    {
        try
        {
            return JsonSerializer.Deserialize(JsonFile.SkipBom(file.Bytes).Span, info)
                ?? throw new JsonException("expected an object, found null");
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            var path = ex.Path ?? "$";
            throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{file.Path}({line},{column}): {path}: {JsonFile.Reason(ex)}\n{fix}", ex)
            {
                FilePath = file.Path,
                Line = line,
                Column = column,
                JsonPath = path,
                Fix = fix,
            };
        }
    }

    private static string Text<T>(T value, JsonTypeInfo<T> info) => Encoding.UTF8.GetString(Write(IndentedWriter, newline: false, w => JsonSerializer.Serialize(w, value, info)));

    private static byte[] Write(JsonWriterOptions options, bool newline, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            body(writer);
        }

        if (newline)
        {
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
