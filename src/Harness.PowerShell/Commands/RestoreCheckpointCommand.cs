using System.Management.Automation;
using Harness.Core.Checkpoints;
using Harness.Core.Errors;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Restore-Checkpoint: <c>harness checkpoint restore</c>. The dry run is Core's: it is computed
/// first (which checks the name), shown in the ShouldProcess prompt, and written as the result of
/// -WhatIf (or of answering No).
/// </summary>
[Cmdlet(VerbsData.Restore, "Checkpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(RestoreResult))]
public sealed class RestoreCheckpointCommand : HarnessItemCmdlet
{
    /// <summary>The checkpoint's name or a unique prefix of it; binds the Name of Get-Checkpoint's output.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    public string? Id { get; set; }

    /// <summary>The checkpoint's commit or a unique prefix of it (used when -Id is not given).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <summary>Restore the last good checkpoint (the newest taken while HEALTHY); not with -Id or -Commit.</summary>
    [Parameter]
    public SwitchParameter LastGood { get; set; }

    /// <summary>Restore onto a work tree with uncommitted changes (they are backed up first).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Recorded in state.json's history.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    protected override void ProcessRecord()
    {
        if (LastGood && (Id ?? Commit) is not null)
        {
            var error = new HarnessException(ParameterConflictErrorId, HarnessErrorCategory.InvalidArgument, "-LastGood names the checkpoint already; it does not go with -Id or -Commit.")
            {
                Fix = "Pass -LastGood alone, or the checkpoint's -Id or -Commit.",
            };
            ThrowTerminatingError(ToErrorRecord(error, Id ?? Commit));
        }

        // No name (or -LastGood): Core restores the last good checkpoint, as 'harness checkpoint restore' does.
        var options = new RestoreOptions { Checkpoint = LastGood ? null : Id ?? Commit, Force = Force, Reason = Reason };
        ForEachProject(Targets(), project =>
        {
            var plan = HarnessHost.Run(() => project.RestoreCheckpointAsync(options with { DryRun = true }, CancelOnStop));
            var c = plan.Checkpoint;
            var action = $"Restore checkpoint {c.Name} ({c.ShortCommit}, health {c.Health}): {plan.Files.Count} file(s) change, {plan.CommitsDropped.Count} commit(s) leave the branch; HEAD and every uncommitted and untracked file are backed up under refs/harness/backup/ first";
            if (!ShouldProcess(project.Root, action))
            {
                if (plan.DirtyFiles.Count > 0 && !Force)
                {
                    WriteWarning($"{project.Root} has {plan.DirtyFiles.Count} uncommitted change(s) ({string.Join(", ", plan.DirtyFiles.Take(10))}); the restore needs -Force and backs them up first.");
                }

                WriteResult(plan, project);
                return;
            }

            WriteResult(HarnessHost.Run(() => project.RestoreCheckpointAsync(options, CancelOnStop)), project);
        });
    }
}
