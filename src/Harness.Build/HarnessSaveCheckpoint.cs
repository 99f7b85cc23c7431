using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Microsoft.Build.Framework;

namespace Harness.Build;

/// <summary>
/// Saves a checkpoint (<c>harness checkpoint save</c>, <c>Save-Checkpoint</c>): one
/// <see cref="CheckpointStore.Save"/> call, its checkpoint mapped to outputs. Commits the whole
/// work tree (.gitignore respected); with nothing to commit the checkpoint is recorded at HEAD.
/// </summary>
public sealed class HarnessSaveCheckpoint : HarnessTask
{
    /// <summary>Why the checkpoint is taken: the body of the commit message and the record's reason.</summary>
    public string? Reason { get; set; }

    /// <summary>The session id to record (default: state.json's session_id).</summary>
    public string? SessionId { get; set; }

    /// <summary>The checkpoint's commit (the new HEAD, or HEAD when there was nothing to commit).</summary>
    [Output] public string Commit { get; private set; } = "";

    /// <summary>The checkpoint's name, its id: a UTC stamp such as <c>20260115T101112123Z</c>.</summary>
    [Output] public string CheckpointName { get; private set; } = "";

    /// <summary>The ref that records it: <c>refs/harness/checkpoints/&lt;name&gt;</c>.</summary>
    [Output] public string CheckpointRef { get; private set; } = "";

    /// <summary>False when there was nothing to commit and the checkpoint was recorded at HEAD.</summary>
    [Output] public bool CreatedCommit { get; private set; }

    [Output] public string ProjectRoot { get; private set; } = "";

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        using var project = OpenProject(host, cancellationToken);
        var layout = project.Layout;
        ProjectRoot = layout.Root;
        var checkpoint = project.SaveCheckpointAsync(new CheckpointOptions
        {
            Reason = NullIfEmpty(Reason),
            SessionId = NullIfEmpty(SessionId),
        }, cancellationToken).GetAwaiter().GetResult();

        Commit = checkpoint.Commit;
        CheckpointName = checkpoint.Name;
        CheckpointRef = checkpoint.Ref;
        CreatedCommit = checkpoint.CreatedCommit;
        Log.LogMessage(
            MessageImportance.High,
            $"Harness: checkpoint {checkpoint.Name} {(checkpoint.CreatedCommit ? "committed" : "recorded at HEAD (nothing to commit)")} {checkpoint.ShortCommit}{(checkpoint.Detached ? " (detached HEAD)" : checkpoint.Branch is null ? "" : $" on {checkpoint.Branch}")}, health {checkpoint.Health} [{layout.Root}]");
    }
}
