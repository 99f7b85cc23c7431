using System.Management.Automation;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessFeature: a project's features (seed feature-list.json or quickstart feature_list.json), by id and status.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessFeature")]
[OutputType(typeof(Feature))]
public sealed class GetHarnessFeatureCommand : HarnessCmdlet
{
    /// <summary>Only the features with these ids (exact). An id that names no feature is an error for that id.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only the features with one of these statuses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureStatusCompleter))]
    public string[]? Status { get; set; }

    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                using var project = OpenProject(directory);
                var result = project.FindFeatures(Status, Id);
                WriteObject(result.Features, enumerateCollection: true);
                foreach (var error in result.Errors)
                {
                    ReportError(error, directory);
                }
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
