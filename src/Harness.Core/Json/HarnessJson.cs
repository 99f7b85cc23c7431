using System.Text;
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
/// field names and order are a contract in one place (docs/formats.md).
/// </summary>
public static class HarnessJson
{
    private static HarnessJsonContext Indented => HarnessJsonContext.Indented;

    public static string Serialize(EntryReport report) => Text(EntryReportJson.From(report), Indented.EntryReportJson);

    public static string Serialize(IReadOnlyList<Feature> features) => Text([.. features.Select(FeatureJson.From)], Indented.IReadOnlyListFeatureJson);

    public static string Serialize(InitResult result) => Text(InitResultJson.From(result), Indented.InitResultJson);

    public static string Serialize(Checkpoint checkpoint) => Text(CheckpointJson.From(checkpoint), Indented.CheckpointJson);

    public static string Serialize(IReadOnlyList<Checkpoint> checkpoints) => Text([.. checkpoints.Select(CheckpointJson.From)], Indented.IReadOnlyListCheckpointJson);

    public static string Serialize(RestoreResult result) => Text(RestoreResultJson.From(result), Indented.RestoreResultJson);

    public static string Serialize(SessionSummary summary) => Text(SessionSummaryJson.From(summary), Indented.SessionSummaryJson);

    public static string Serialize(HandoffResult result) => Text(HandoffResultJson.From(result), Indented.HandoffResultJson);

    public static string Serialize(MetricsAggregate aggregate, bool withSessions) => Text(MetricsAggregateJson.From(aggregate, withSessions), Indented.MetricsAggregateJson);

    /// <summary>One line of the <c>--json</c> event stream (no line breaks inside).</summary>
    public static string SerializeLine(LoopEvent e) => Text(LoopEventJson.From(e), HarnessJsonContext.Compact.LoopEventJson);

    public static string Serialize(LoopResult result) => Text(LoopResultJson.From(result), Indented.LoopResultJson);

    public static string Serialize(LoopPlan plan) => Text(LoopPlanJson.From(plan), Indented.LoopPlanJson);

    /// <summary>A document held as nodes (a file the harness edits but does not own), written as the harness writes JSON.</summary>
    public static string Serialize(JsonNode node) => node.ToJsonString(Indented.Options);

    /// <summary>A harness file's bytes: the document, then a newline.</summary>
    internal static byte[] FileBytes<T>(T value, JsonTypeInfo<T> info)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, info);
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

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
            throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{file.Path}({line},{column}): {path}: {JsonFile.OneLine(ex.Message)}\n{fix}", ex)
            {
                FilePath = file.Path,
                Line = line,
                Column = column,
                JsonPath = path,
                Fix = fix,
            };
        }
    }

    private static string Text<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.Serialize(value, info);
}
