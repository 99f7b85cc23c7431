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

    /// <summary>Also add the 'harness guard' hooks (PreToolUse, SessionStart) to .claude/settings.json, keeping what is there.</summary>
    [Parameter]
    public SwitchParameter Hooks { get; set; }

    /// <summary>The command the hooks run (default: 'harness guard'); implies -Hooks.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HookCommand { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                // -WhatIf (or answering No to -Confirm) returns what would be created, creating nothing.
                var withHooks = Hooks.IsPresent || HookCommand is not null;
                var action = withHooks
                    ? "Create .claude/config, .claude/progress and a starter project.json (existing files are kept); add the guard hooks to .claude/settings.json"
                    : "Create .claude/config, .claude/progress and a starter project.json (existing files are kept)";
                var dryRun = !ShouldProcess(directory, action);
                using var project = OpenProject(directory);
                WriteObject(HarnessHost.Run(() => project.InitializeAsync(ProjectType, dryRun, withHooks, HookCommand, CancelOnStop)));
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
