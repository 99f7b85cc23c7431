using System.Management.Automation;
using Harness.Core.Ci;
using Harness.Core.Entry;
using Harness.Core.Errors;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Invoke-SessionEntry: the session entry protocol for each project folder. Inside GitHub Actions
/// or Azure DevOps it also publishes what <c>harness entry</c> publishes (masks, the health
/// check's output, annotations, step outputs, the job summary) through Core's <see cref="EntryCi"/>.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SessionEntry", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(EntryReport))]
public sealed class InvokeSessionEntryCommand : HarnessProjectCmdlet
{
    // An int, not the enum: no cmdlet field may be of a Harness.Core value type (HarnessCmdlet's remarks).
    private int _onCrash;

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

    protected override void ProcessRecord()
    {
        foreach (var directory in Targets())
        {
            // Per item, as 'harness entry' per run: nothing is published outside CI.
            var ci = CiEnvironment.CreateReporter(new Hosting.HostTextWriter(HarnessHost, this));
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
                PSObject output;
                using (var project = OpenProject(directory))
                {
                    var report = HarnessHost.Run(() => project.EnterAsync(options, CancelOnStop));
                    if (ci.IsActive)
                    {
                        // Masks first: nothing written after this may show a required_env value.
                        EntryCi.MaskRequiredEnv(ci, report.RequiredEnv);
                        EntryCi.HealthGroup(ci, report.Health);
                        EntryCi.Publish(ci, report, failed: false);
                    }

                    output = WithProjectRoot(report, project);
                }

                // After the lock is released: the next cmdlet in the pipeline opens the same project.
                WriteObject(output);
            }
            catch (HarnessException ex) when (ci.IsActive)
            {
                EntryCi.PublishError(ci, ex);
                ReportError(ex, directory);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }
}
