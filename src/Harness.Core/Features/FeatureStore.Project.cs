using Harness.Core.Project;

namespace Harness.Core.Features;

/// <summary>The feature list's writes through an open project: each takes (or requires) the project lock first.</summary>
internal static partial class FeatureStore
{
    /// <summary>
    /// <c>features set</c>: takes the project lock (waiting briefly for another short command),
    /// so a user's change cannot land under a running loop, whose integrity check would undo it.
    /// </summary>
    public static IReadOnlyList<Feature> SetStatus(HarnessProject project, IReadOnlyList<string> ids, string status, string? notes = null)
    {
        project.EnsureLocked("features set");
        return SetStatus(project.Layout, ids, status, notes);
    }

    /// <summary>The loop's count of a failed session; the loop holds the lock.</summary>
    public static Feature RecordFailedAttempt(HarnessProject project, string id, int attemptsBefore, int limit, string reason)
    {
        project.AssertLocked();
        return RecordFailedAttempt(project.Layout, id, attemptsBefore, limit, reason);
    }
}
