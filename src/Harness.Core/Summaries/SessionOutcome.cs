using System.Text.Json;
using System.Text.Json.Serialization;
using Harness.Core.Features;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Json.Converters;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Summaries;

/// <summary>
/// How a session ended, as the caller knows it: what <see cref="Handoff"/> and the summary are
/// built from. The loop fills it from the agent's result; a person calling handoff by hand may
/// give only the session id. Everything else the harness finds itself (git, state, features).
/// </summary>
public sealed record SessionOutcome
{
    /// <summary>Default: session-start.json's, else state.json's unless handed off before the last entry, else one derived from the last entry's time.</summary>
    public string? SessionId { get; init; }

    /// <summary>Default: the session baseline's start time (session-start.json), else state.json's last entry.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Default: now.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The agent's final result text (Claude Code's <c>result</c>).</summary>
    public string? ResultText { get; init; }

    public double? CostUsd { get; init; }

    /// <summary>The cost was priced from the usage the agent's stream showed (it ended without a result event).</summary>
    public bool CostEstimated { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public int? Turns { get; init; }

    /// <summary>Why the session ended: <c>completed</c>, <c>max_turns</c>, <c>timeout</c>, <c>error</c>, <c>crash</c>, ...</summary>
    public string? ExitReason { get; init; }

    public int Retries { get; init; }

    public int Compressions { get; init; }

    /// <summary>Changes to the feature list the harness undid (features removed, added or rewritten by the agent).</summary>
    public IReadOnlyList<string> IntegrityViolations { get; init; } = [];

    /// <summary>Tool calls the agent was refused (permission mode, rules, guard hooks).</summary>
    public int PermissionDenials { get; init; }

    /// <summary>Which calls were refused (tool and target), as many as the agent reported in detail.</summary>
    public IReadOnlyList<Agents.PermissionDenial> Denials { get; init; } = [];

    /// <summary>The last lines the agent wrote to stderr; shown in the summary when the session failed.</summary>
    public string? StandardErrorTail { get; init; }

    /// <summary>Whether the session counts as a success in the metrics; default: <see cref="ExitReason"/> is null, completed, success, ok or end_turn.</summary>
    public bool? Succeeded { get; init; }

    /// <summary>
    /// The exit reasons the harness records: the loop's, one per agent outcome, and the ones a
    /// person handing off by hand uses. What a front offers for <see cref="ExitReason"/>; any other text is accepted.
    /// </summary>
    public static readonly IReadOnlyList<string> KnownExitReasons =
        [.. Enum.GetValues<Agents.AgentOutcome>().Select(o => Json.WireText.Of(o)), "error"];

    internal bool IsSuccess => Succeeded ?? ExitReason is null || ExitReason.ToLowerInvariant() is "completed" or "complete" or "success" or "ok" or "end_turn";
}

/// <summary>
/// <c>.claude/progress/session-start.json</c>: what the project looked like when a session began
/// (HEAD and every feature's status), so the summary can say what changed. Written by
/// <see cref="SessionLifecycle.Begin"/>, removed by the handoff.
/// </summary>
internal sealed record SessionBaseline(
    [property: JsonRequired] string SessionId,
    [property: JsonRequired, JsonConverter(typeof(UtcTimestampConverter))] DateTimeOffset StartedAt,
    string? Head,
    [property: JsonPropertyName("features")] IReadOnlyDictionary<string, string> FeatureStatuses)
{
    public static string PathFor(ProjectLayout layout) => System.IO.Path.Combine(layout.ProgressDirectory, "session-start.json");

    /// <summary>The baseline of the running session; null when there is none or it cannot be read (the summary then falls back to state.json).</summary>
    public static SessionBaseline? Load(ProjectLayout layout)
    {
        var path = PathFor(layout);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(JsonFile.SkipBom(File.ReadAllBytes(path)).Span, HarnessJsonContext.Default.SessionBaseline) is { SessionId: not null } baseline
                ? baseline with { FeatureStatuses = baseline.FeatureStatuses ?? new Dictionary<string, string>() }
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }

    public void Save(ProjectLayout layout) => AtomicFile.Write(PathFor(layout), HarnessJson.FileBytes(this, HarnessJsonContext.Default.SessionBaseline));
}

/// <summary>The start of a session: the other half of <see cref="Handoff"/>.</summary>
internal static class SessionLifecycle
{
    /// <summary>
    /// Marks a session as running: state.json gets <c>dirty: true</c> and the session id, and
    /// session-start.json records HEAD and the feature statuses. A crash before the handoff
    /// leaves <c>dirty: true</c>, which the next entry reports and recovers from.
    /// </summary>
    public static SessionBaseline Begin(HarnessProject project, string? sessionId = null, DateTimeOffset? now = null)
    {
        var at = now ?? project.Clock.GetUtcNow();
        project.EnsureLocked("session start");
        var layout = project.Layout;
        var id = sessionId ?? $"{Timestamps.StampSeconds(at)}-{Guid.NewGuid().ToString("N")[..6]}";
        var head = project.Git.Inspect(layout.Root).HeadCommit;
        var features = FeatureStore.Load(layout);
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var feature in features?.Features ?? [])
        {
            statuses.TryAdd(feature.Id, feature.Status);
        }

        var baseline = new SessionBaseline(id, at, head, statuses);
        baseline.Save(layout);
        StateStore.Update(project, s =>
        {
            s.Dirty = true;
            s.SessionId = id;
            s.Iteration++;
            s.LastAction = "session start";
        }, at);
        return baseline;
    }
}
