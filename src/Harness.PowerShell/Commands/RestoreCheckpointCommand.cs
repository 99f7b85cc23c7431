using System.Management.Automation;
using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Restore-Checkpoint: Core's <see cref="CheckpointStore.Restore"/> (<c>harness checkpoint restore</c>).
/// The dry run is Core's: it is computed first, shown in the ShouldProcess prompt, and written
/// as the result of -WhatIf (or of answering No).
/// </summary>
[Cmdlet(VerbsData.Restore, "Checkpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = NamedSet)]
[OutputType(typeof(RestoreResult))]
public sealed class RestoreCheckpointCommand : HarnessCmdlet
{
    private const string NamedSet = "Named";
    private const string LastGoodSet = "LastGood";

    /// <summary>The checkpoint's name or a unique prefix of it; binds the Name of Get-Checkpoint's output.</summary>
    [Parameter(Position = 0, ParameterSetName = NamedSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    public string? Id { get; set; }

    /// <summary>The checkpoint's commit or a unique prefix of it (used when -Id is not given).</summary>
    [Parameter(ParameterSetName = NamedSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Commit { get; set; }

    /// <summary>Restore the last good checkpoint (the newest taken while HEALTHY).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LastGoodSet)]
    public SwitchParameter LastGood { get; set; }

    /// <summary>The project folder (default: the current location); binds the ProjectRoot of Get-Checkpoint's output.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath", "ProjectRoot")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Restore onto a work tree with uncommitted changes (they are backed up first).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Recorded in state.json's history.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    protected override void ProcessRecord()
    {
        var directory = ResolvePath(Path);
        try
        {
            using var project = OpenProject(directory);
            var layout = project.Layout;

            // No name (or -LastGood): Core restores the last good checkpoint, as 'harness checkpoint restore' does.
            var options = new RestoreOptions { Checkpoint = LastGood ? null : Id ?? Commit, Force = Force, Reason = Reason };
            var plan = HarnessHost.Run(() => project.RestoreCheckpointAsync(options with { DryRun = true }, CancelOnStop));
            var c = plan.Checkpoint;
            var action = $"Restore checkpoint {c.Name} ({c.ShortCommit}, health {c.Health}): {plan.Files.Count} file(s) change, {plan.CommitsDropped.Count} commit(s) leave the branch; HEAD and every uncommitted and untracked file are backed up under refs/harness/backup/ first";
            if (!ShouldProcess(layout.Root, action))
            {
                if (plan.DirtyFiles.Count > 0 && !Force)
                {
                    WriteWarning($"{layout.Root} has {plan.DirtyFiles.Count} uncommitted change(s) ({string.Join(", ", plan.DirtyFiles.Take(10))}); the restore needs -Force and backs them up first.");
                }

                WriteObject(plan);
                return;
            }

            WriteObject(HarnessHost.Run(() => project.RestoreCheckpointAsync(options, CancelOnStop)));
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            ReportError(ex, directory);
        }
    }
}
