using System.Text.Json.Serialization;
using Harness.Core.Agents;
using Harness.Core.Loop;

namespace Harness.Core.Json.Contracts;

/// <summary>One line of <c>harness loop --json</c> (docs/loop.md, "Output"); the optional parts only when the event has them.</summary>
internal sealed record LoopEventJson
{
    public required string Event { get; init; }

    public int Iteration { get; init; }

    public string? State { get; init; }

    public string? Feature { get; init; }

    public int FeaturesDone { get; init; }

    public int FeaturesTotal { get; init; }

    public decimal CostUsd { get; init; }

    public string? Message { get; init; }

    /// <summary>The parallel worker (1 to N) the event is about; absent in a sequential run and for the run as a whole.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Worker { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? WaitSeconds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AgentEventJson? Agent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoopSessionJson? Session { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public LoopResultJson? Result { get; init; }

    public static LoopEventJson From(LoopEvent e) => new()
    {
        Event = WireText.Of(e.Kind),
        Iteration = e.Iteration,
        State = WireText.Of(e.State),
        Feature = e.FeatureId,
        FeaturesDone = e.FeaturesDone,
        FeaturesTotal = e.FeaturesTotal,
        CostUsd = e.CostSoFar,
        Message = e.Message,
        Worker = e.Worker,
        WaitSeconds = e.Wait is { } wait ? Math.Round(wait.TotalSeconds, 3) : null,
        Agent = e.AgentEvent is { } a ? AgentEventJson.From(a) : null,
        Session = e.Session is { } s ? LoopSessionJson.From(s) : null,
        Result = e.Result is { } r ? LoopResultJson.From(r) : null,
    };
}

/// <summary>
/// An agent's progress event inside a loop event. A rate-limit event also carries the limit's status
/// and reset time (<see cref="RateLimitedAgentEventJson"/>), null or not; other events never do.
/// </summary>
[JsonDerivedType(typeof(RateLimitedAgentEventJson))]
internal record AgentEventJson
{
    /// <summary>Longest text carried; a tool's whole output does not belong in a progress line.</summary>
    public const int MaxText = 500;

    public required string Kind { get; init; }

    public string? Tool { get; init; }

    public string? Text { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ErrorStatus { get; init; }

    public static AgentEventJson From(AgentEvent a)
    {
        var text = a.Text is { Length: > MaxText } t ? t[..MaxText] : a.Text;
        return a.RateLimit is { } limit
            ? new RateLimitedAgentEventJson { Kind = WireText.Of(a.Kind), Tool = a.ToolName, Text = text, Attempt = a.Attempt, ErrorStatus = a.ErrorStatus, RateLimitStatus = limit.Status, ResetsAt = WireText.Of(limit.ResetsAt) }
            : new AgentEventJson { Kind = WireText.Of(a.Kind), Tool = a.ToolName, Text = text, Attempt = a.Attempt, ErrorStatus = a.ErrorStatus };
    }
}

internal sealed record RateLimitedAgentEventJson : AgentEventJson
{
    // After the fields every agent event has (derived properties would otherwise come first).
    [JsonPropertyOrder(1)]
    public string? RateLimitStatus { get; init; }

    [JsonPropertyOrder(1)]
    public string? ResetsAt { get; init; }
}

/// <summary>
/// One agent session of the loop: <c>session</c> of a <c>session_ended</c> event, and each of the result's <c>sessions</c>.
/// <c>cost_estimated</c>: priced from the stream's usage (no result event); <c>permission_denials</c> and <c>denials</c>:
/// the refused tool calls; <c>start_failure</c>: why the agent never got to work, else null; <c>stderr_tail</c>: the
/// agent's last stderr lines, null when it wrote none; <c>result</c>: the agent's final text; <c>outage</c>: the API or usage-limit
/// failure the loop gave up waiting on (the loop then stops with <c>outage</c>; the feature was not charged), else null.
/// </summary>
internal sealed record LoopSessionJson(
    int Iteration, string SessionId, string State, string? Feature, string Outcome, string ExitReason, int Retries, decimal CostUsd, bool CostEstimated,
    long InputTokens, long OutputTokens, int Turns, double DurationSeconds, int FeaturesDoneBefore, int FeaturesDoneAfter, int FeaturesTotal,
    bool Advanced, string HealthAfter, string? BlockedFeature, IReadOnlyList<string> IntegrityViolations, string? CheckpointCommit,
    string? Summary, string? Transcript, int PermissionDenials, IReadOnlyList<DenialJson> Denials, string? StartFailure, string? StderrTail, string? Result, string? Outage)
{
    public static LoopSessionJson From(LoopSessionResult s) => new(
        s.Iteration, s.SessionId, WireText.Of(s.State), s.FeatureId, WireText.Of(s.Outcome), s.ExitReason, s.Retries, s.CostUsd, s.CostEstimated,
        s.InputTokens, s.OutputTokens, s.Turns, Math.Round(s.Duration.TotalSeconds, 3), s.FeaturesDoneBefore, s.FeaturesDoneAfter, s.FeaturesTotal,
        s.Advanced, WireText.Of(s.HealthAfter), s.BlockedFeature, s.IntegrityViolations, s.CheckpointCommit, s.SummaryPath, s.TranscriptPath,
        s.PermissionDenials, DenialJson.From(s.Denials), WireText.Of(s.StartFailure), s.StandardErrorTail.Length == 0 ? null : s.StandardErrorTail, s.ResultText, s.Outage);
}

/// <summary><c>harness loop --json</c>'s result (the <c>stopped</c> event's <c>result</c>).</summary>
internal sealed record LoopResultJson(
    string StopReason, string Message, bool Finished, int SessionsRun, decimal TotalCostUsd, long TotalTokens, double DurationSeconds,
    int FeaturesDone, int FeaturesTotal, IReadOnlyList<string> BlockedFeatures, IReadOnlyList<LoopSessionJson> Sessions,
    IReadOnlyList<SurvivorProcessJson> KilledSurvivors)
{
    public static LoopResultJson From(LoopResult r) => new(
        WireText.Of(r.StopReason), r.Message, r.Finished, r.Sessions.Count, r.TotalCostUsd, r.TotalTokens, Math.Round(r.Duration.TotalSeconds, 3),
        r.FeaturesDone, r.FeaturesTotal, r.BlockedFeatures, [.. r.Sessions.Select(LoopSessionJson.From)],
        SurvivorProcessJson.From(r.KilledSurvivors));
}

/// <summary><c>harness loop --dry-run --json</c>: what the next session would be.</summary>
internal sealed record LoopPlanJson(
    string NextState, string NextStateReason, string? NextFeature, string Agent, IReadOnlyList<string> AgentArguments, string? Prompt, EntryReportJson Entry)
{
    public static LoopPlanJson From(LoopPlan p) => new(
        WireText.Of(p.Entry.NextState), p.Entry.NextStateReason, p.Entry.Features.NextFeature?.Id, p.Agent, p.AgentArguments, p.Prompt, EntryReportJson.From(p.Entry));
}
