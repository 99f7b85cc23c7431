using System.Globalization;
using System.Management.Automation;
using Harness.Core.Ci;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Loop;

namespace Harness.PowerShell.Commands;

/// <summary>
/// Start-AutonomousLoop: the autonomous loop for each project folder, as <c>harness loop</c> runs
/// it. Each session's result is written as the session ends; progress (session, features done,
/// cost), warnings and the final result come from the loop's events, marshalled to the pipeline
/// thread. A stopped pipeline (Ctrl+C, <c>Stop()</c>, <c>Select-Object -First</c>) stops the agent at
/// once; the loop hands the session off before the stop reaches the caller.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "AutonomousLoop", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = LiteralPathSet)]
[OutputType(typeof(LoopSessionResult), typeof(LoopResult), typeof(LoopPlan))]
public sealed class StartAutonomousLoopCommand : HarnessProjectCmdlet
{
    private const int ProgressId = 1;

    // An int, not the enum: no cmdlet field may be of a Harness.Core value type (HarnessCmdlet's remarks).
    private int _onCrash;

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

    /// <summary>Stop starting sessions, or waiting out an outage, after this long (loop.max_wall_time). A TimeSpan, or a number of seconds.</summary>
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

    /// <summary>Run up to this many sessions at once, each on its own pending feature in its own git worktree, merged back when healthy (loop.parallel; docs/loop.md, "Parallel sessions").</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int Parallel { get; set; }

    /// <summary>The command the guard hooks run (default: harness guard).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? GuardCommand { get; set; }

    /// <summary>Also write the final <see cref="LoopResult"/> after the session results.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var options = Options();
        ForEachProject(Targets(), project =>
        {
            if (!ShouldProcess(project.Root, "Run the autonomous loop: agent sessions until the feature list is done or a limit stops it"))
            {
                // -WhatIf: the plan of the next session, nothing run or written. Answering No to -Confirm: nothing.
                if (WhatIfRequested())
                {
                    WriteResult(HarnessHost.Run(() => project.PlanLoopAsync(options, CancelOnStop)), project);
                }

                return;
            }

            var activity = $"Autonomous loop: {project.Root}";
            var result = HarnessHost.Run(() => project.RunLoopAsync(options, e => HarnessHost.Post(() => Show(activity, project, e)), CancelOnStop));
            Report(result, project);
        });
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
            Parallel = bound.ContainsKey(nameof(Parallel)) ? Parallel : null,
        };
    }

    private bool WhatIfRequested() =>
        MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
            ? value is SwitchParameter { IsPresent: true } || value is true
            : LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));

    /// <summary>One loop event, on the pipeline thread: session results to the pipeline, the rest to progress and warnings.</summary>
    private void Show(string activity, Harness.Core.Project.HarnessProject project, LoopEvent e)
    {
        switch (e.Kind)
        {
            case LoopEventKind.SessionEnded when e.Session is { } session:
                // Now, not when the loop ends: each session's result is news (the loop holds the project meanwhile).
                WriteObject(WithProjectRoot(session, project));
                break;
            case LoopEventKind.FeatureBlocked:
                WriteWarning(e.Message ?? $"{e.FeatureId} blocked");
                break;
            case LoopEventKind.SurvivorsKilled:
                WriteWarning(e.Message ?? "killed processes a killed harness left running");
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
            $"Session {e.Iteration}: {e.State?.ToString() ?? "-"}{feature} | {e.FeaturesDone}/{e.FeaturesTotal} features done | ${e.CostSoFar:0.00}");
        // A parallel run: one progress bar per worker under the run's.
        var record = new ProgressRecord(e.Worker is { } worker ? ProgressId + worker : ProgressId, e.Worker is { } w ? $"Worker {w}" : activity, status)
        {
            ParentActivityId = e.Worker is null ? -1 : ProgressId,
            CurrentOperation = e.Kind == LoopEventKind.Agent ? $"tool: {e.AgentEvent!.ToolName}" : e.Message,
            PercentComplete = e.FeaturesTotal > 0 ? Math.Clamp(e.FeaturesDone * 100 / e.FeaturesTotal, 0, 100) : -1,
        };
        if (e.Wait is { } wait && e.Kind is LoopEventKind.Waiting or LoopEventKind.Retrying)
        {
            record.SecondsRemaining = (int)Math.Ceiling(wait.TotalSeconds);
        }

        WriteProgress(record);
    }

    /// <summary>
    /// The end of one loop: an agent that could not be started is an error (-ErrorAction Stop
    /// catches it), any other short stop a warning; then the result with -PassThru. In CI the
    /// result is published as <c>harness loop</c> publishes it (Core's <see cref="LoopCi"/>).
    /// </summary>
    private void Report(LoopResult result, Harness.Core.Project.HarnessProject project)
    {
        var ci = CiEnvironment.CreateReporter(new Hosting.HostTextWriter(HarnessHost, this));
        if (ci.IsActive)
        {
            LoopCi.Publish(ci, result);
        }

        if (result.StopReason is LoopStopReason.AgentUnavailable or LoopStopReason.GuardUnavailable)
        {
            var error = new HarnessException(ErrorIds.ProcessFailed, HarnessErrorCategory.ResourceUnavailable, $"{project.Root}: {result.Message.TrimEnd('.')}.")
            {
                FilePath = project.Layout.ConfigFile,
                Fix = result.StopReason == LoopStopReason.GuardUnavailable
                    ? "Make the guard hook run: Initialize-HarnessProject -Hooks rewrites it with the harness's path, or pass -GuardCommand."
                    : "Install the agent, or name one that is installed with -AgentCommand or agent.command in project.json.",
            };
            WriteError(ToErrorRecord(error, project.Root));
        }
        else if (!result.Finished)
        {
            var blocked = result.BlockedFeatures.Count > 0 ? $" Blocked: {string.Join(", ", result.BlockedFeatures)} (set them back to pending to retry)." : "";
            WriteWarning(string.Create(
                CultureInfo.InvariantCulture,
                $"The loop stopped short ({result.StopReason}): {result.Message}. {result.FeaturesDone} of {result.FeaturesTotal} features done after {result.Sessions.Count} sessions, ${result.TotalCostUsd:0.00}.{blocked}"));
        }

        if (PassThru)
        {
            WriteResult(result, project);
        }
    }
}
