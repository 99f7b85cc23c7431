using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Json.Converters;
using Harness.Core.Metrics;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// One line of metrics.jsonl (docs/formats.md), also each session in the metrics and handoff
/// output. Read leniently: every field may be missing or null; a line without <c>session_id</c>
/// is not a session. Fields another tool added are kept with the session and printed with it.
/// </summary>
internal sealed class MetricsLineJson
{
    private long? _inputTokens;

    public string? SessionId { get; set; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? StartedAt { get; set; }

    [JsonConverter(typeof(UtcTimestampConverter))]
    public DateTimeOffset? EndedAt { get; set; }

    public double? DurationSeconds { get; set; }

    public string? HealthStatus { get; set; }

    public IReadOnlyList<string>? StatesVisited { get; set; }

    public int? Compressions { get; set; }

    public int? Retries { get; set; }

    /// <summary>The seed's only token count (input + output); what old lines without <c>input_tokens</c> have.</summary>
    public long? TokensUsed { get; set; }

    public long? InputTokens
    {
        get => _inputTokens;
        set
        {
            _inputTokens = value;
            HasInputTokens = true;
        }
    }

    public long? OutputTokens { get; set; }

    public double? CostUsd { get; set; }

    /// <summary>The cost was priced from the usage the stream showed (the session ended without a result event).</summary>
    public bool? CostEstimated { get; set; }

    public int? Turns { get; set; }

    public string? ExitReason { get; set; }

    public bool? Succeeded { get; set; }

    public int? FeaturesCompleted { get; set; }

    public IReadOnlyList<string>? IntegrityViolations { get; set; }

    /// <summary>How many tool calls the agent was refused; <c>denials</c> names them.</summary>
    public int? PermissionDenials { get; set; }

    public IReadOnlyList<DenialJson?>? Denials { get; set; }

    /// <summary>The last lines of the agent's stderr; null when it wrote none.</summary>
    public string? StderrTail { get; set; }

    public string? Checkpoint { get; set; }

    public string? Summary { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? UnknownFields { get; set; }

    /// <summary>The line has <c>input_tokens</c>, even as null (lines the harness wrote); the seed's have only <c>tokens_used</c>.</summary>
    [JsonIgnore]
    public bool HasInputTokens { get; private set; }

    public static MetricsLineJson From(SessionMetrics m) => new()
    {
        SessionId = m.SessionId,
        StartedAt = m.StartedAt,
        EndedAt = m.EndedAt,
        DurationSeconds = m.DurationSeconds,
        HealthStatus = m.HealthStatus,
        StatesVisited = m.StatesVisited,
        Compressions = m.Compressions,
        Retries = m.Retries,
        TokensUsed = m.TokensUsed,
        InputTokens = m.InputTokens,
        OutputTokens = m.OutputTokens,
        CostUsd = m.CostUsd,
        CostEstimated = m.CostEstimated,
        Turns = m.Turns,
        ExitReason = m.ExitReason,
        Succeeded = m.Succeeded,
        FeaturesCompleted = m.FeaturesCompleted,
        IntegrityViolations = m.IntegrityViolations,
        PermissionDenials = m.PermissionDenials,
        Denials = DenialJson.From(m.Denials),
        StderrTail = m.StderrTail,
        Checkpoint = m.Checkpoint,
        Summary = m.Summary,
        UnknownFields = m.UnknownFields,
    };

    /// <summary>The session this line records; null when it names none.</summary>
    public SessionMetrics? ToMetrics() => SessionId is not { } id ? null : new SessionMetrics
    {
        SessionId = id,
        StartedAt = StartedAt ?? DateTimeOffset.MinValue,
        EndedAt = EndedAt ?? DateTimeOffset.MinValue,
        HealthStatus = HealthStatus ?? "UNKNOWN",
        StatesVisited = StatesVisited ?? [],
        Compressions = Compressions ?? 0,
        Retries = Retries ?? 0,
        InputTokens = HasInputTokens ? InputTokens : TokensUsed,
        OutputTokens = OutputTokens,
        CostUsd = CostUsd,
        CostEstimated = CostEstimated ?? false,
        Turns = Turns,
        ExitReason = ExitReason is { } reason ? WireText.ExitReason(reason) : null,
        Succeeded = Succeeded ?? true,
        FeaturesCompleted = FeaturesCompleted ?? 0,
        IntegrityViolations = IntegrityViolations ?? [],
        PermissionDenials = PermissionDenials ?? 0,
        Denials = DenialJson.ToDenials(Denials),
        StderrTail = StderrTail,
        Checkpoint = Checkpoint,
        Summary = Summary,
        UnknownFields = UnknownFields,
    };
}

/// <summary><c>harness metrics --json</c>; <c>session_lines</c> only with <c>--sessions</c>.</summary>
internal sealed record MetricsAggregateJson(
    int Sessions, int Failed, double FailureRate, double TotalCostUsd, long TotalInputTokens, long TotalOutputTokens, long TotalTokens,
    int FeaturesCompleted, double FeaturesPerSession, double TotalDurationSeconds, int SkippedLines,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<MetricsLineJson>? SessionLines)
{
    public static MetricsAggregateJson From(MetricsAggregate a, bool withSessions) => new(
        a.Sessions, a.Failed, a.FailureRate, a.TotalCostUsd, a.TotalInputTokens, a.TotalOutputTokens, a.TotalTokens,
        a.FeaturesCompleted, a.FeaturesPerSession, a.TotalDurationSeconds, a.SkippedLines,
        withSessions ? [.. a.Lines.Select(MetricsLineJson.From)] : null);
}
