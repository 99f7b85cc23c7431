using System.Management.Automation;
using Harness.Core.Features;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>Get-HarnessFeature: a project's features (seed feature-list.json, quickstart feature_list.json or Ralph's prd.json), by id and status.</summary>
[Cmdlet(VerbsCommon.Get, "HarnessFeature", DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(Feature))]
public sealed class GetHarnessFeatureCommand : HarnessProjectCmdlet
{
    /// <summary>Only the features with these ids (exact). An id that names no feature is an error for that id. Named only: a bare argument is the project's path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only the features with one of these statuses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidateSet(FeatureStatuses.Pending, FeatureStatuses.InProgress, FeatureStatuses.Tested, FeatureStatuses.Completed, FeatureStatuses.Blocked)]
    public string[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        // ValidateSet ignores case; the list's statuses are lower case.
        var statuses = Status?.Select(s => s.ToLowerInvariant()).ToArray();
        ForEachProject(Targets(), project =>
        {
            var result = project.FindFeatures(statuses, Id);
            foreach (var feature in result.Features)
            {
                WriteResult(feature, project);
            }

            foreach (var error in result.Errors)
            {
                ReportError(error, project.Root);
            }
        });
    }
}
