using System.Management.Automation;
using Harness.Core.Entry;
using Harness.Core.Git;

namespace Harness.PowerShell.Commands;

/// <summary>Invoke-SessionEntry: the session entry protocol (Core's <see cref="SessionEntry"/>) for each project folder.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "SessionEntry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(EntryReport))]
public sealed class InvokeSessionEntryCommand : HarnessCmdlet
{
    /// <summary>Project folders (default: the current location); the project root is found upwards from each.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Do not run the health check; use the health recorded by the last entry.</summary>
    [Parameter]
    public SwitchParameter SkipHealthCheck { get; set; }

    /// <summary>How many recent commits the report carries.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int RecentCommitCount { get; set; } = 5;

    /// <summary>How many recently changed files the report carries.</summary>
    [Parameter]
    [ValidateRange(0, 1000)]
    public int RecentFileCount { get; set; } = 5;

    /// <summary>When the last session crashed (state.json still dirty, no live harness): Keep the tree (default) or Rollback to the last good checkpoint, backed up first.</summary>
    [Parameter]
    public CrashPolicy OnCrash { get => (CrashPolicy)_onCrash; set => _onCrash = (int)value; }

    // An int, not the enum: PowerShell loads cmdlet types before the module's resolver is in place (ModuleInitializer).
    private int _onCrash;

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                // -WhatIf (or answering No to -Confirm) runs the protocol as a dry run: it reads and checks, and writes nothing.
                var dryRun = !ShouldProcess(directory, "Run the session entry protocol and record it in .claude/progress/state.json");
                var options = new EntryOptions
                {
                    RunHealthCheck = !SkipHealthCheck,
                    DryRun = dryRun,
                    RecentCommitCount = RecentCommitCount,
                    RecentFileCount = RecentFileCount,
                    CrashPolicy = OnCrash,
                };
                using var project = OpenProject(directory);
                WriteObject(HarnessHost.Run(() => project.EnterAsync(options, CancelOnStop)));
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
