using System.Management.Automation;
using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.PowerShell.Commands;

/// <summary>Save-Checkpoint: Core's <see cref="CheckpointStore.Save"/> (<c>harness checkpoint save</c>) for each project folder.</summary>
[Cmdlet(VerbsData.Save, "Checkpoint", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Checkpoint))]
public sealed class SaveCheckpointCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Why the checkpoint is taken: the body of the commit message and the checkpoint record's reason.</summary>
    [Parameter]
    [Alias("Message")]
    [ValidateNotNullOrEmpty]
    public string? Reason { get; set; }

    /// <summary>The session id to record (default: state.json's session_id).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SessionId { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                using var project = OpenProject(directory);
                var layout = project.Layout;

                // -WhatIf (or answering No to -Confirm) writes nothing: Core's save has no dry run.
                if (!ShouldProcess(layout.Root, "Commit the whole work tree (tracked and untracked, .gitignore respected) and record a checkpoint under refs/harness/checkpoints/"))
                {
                    continue;
                }

                var checkpoint = HarnessHost.Run(() => project.SaveCheckpointAsync(new CheckpointOptions { Reason = Reason, SessionId = SessionId }, CancelOnStop));
                WriteObject(CheckpointOutput.WithProjectRoot(checkpoint, layout));
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}

/// <summary>Checkpoints do not say which project they belong to; the pipeline to Restore-Checkpoint needs it.</summary>
internal static class CheckpointOutput
{
    /// <summary>The name of the note property that carries the project root (Restore-Checkpoint's -Path binds it).</summary>
    public const string ProjectRoot = "ProjectRoot";

    public static PSObject WithProjectRoot(object value, ProjectLayout layout)
    {
        var output = PSObject.AsPSObject(value);
        output.Properties.Add(new PSNoteProperty(ProjectRoot, layout.Root));
        return output;
    }
}
