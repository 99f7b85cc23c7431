using Harness.Core.Features;
using Harness.Core.State;

namespace Harness.Core.Loop.Integrity;

/// <summary>The session a feature-list change is judged for: its state and, for IMPLEMENT, its feature.</summary>
internal sealed record SessionScope(SessionState State, string? FeatureId)
{
    /// <summary>Only the initializer may add features: it creates the list.</summary>
    public bool MayAdd => State == SessionState.INIT;
}

/// <summary>
/// Which status changes a session may make (docs/loop.md, "Feature-list integrity"). A session
/// that claims work it was not given is how a loop ends "Complete" with features never built:
/// - INIT creates the list: any status.
/// - IMPLEMENT on F: F's status only (done, blocked, back to pending: its own call).
/// - TEST verifies: a done feature back to pending or in progress (a regression), tested to completed.
/// - FIX_BROKEN: a done feature back to pending or in progress (the fix reverted it).
/// Anything else is restored, and reported like a removal.
/// </summary>
internal static class StatusChangeRules
{
    /// <returns>Null when the change is allowed (or there is none), else the violation sentence.</returns>
    public static string? Refusal(SessionScope scope, Feature before, Feature after)
    {
        if (before.Status == after.Status || Allowed(scope, before, after.Status))
        {
            return null;
        }

        var who = scope.State == SessionState.IMPLEMENT && scope.FeatureId is { } own
            ? $"a session on {own} may change only {own}'s status"
            : $"a {scope.State} session may not {(FeatureStatuses.IsDone(after.Status) ? "mark features done" : "make that change")}";
        return $"{before.Id} had its status changed from {before.Status} to {after.Status} ({who}); restored";
    }

    private static bool Allowed(SessionScope scope, Feature before, string after) => scope.State switch
    {
        SessionState.INIT => true,
        SessionState.IMPLEMENT => scope.FeatureId is not null && before.Id == scope.FeatureId,
        SessionState.TEST => Reopened(before.Status, after) || (before.Status == FeatureStatuses.Tested && after == FeatureStatuses.Completed),
        SessionState.FIX_BROKEN => Reopened(before.Status, after),
        _ => false,
    };

    private static bool Reopened(string before, string after) => FeatureStatuses.IsDone(before) && FeatureStatuses.IsRemaining(after);
}
