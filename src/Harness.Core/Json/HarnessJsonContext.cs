using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Json.Contracts;
using Harness.Core.Json.Converters;
using Harness.Core.Loop.Parallel;
using Harness.Core.State;
using Harness.Core.Summaries;

namespace Harness.Core.Json;

/// <summary>
/// The one set of JSON options and metadata for everything the harness reads and writes: its
/// files under <c>.claude/</c> and the fronts' <c>--json</c> output. Source-generated, so it costs
/// no reflection and is trim- and Native-AOT-safe: snake_case names; comments and trailing commas
/// accepted on read, as in files people edit; written indented or one value per line, with text
/// people read (non-ASCII, '+', quotes) left unescaped (<see cref="HarnessJson"/>). The seed's enum
/// values and times go through <see cref="EnumNameConverter{T}"/> and <see cref="UtcTimestampConverter"/>,
/// set on the enum types and time properties rather than here: converters in these options would be
/// built, and JIT-compiled, by every process that reads any file (the guard reads only project.json).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(HarnessState))]
[JsonSerializable(typeof(LockInfo))]
[JsonSerializable(typeof(SessionBaseline))]
[JsonSerializable(typeof(ProjectConfigJson))]
[JsonSerializable(typeof(IReadOnlyList<FileHistoryEntryJson>))]
[JsonSerializable(typeof(CheckpointJson))]
[JsonSerializable(typeof(IReadOnlyList<CheckpointJson>))]
[JsonSerializable(typeof(MetricsLineJson))]
[JsonSerializable(typeof(MetricsAggregateJson))]
[JsonSerializable(typeof(EntryReportJson))]
[JsonSerializable(typeof(IReadOnlyList<FeatureJson>))]
[JsonSerializable(typeof(InitResultJson))]
[JsonSerializable(typeof(RestoreResultJson))]
[JsonSerializable(typeof(SessionSummaryJson))]
[JsonSerializable(typeof(HandoffResultJson))]
[JsonSerializable(typeof(LoopEventJson))]
[JsonSerializable(typeof(LoopResultJson))]
[JsonSerializable(typeof(LoopPlanJson))]
[JsonSerializable(typeof(ProcessRecordLineJson))]
[JsonSerializable(typeof(HookEntryJson))]
[JsonSerializable(typeof(SessionStartHookOutputJson))]
[JsonSerializable(typeof(WorkerRecord))]
internal sealed partial class HarnessJsonContext : JsonSerializerContext
{
}
