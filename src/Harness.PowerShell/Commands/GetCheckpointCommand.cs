using System.Management.Automation;
using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.PowerShell.Commands;

/// <summary>Get-Checkpoint: Core's <see cref="CheckpointStore.List"/> (<c>harness checkpoint list</c>), newest first. Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "Checkpoint")]
[OutputType(typeof(Checkpoint))]
public sealed class GetCheckpointCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Only the last good checkpoint (the newest taken while health was HEALTHY); an error when there is none.</summary>
    [Parameter]
    public SwitchParameter LastGood { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                using var project = OpenProject(directory);
                var layout = project.Layout;
                if (LastGood)
                {
                    // Core's lookup of "no name": the last good one, else Harness.CheckpointNotFound.
                    WriteObject(CheckpointOutput.WithProjectRoot(project.FindCheckpoint(null), layout));
                    continue;
                }

                var list = project.ListCheckpoints();
                if (list.Count == 0)
                {
                    WriteVerbose($"{layout.Root}: no checkpoints yet (refs/harness/checkpoints/ is empty); Save-Checkpoint makes one.");
                }

                foreach (var checkpoint in list)
                {
                    WriteObject(CheckpointOutput.WithProjectRoot(checkpoint, layout));
                }
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
