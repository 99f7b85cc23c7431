using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Agents;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Health;
using Harness.Core.Json.Contracts;
using Harness.Core.Json.Converters;
using Harness.Core.Loop;
using Harness.Core.State;
using Harness.Core.Summaries;

namespace Harness.Core.Json;

/// <summary>
/// The one set of JSON options and metadata for everything the harness reads and writes: its
/// files under <c>.claude/</c> and the fronts' <c>--json</c> output. Source-generated, so it costs
/// no reflection and is trim- and Native-AOT-safe. snake_case names, the seed's enum values as
/// declared, the other enums in snake_case, times in UTC (<see cref="Timestamps.Utc"/>); comments
/// and trailing commas are accepted on read, as in files people edit.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters =
    [
        typeof(EnumNameConverter<SessionState>),
        typeof(EnumNameConverter<HealthStatus>),
        typeof(EnumNameConverter<HealthOutcome>),
        typeof(EnumNameConverter<FeatureListStatus>),
        typeof(EnumNameConverter<SessionType>),
        typeof(EnumNameConverter<FeatureListFormat>),
        typeof(SnakeCaseEnumConverter<CrashPolicy>),
        typeof(SnakeCaseEnumConverter<LoopEventKind>),
        typeof(SnakeCaseEnumConverter<LoopStopReason>),
        typeof(SnakeCaseEnumConverter<AgentEventKind>),
        typeof(AgentOutcomeConverter),
        typeof(UtcTimestampConverter),
    ])]
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
[JsonSerializable(typeof(HookEntryJson))]
[JsonSerializable(typeof(SessionStartHookOutputJson))]
internal sealed partial class HarnessJsonContext : JsonSerializerContext
{
    // Made on first use: the generated Default they copy is initialized in another part of this class.
    private static HarnessJsonContext? _indented;
    private static HarnessJsonContext? _compact;

    /// <summary>Files and <c>--json</c> output: indented, and text people read (non-ASCII, '+', quotes in paths and commit subjects) left unescaped.</summary>
    public static HarnessJsonContext Indented => _indented ??= Create(indented: true);

    /// <summary>One JSON value per line: metrics.jsonl, <c>loop --json</c> events, hook output.</summary>
    public static HarnessJsonContext Compact => _compact ??= Create(indented: false);

    private static HarnessJsonContext Create(bool indented) => new(new JsonSerializerOptions(Default.Options)
    {
        WriteIndented = indented,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

/// <summary><see cref="AgentOutcome"/> in snake_case; also reads the loop's older exit reasons <c>timeout</c> and <c>crash</c>.</summary>
internal sealed class AgentOutcomeConverter() : SnakeCaseEnumConverter<AgentOutcome>(("timeout", AgentOutcome.TimedOut), ("crash", AgentOutcome.Crashed));
