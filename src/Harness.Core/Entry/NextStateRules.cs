using Harness.Core.Features;
using Harness.Core.State;

namespace Harness.Core.Entry;

/// <summary>The seed's decision, in order: BROKEN → FIX_BROKEN; no list → INIT; work left → IMPLEMENT; else COMPLETE.</summary>
internal static class NextStateRules
{
    public static FeatureListStatus FeatureStatusOf(FeatureSummary? list) => list switch
    {
        null or { Path: null } => FeatureListStatus.NO_FEATURE_LIST,

        // An empty list is an initializer that did not finish, not a finished project.
        { Counts.Total: 0 } => FeatureListStatus.NO_FEATURE_LIST,
        { Counts.Remaining: > 0 } => FeatureListStatus.HAS_PENDING_FEATURES,
        _ => FeatureListStatus.ALL_COMPLETE,
    };

    public static (SessionState Next, string Reason) Decide(HealthStatus health, string healthDescription, FeatureSummary? list)
    {
        var counts = list?.Counts ?? Empty;
        if (health == HealthStatus.BROKEN)
        {
            return (SessionState.FIX_BROKEN, $"health check failed ({healthDescription})");
        }

        return FeatureStatusOf(list) switch
        {
            FeatureListStatus.NO_FEATURE_LIST when list?.Path is not null => (SessionState.INIT, $"feature list {Path.GetFileName(list.Path)} has no features"),
            FeatureListStatus.NO_FEATURE_LIST => (SessionState.INIT, "no feature list"),
            FeatureListStatus.HAS_PENDING_FEATURES => (SessionState.IMPLEMENT, $"{counts.Remaining} of {counts.Total} features remaining"),
            _ when counts.Blocked > 0 => (SessionState.COMPLETE, $"no feature left to do: {counts.Done} of {counts.Total} done, {counts.Blocked} blocked"),
            _ => (SessionState.COMPLETE, $"all {counts.Total} features done"),
        };
    }

    /// <summary>The seed's table of skill folders to load for each state.</summary>
    public static string SkillFor(SessionState state) => state switch
    {
        SessionState.INIT => "initialization/",
        SessionState.IMPLEMENT => "implementation/",
        SessionState.TEST => "testing/",
        SessionState.FIX_BROKEN => "enforcement/",
        SessionState.COMPLETE => "context-graph/",
        _ => "orchestrator/",
    };

    private static readonly FeatureCounts Empty = new();
}
