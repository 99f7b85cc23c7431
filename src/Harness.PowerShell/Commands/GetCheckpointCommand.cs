using System.Management.Automation;
using Harness.Core.Checkpoints;

namespace Harness.PowerShell.Commands;

/// <summary>Get-Checkpoint: a project's checkpoints (<c>harness checkpoint list</c>), newest first. Read-only.</summary>
[Cmdlet(VerbsCommon.Get, "Checkpoint", DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(Checkpoint))]
public sealed class GetCheckpointCommand : HarnessProjectCmdlet
{
    /// <summary>Only the last good checkpoint (the newest taken while health was HEALTHY); an error when there is none.</summary>
    [Parameter]
    public SwitchParameter LastGood { get; set; }

    protected override void ProcessRecord() => ForEachProject(Targets(), project =>
    {
        if (LastGood)
        {
            // Core's lookup of "no name": the last good one, else Harness.CheckpointNotFound.
            WriteResult(project.FindCheckpoint(null), project);
            return;
        }

        var list = project.ListCheckpoints();
        if (list.Count == 0)
        {
            WriteVerbose($"{project.Root}: no checkpoints yet (refs/harness/checkpoints/ is empty); Save-Checkpoint makes one.");
        }

        foreach (var checkpoint in list)
        {
            WriteResult(checkpoint, project);
        }
    });
}
