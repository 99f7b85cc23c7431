using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Core.Loop;

/// <summary>The end of a loop run, sequential or parallel: its result as the feature list stands now, and the event that says so.</summary>
internal static class LoopStop
{
    public static (LoopResult Result, LoopEvent Stopped) Of(
        ProjectLayout layout, IReadOnlyList<LoopSessionResult> sessions, decimal cost, long tokens, TimeSpan duration, LoopStopReason reason, string message,
        IReadOnlyList<Entry.SurvivorProcess>? killedSurvivors = null)
    {
        var list = FeatureStore.Load(layout);
        var result = new LoopResult
        {
            StopReason = reason,
            Message = message,
            Sessions = sessions,
            TotalCostUsd = cost,
            TotalTokens = tokens,
            Duration = duration,
            FeaturesDone = list?.Counts.Done ?? 0,
            FeaturesTotal = list?.Counts.Total ?? 0,
            BlockedFeatures = list?.Features.Where(f => f.Status == FeatureStatuses.Blocked).Select(f => f.Id).ToList() ?? [],
            KilledSurvivors = killedSurvivors ?? [],
        };
        var stopped = new LoopEvent(LoopEventKind.Stopped)
        {
            FeaturesDone = result.FeaturesDone,
            FeaturesTotal = result.FeaturesTotal,
            CostSoFar = cost,
            Result = result,
            Message = $"stopped: {reason} ({message})",
        };
        return (result, stopped);
    }
}
