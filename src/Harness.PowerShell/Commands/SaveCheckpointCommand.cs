using System.Management.Automation;
using Harness.Core.Checkpoints;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>Save-Checkpoint: commits the whole work tree as a checkpoint (<c>harness checkpoint save</c>) for each project folder.</summary>
[Cmdlet(VerbsData.Save, "Checkpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(Checkpoint))]
public sealed class SaveCheckpointCommand : HarnessProjectCmdlet
{
    /// <summary>Why the checkpoint is taken: the body of the commit message and the checkpoint record's reason.</summary>
    [Parameter]
    [Alias("Message")]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    /// <summary>The session id to record (default: state.json's session_id).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    protected override void ProcessRecord() => ForEachProject(Targets(), project =>
    {
        // -WhatIf (or answering No to -Confirm) writes nothing: Core's save has no dry run.
        if (ShouldProcess(project.Root, "Commit the whole work tree (tracked and untracked, .gitignore respected) and record a checkpoint under refs/harness/checkpoints/"))
        {
            var options = new CheckpointOptions { Reason = Reason, SessionId = SessionId };
            WriteResult(HarnessHost.Run(() => project.SaveCheckpointAsync(options, CancelOnStop)), project);
        }
    });
}
