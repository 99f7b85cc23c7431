using System.Management.Automation;
using Harness.Core.Project;

namespace Harness.PowerShell.Commands;

/// <summary>Initialize-HarnessProject: creates .claude/config and .claude/progress with a starter project.json. Never overwrites.</summary>
[Cmdlet(VerbsData.Initialize, "HarnessProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(InitResult))]
public sealed class InitializeHarnessProjectCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Project type for the starter config (default: detected from the project's files).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProjectType { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                // -WhatIf (or answering No to -Confirm) returns what would be created, creating nothing.
                var dryRun = !ShouldProcess(directory, "Create .claude/config, .claude/progress and a starter project.json (existing files are kept)");
                WriteObject(ProjectInitializer.Initialize(directory, ProjectType, dryRun));
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
