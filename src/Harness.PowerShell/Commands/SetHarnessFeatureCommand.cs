using System.Management.Automation;
using Harness.Core.Features;
using Harness.PowerShell.Completion;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Set-HarnessFeature: sets the status (and optionally the notes) of features. Ids are collected
/// from the whole pipeline and written once per project at its end: a thousand piped features
/// cost one read and one atomic write of the list, not a thousand. The ids are checked against the
/// list first, with -WhatIf too; an unknown id is an error and nothing is written to that list.
/// </summary>
[Cmdlet(VerbsCommon.Set, "HarnessFeature", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(Feature))]
public sealed class SetHarnessFeatureCommand : HarnessItemCmdlet
{
    // Project root -> the ids for it, in the order they came; roots in the order they came.
    private readonly Dictionary<string, (List<string> Ids, HashSet<string> Seen)> _ids = new(OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _roots = [];

    /// <summary>The ids of the features to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(FeatureIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>The new status.</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet(FeatureStatuses.Pending, FeatureStatuses.InProgress, FeatureStatuses.Tested, FeatureStatuses.Completed, FeatureStatuses.Blocked)]
    public string Status { get; set; } = "";

    /// <summary>Replaces the features' notes.</summary>
    [Parameter]
    public string? Notes { get; set; }

    /// <summary>Write the updated features to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Collects: which project each id belongs to. Nothing is read or written yet.</summary>
    protected override void ProcessRecord() => ForEachProject(Targets(), project =>
    {
        if (!_ids.TryGetValue(project.Root, out var collected))
        {
            _ids[project.Root] = collected = ([], new HashSet<string>(StringComparer.Ordinal));
            _roots.Add(project.Root);
        }

        foreach (var id in Id)
        {
            if (collected.Seen.Add(id))
            {
                collected.Ids.Add(id);
            }
        }
    });

    /// <summary>One check and one write per project.</summary>
    protected override void EndProcessing()
    {
        var status = Status.ToLowerInvariant();
        ForEachProject(_roots, project =>
        {
            var ids = _ids[project.Root].Ids;
            var found = project.FindFeatures(ids: ids);
            if (found.Errors.Count > 0)
            {
                // Core writes all or nothing: an unknown id leaves the list as it is.
                foreach (var error in found.Errors)
                {
                    ReportError(error, project.Root);
                }

                return;
            }

            var approved = ids.Where(id => ShouldProcess($"feature '{id}' in {project.Root}", $"Set status to '{status}'")).ToArray();
            if (approved.Length == 0)
            {
                return;
            }

            var updated = HarnessHost.Run(() => project.SetFeatureStatusAsync(approved, status, Notes, CancelOnStop));
            if (PassThru)
            {
                foreach (var feature in updated)
                {
                    WriteResult(feature, project);
                }
            }
        });
    }
}
