using System.Management.Automation;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Set-HarnessFeature: sets the status (and optionally the notes) of features, one atomic write
/// per call of Core's <see cref="FeatureStore.SetStatus"/>. Takes Feature objects from the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Set, "HarnessFeature", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(Feature))]
public sealed class SetHarnessFeatureCommand : HarnessCmdlet
{
    /// <summary>The ids of the features to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>The new status.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureStatusCompleter))]
    public string Status { get; set; } = "";

    /// <summary>Replaces the features' notes.</summary>
    [Parameter]
    public string? Notes { get; set; }

    /// <summary>The project folder or its feature list file (default: the current location). Feature objects carry it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Write the updated features to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        try
        {
            FeatureQuery.RequireKnownStatus(Status);
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            ReportError(ex, Status);
        }
    }

    protected override void ProcessRecord()
    {
        var target = ResolvePath(Path);
        try
        {
            using var project = OpenProject(target);
            var layout = project.Layout;
            var ids = Id.Where(id => ShouldProcess($"feature '{id}' in {layout.Root}", $"Set status to '{Status}'")).ToArray();
            if (ids.Length == 0)
            {
                return;
            }

            var updated = HarnessHost.Run(() => project.SetFeatureStatusAsync(ids, Status, Notes, CancelOnStop));
            if (PassThru)
            {
                WriteObject(updated, enumerateCollection: true);
            }
        }
        catch (Exception ex) when (IsReportable(ex))
        {
            ReportError(ex, target);
        }
    }
}
