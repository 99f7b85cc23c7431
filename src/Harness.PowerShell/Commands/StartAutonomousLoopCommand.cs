using System.Globalization;
using System.Management.Automation;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Loop;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Start-AutonomousLoop: Core's <see cref="AutonomousLoop"/> for each project folder, as
/// <c>harness loop</c> runs it. Each session's result is written as the session ends; progress,
/// warnings and the final result come from the loop's events, marshalled to the pipeline thread.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AutonomousLoop", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LoopSessionResult), typeof(LoopResult), typeof(LoopPlan))]
public sealed class StartAutonomousLoopCommand : HarnessCmdlet
{
    private const int ProgressId = 1;

    /// <summary>Project folders (default: the current location); the project root is found upwards from each. Loops run one after another.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "PSPath")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Stop after this many agent sessions (default: loop.max_iterations, else unlimited).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxIterations { get; set; }

    /// <summary>Stop once the sessions cost this many US dollars in total (loop.max_cost_usd).</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public decimal MaxCostUsd { get; set; }

    /// <summary>Stop once the sessions used this many tokens in total (loop.max_tokens).</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long MaxTokens { get; set; }

    /// <summary>Stop starting sessions after this long (loop.max_wall_time). A TimeSpan, or a number of seconds.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan MaxTime { get; set; }

    /// <summary>Kill a session (its whole process tree) after this long (loop.session_timeout). A TimeSpan, or a number of seconds.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan SessionTimeout { get; set; }

    /// <summary>How long to wait between sessions (loop.continue_delay, default 3 s). A TimeSpan, or a number of seconds.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan ContinueDelay { get; set; }

    /// <summary>Retries of a crashed session or API error, with exponential backoff (loop.max_retries, default 3).</summary>
    [Parameter]
    [ValidateRange(0, 100)]
    public int MaxRetries { get; set; }

    /// <summary>Stop after this many sessions in a row with no feature advanced (loop.stall_limit, default 3).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int StallLimit { get; set; }

    /// <summary>When a crashed session is found: Keep the tree (default) or Rollback to the last good checkpoint.</summary>
    [Parameter]
    public CrashPolicy OnCrash { get => (CrashPolicy)_onCrash; set => _onCrash = (int)value; }

    // An int, not the enum: PowerShell loads cmdlet types before the module's resolver is in place (ModuleInitializer).
    private int _onCrash;

    /// <summary>Do not run the health check between sessions.</summary>
    [Parameter]
    public SwitchParameter SkipHealthCheck { get; set; }

    /// <summary>Do not pass the harness guard hooks to Claude Code (--settings).</summary>
    [Parameter]
    public SwitchParameter NoGuardHooks { get; set; }

    /// <summary>The agent instead of project.json's agent.command: 'claude', or any command with {prompt} or {prompt_file}.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AgentCommand { get; set; }

    /// <summary>The command the guard hooks run (default: harness guard).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GuardCommand { get; set; }

    /// <summary>Also write the final <see cref="LoopResult"/> after the session results.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path ?? [null!])
        {
            var directory = ResolvePath(path);
            try
            {
                var options = Options();
                using var project = OpenProject(directory);
                if (!ShouldProcess(directory, "Run the autonomous loop: agent sessions until the feature list is done or a limit stops it"))
                {
                    // -WhatIf: the plan of the next session, nothing run or written. Answering No to -Confirm: nothing.
                    if (WhatIfRequested())
                    {
                        WriteObject(HarnessHost.Run(() => project.PlanLoopAsync(options, CancelOnStop)));
                    }

                    continue;
                }

                var activity = $"Autonomous loop: {directory}";
                var result = HarnessHost.Run(() => project.RunLoopAsync(options, e => HarnessHost.Post(() => Show(activity, e)), CancelOnStop));
                Report(result);
            }
            catch (Exception ex) when (IsReportable(ex))
            {
                ReportError(ex, directory);
            }
        }
    }

    private LoopOptions Options()
    {
        var bound = MyInvocation.BoundParameters;
        return new LoopOptions
        {
            MaxIterations = bound.ContainsKey(nameof(MaxIterations)) ? MaxIterations : null,
            MaxCostUsd = bound.ContainsKey(nameof(MaxCostUsd)) ? MaxCostUsd : null,
            MaxTokens = bound.ContainsKey(nameof(MaxTokens)) ? MaxTokens : null,
            MaxWallTime = bound.ContainsKey(nameof(MaxTime)) ? MaxTime : null,
            SessionTimeout = bound.ContainsKey(nameof(SessionTimeout)) ? SessionTimeout : null,
            ContinueDelay = bound.ContainsKey(nameof(ContinueDelay)) ? ContinueDelay : null,
            MaxRetries = bound.ContainsKey(nameof(MaxRetries)) ? MaxRetries : null,
            StallLimit = bound.ContainsKey(nameof(StallLimit)) ? StallLimit : null,
            OnCrash = OnCrash,
            RunHealthCheck = !SkipHealthCheck,
            UseGuardHooks = !NoGuardHooks,
            AgentCommand = AgentCommand,
            GuardCommand = GuardCommand,
        };
    }

    private bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true } || value is true
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>One loop event, on the pipeline thread: session results to the pipeline, the rest to progress and warnings.</summary>
    private void Show(string activity, LoopEvent e)
    {
        switch (e.Kind)
        {
            case LoopEventKind.SessionEnded when e.Session is { } session:
                WriteObject(session);
                break;
            case LoopEventKind.FeatureBlocked:
                WriteWarning(e.Message ?? $"{e.FeatureId} blocked");
                break;
            case LoopEventKind.Stopped:
                WriteProgress(new ProgressRecord(ProgressId, activity, e.Message ?? "stopped") { RecordType = ProgressRecordType.Completed });
                return;
            case LoopEventKind.Agent when e.AgentEvent?.ToolName is null:
                return;
        }

        var feature = e.FeatureId is null ? "" : " " + e.FeatureId;
        var status = string.Create(
            CultureInfo.InvariantCulture,
            $"Iteration {e.Iteration}: {e.State?.ToString() ?? "-"}{feature} | {e.FeaturesDone}/{e.FeaturesTotal} features done | ${e.CostSoFar:0.00}");
        var record = new ProgressRecord(ProgressId, activity, status)
        {
            CurrentOperation = e.Kind == LoopEventKind.Agent ? $"tool: {e.AgentEvent!.ToolName}" : e.Message,
            PercentComplete = e.FeaturesTotal > 0 ? Math.Clamp(e.FeaturesDone * 100 / e.FeaturesTotal, 0, 100) : -1,
        };
        if (e.Wait is { } wait && e.Kind is LoopEventKind.Waiting or LoopEventKind.Retrying)
        {
            record.SecondsRemaining = (int)Math.Ceiling(wait.TotalSeconds);
        }

        WriteProgress(record);
    }

    /// <summary>The end of one loop: a warning unless the project finished, then the result with -PassThru.</summary>
    private void Report(LoopResult result)
    {
        if (!result.Finished)
        {
            var blocked = result.BlockedFeatures.Count > 0 ? $" Blocked: {string.Join(", ", result.BlockedFeatures)} (set them back to pending to retry)." : "";
            WriteWarning(string.Create(
                CultureInfo.InvariantCulture,
                $"The loop stopped short ({result.StopReason}): {result.Message}. {result.FeaturesDone} of {result.FeaturesTotal} features done after {result.Sessions.Count} sessions, ${result.TotalCostUsd:0.00}.{blocked}"));
        }

        if (PassThru)
        {
            WriteObject(result);
        }
    }
}
