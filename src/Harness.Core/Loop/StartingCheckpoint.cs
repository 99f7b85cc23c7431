using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Loop;

/// <summary>
/// The healthy point a loop starts from, as a checkpoint, when none was taken while the project was
/// healthy: so that if the very first session breaks the app, FIX_BROKEN is told what changed since
/// that start instead of "no healthy checkpoint". Taken once, before the first session; a project
/// that already has a healthy checkpoint, or whose health is not known to be HEALTHY, gets none.
/// </summary>
internal static class StartingCheckpoint
{
    public const string Reason = "the loop's healthy starting point";

    /// <returns>The checkpoint taken, or null when none was needed or it could not be taken (a warning says why).</returns>
    public static Checkpoint? EnsureRecorded(HarnessProject project, EntryReport entry)
    {
        if (entry.HealthStatus != HealthStatus.HEALTHY || !entry.Git.Repository.IsRepository)
        {
            return null;
        }

        var store = new CheckpointStore(project);
        try
        {
            return store.List().Any(c => c.IsLastGood) ? null : store.Save(new CheckpointOptions { Reason = Reason });
        }
        catch (HarnessException ex)
        {
            // Not worth stopping the loop for: a break in the first session is then described from the recent commits.
            project.Host.WriteWarning($"could not record the loop's healthy starting point as a checkpoint: {ex.Message}");
            return null;
        }
    }
}
