using System.Diagnostics;
using System.Globalization;
using System.Text;
using Harness.Core.Agents;
using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Guard;
using Harness.Core.Health;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Harness.Core.Prompts;
using Harness.Core.State;
using Harness.Core.Summaries;

namespace Harness.Core.Loop;

/// <summary>
/// Runs agent sessions one after another until the feature list is done, and stops with a reason
/// otherwise (limits, budgets, stall, a repeating failure, cancellation). Each iteration: entry
/// (recovering a crash first), stop on COMPLETE, mark the session dirty, run the agent with the
/// prompt for the next state (autosaving the tree meanwhile, retrying crashes and API errors with
/// backoff, waiting out rate limits), enforce the feature list's integrity, re-check health, hand
/// off (checkpoint, summary, metrics, dirty false), wait <c>continue_delay</c>.
/// </summary>
internal sealed class AutonomousLoop(HarnessProject project)
{
    private readonly IGit _git = project.Git;
    private readonly IHarnessHost _host = project.Host;
    private readonly TimeProvider _clock = project.Clock;

    /// <summary>What the next iteration would do, running nothing and writing nothing.</summary>
    public async Task<LoopPlan> PlanAsync(LoopOptions options, CancellationToken cancellationToken = default)
    {
        var layout = project.Layout;
        var config = project.Config;
        var agent = CreateAgent(options, config);
        var report = await new SessionEntry(project).RunAsync(
            new EntryOptions { RunHealthCheck = options.RunHealthCheck, DryRun = true, CrashPolicy = options.OnCrash },
            cancellationToken).ConfigureAwait(false);
        if (report.NextState == SessionState.COMPLETE)
        {
            return new LoopPlan { Entry = report, Agent = agent.Name };
        }

        var prompt = PromptBuilder.Build(report, config, layout, DescribeWhatBroke(report.WhatBroke));
        var request = AgentRunnerFactory.CreateRequest(config, layout, prompt, report.NextState.ToString(), "plan");
        IReadOnlyList<string> arguments = agent switch
        {
            ClaudeCodeAgent claude => [claude.Executable, .. claude.LeadingArgs, .. claude.BuildArguments(request)],
            CommandAgent command => command.Expand(request, "<prompt file>"),
            _ => [],
        };
        return new LoopPlan { Entry = report, Prompt = prompt, Agent = agent.Name, AgentArguments = arguments };
    }

    public async Task<LoopResult> RunAsync(LoopOptions options, Action<LoopEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        var wall = Stopwatch.StartNew();
        var layout = project.Layout;

        // One harness per project for the whole run: another loop, or an entry from a terminal, waits its turn.
        await project.EnsureLockedAsync("autonomous loop", cancellationToken).ConfigureAwait(false);
        var config = project.Config;
        var limits = LoopLimits.From(options, config.Loop);
        var agent = CreateAgent(options, config);
        var run = new RunState(onEvent) { KilledSurvivors = project.TakeKilledSurvivors(), WallDeadline = _clock.GetUtcNow() + limits.MaxWallTime };
        if (run.KilledSurvivors.Count > 0)
        {
            run.Emit(new LoopEvent(LoopEventKind.SurvivorsKilled) { Message = SurvivorProcess.Describe(run.KilledSurvivors) });
        }

        var hookCommand = options.UseGuardHooks && agent is ClaudeCodeAgent ? HookSettings.ResolveCommand(options.GuardCommand) : null;
        if (await LoopPreflight.CheckAsync(layout, config, options, agent, hookCommand, _host, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return Stop(layout, run, wall, refusal.Reason, refusal.Message);
        }

        var settingsFile = hookCommand is null ? null : WriteGuardSettings(hookCommand);
        try
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return Stop(layout, run, wall, LoopStopReason.Cancelled, "cancelled");
                }

                if (LimitReached(limits, run, wall.Elapsed) is { } limit)
                {
                    return Stop(layout, run, wall, limit.Reason, limit.Message);
                }

                EntryReport report;
                try
                {
                    report = await new SessionEntry(project).RunAsync(
                        new EntryOptions { RunHealthCheck = options.RunHealthCheck, CrashPolicy = options.OnCrash },
                        cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Stop(layout, run, wall, LoopStopReason.Cancelled, "cancelled during the entry protocol");
                }

                if (report.NextState == SessionState.COMPLETE)
                {
                    return Stop(layout, run, wall, LoopStopReason.Complete, report.NextStateReason);
                }

                if (report.NextState == SessionState.IMPLEMENT && report.Features.NextFeature is { } exhausted && exhausted.Attempts >= limits.FeatureAttempts)
                {
                    // Tried enough already (in this run or an earlier one): park it and take the next feature.
                    FeatureStore.SetStatus(project, [exhausted.Id], FeatureStatuses.Blocked,
                        $"{exhausted.Notes}\nBlocked by the harness: {exhausted.Attempts} attempts reached the limit of {limits.FeatureAttempts}; set it back to pending to try again.".Trim());
                    run.Emit(new LoopEvent(LoopEventKind.FeatureBlocked) { FeatureId = exhausted.Id, Iteration = run.Iteration, Message = $"{exhausted.Id} blocked after {exhausted.Attempts} attempts" });
                    continue;
                }

                if (run.Iteration == 0)
                {
                    StartingCheckpoint.EnsureRecorded(project, report);
                }

                run.Iteration++;
                var session = await RunSessionAsync(layout, config, limits, options, report, agent, settingsFile, run, cancellationToken).ConfigureAwait(false);
                run.Record(session);
                run.Emit(new LoopEvent(LoopEventKind.SessionEnded)
                {
                    Iteration = session.Iteration,
                    State = session.State,
                    FeatureId = session.FeatureId,
                    FeaturesDone = session.FeaturesDoneAfter,
                    FeaturesTotal = session.FeaturesTotal,
                    CostSoFar = run.Cost,
                    Session = session,
                    Message = $"session {session.Iteration} ({session.State}{(session.FeatureId is null ? "" : " " + session.FeatureId)}) ended: {session.ExitReason}"
                        + (session.PermissionDenials > 0 ? $" ({PermissionDenial.Describe(session.PermissionDenials, session.Denials)})" : "")
                        + (session.CostEstimated ? " (cost estimated from the stream's usage)" : ""),
                });

                if (session.Outcome == AgentOutcome.Cancelled || cancellationToken.IsCancellationRequested)
                {
                    return Stop(layout, run, wall, LoopStopReason.Cancelled, $"cancelled during session {session.Iteration}; it was handed off cleanly");
                }

                if (session.Outage is { } outage)
                {
                    return Stop(layout, run, wall, LoopStopReason.Outage, $"gave up waiting in session {session.Iteration}: {outage}");
                }

                if (session.Outcome == AgentOutcome.StartFailed)
                {
                    return Stop(layout, run, wall, LoopStopReason.AgentUnavailable, AgentDidNotStart(session));
                }

                // Blocking a feature is not progress: a loop that only blocks features stalls like any other.
                run.StallCount = session.Advanced ? 0 : run.StallCount + 1;
                if (run.StallCount >= limits.StallLimit)
                {
                    return Stop(layout, run, wall, LoopStopReason.Stalled, $"no feature advanced in {run.StallCount} consecutive sessions (stall_limit {limits.StallLimit}){Hint(session)}");
                }

                if (run.CountFailure(FailureSignature(session)) >= limits.CircuitBreaker)
                {
                    return Stop(layout, run, wall, LoopStopReason.CircuitBreaker, $"the last {run.SameFailureCount} sessions failed the same way ({run.LastFailure}; circuit_breaker {limits.CircuitBreaker}){Hint(session)}");
                }

                // Every feature done: the next entry stops the loop, so there is nothing to wait for.
                var allDone = session.FeaturesTotal > 0 && session.FeaturesDoneAfter == session.FeaturesTotal;
                if (!allDone && !await WaitAsync(limits.ContinueDelay, run, "continue delay", cancellationToken).ConfigureAwait(false))
                {
                    return Stop(layout, run, wall, LoopStopReason.Cancelled, "cancelled between sessions");
                }
            }
        }
        finally
        {
            if (settingsFile is not null)
            {
                TryDelete(settingsFile);
            }
        }
    }

    private async Task<LoopSessionResult> RunSessionAsync(
        ProjectLayout layout, ProjectConfig config, LoopLimits limits, LoopOptions options, EntryReport report,
        IAgentRunner agent, string? settingsFile, RunState run, CancellationToken cancellationToken)
    {
        var state = report.NextState;
        var feature = state == SessionState.IMPLEMENT ? report.Features.NextFeature : null;
        var prompt = PromptBuilder.Build(report, config, layout, DescribeWhatBroke(report.WhatBroke));
        var snapshot = FeatureListSnapshot.Take(layout);
        var baseline = SessionLifecycle.Begin(project, now: _clock.GetUtcNow());
        var started = Stopwatch.StartNew();
        run.Emit(new LoopEvent(LoopEventKind.SessionStarting)
        {
            Iteration = run.Iteration,
            State = state,
            FeatureId = feature?.Id,
            FeaturesDone = report.Features.Counts.Done,
            FeaturesTotal = report.Features.Counts.Total,
            CostSoFar = run.Cost,
            Message = $"session {run.Iteration}: {state}{(feature is null ? "" : $" {feature.Id} ({feature.Name})")}",
        });

        var attempt = await RunAgentWithRetriesAsync(layout, config, limits, options, prompt, state, baseline.SessionId, report.Git.Repository.IsRepository, agent, settingsFile, run, cancellationToken).ConfigureAwait(false);
        var last = attempt.Last;
        if (last.Outcome == AgentOutcome.StartFailed && !LeftTrace(layout, report, baseline))
        {
            // The agent never ran: no summary, checkpoint or metrics line, and the feature keeps its attempts.
            Abandon(layout, baseline, last);
            return SessionResult(run, baseline, state, feature, attempt, started.Elapsed, report, report.Features.Counts.Done, report.Features.Counts.Total,
                advanced: false, HealthFrom(null, layout), blocked: null, violations: [], handoff: null);
        }

        // After the agent: undo forbidden list edits, measure health, count a failed attempt, hand off.
        var violations = FeatureListIntegrity.Enforce(layout, snapshot, new Integrity.SessionScope(state, feature?.Id), _clock.GetUtcNow());
        foreach (var violation in violations)
        {
            _host.WriteWarning($"feature list restored: {violation}");
        }

        var health = options.RunHealthCheck
            ? await HealthRunner.RunHealthCheckAsync(layout, config, ProjectDetector.Detect(layout.Root), CancellationToken.None, project.ChildRecord).ConfigureAwait(false)
            : null;
        if (health is not null)
        {
            StateStore.Update(project, s =>
            {
                s.HealthStatus = health.Status;
                s.HealthCheckedAt = _clock.GetUtcNow();
            }, _clock.GetUtcNow());
        }

        var exitReason = ExitReason(last.Outcome);
        var failed = last.Outcome is not (AgentOutcome.Completed or AgentOutcome.MaxTurns or AgentOutcome.BudgetExceeded);
        string? blocked = null;

        // An outage the loop gave up on is the API's failure, not the feature's: no attempt is charged.
        if (feature is not null && attempt.Outage is null && last.Outcome is not (AgentOutcome.Cancelled or AgentOutcome.StartFailed) &&
            FeatureStore.Load(layout)?.Features.FirstOrDefault(f => f.Id == feature.Id) is { } now && !FeatureStatuses.IsDone(now.Status) && now.Status != FeatureStatuses.Blocked)
        {
            // The session ended without finishing its feature: one attempt used.
            var updated = FeatureStore.RecordFailedAttempt(project, feature.Id, feature.Attempts, limits.FeatureAttempts, $"Session {baseline.SessionId} ended without finishing it ({exitReason}).");
            if (updated.Status == FeatureStatuses.Blocked)
            {
                blocked = feature.Id;
                run.Emit(new LoopEvent(LoopEventKind.FeatureBlocked) { FeatureId = feature.Id, Iteration = run.Iteration, Message = $"{feature.Id} blocked after {updated.Attempts} attempts" });
            }
        }

        var handoff = new Handoff(project).Run(new SessionOutcome
        {
            SessionId = baseline.SessionId,
            StartedAt = baseline.StartedAt,
            ResultText = last.ResultText ?? (last.Errors.Count > 0 ? string.Join("\n", last.Errors) : null),
            CostUsd = (double)attempt.Cost,
            CostEstimated = attempt.CostEstimated,
            InputTokens = attempt.InputTokens,
            OutputTokens = attempt.OutputTokens,
            Turns = attempt.Turns,
            ExitReason = exitReason,
            Retries = attempt.Retries,
            Succeeded = !failed,
            IntegrityViolations = violations,
            Denials = last.Denials,
            PermissionDenials = last.PermissionDenials,
            StandardErrorTail = last.StandardErrorTail,
        });

        var after = FeatureStore.LoadSummary(layout);
        var doneAfter = after?.Counts.Done ?? 0;
        var advanced = doneAfter > report.Features.Counts.Done
            || (state == SessionState.INIT && (after?.Counts.Total ?? 0) > 0)
            || (state == SessionState.FIX_BROKEN && health?.Status == HealthStatus.HEALTHY);
        return SessionResult(run, baseline, state, feature, attempt, started.Elapsed, report, doneAfter, after?.Counts.Total ?? 0,
            advanced, HealthFrom(health, layout), blocked, violations, handoff);
    }

    private static LoopSessionResult SessionResult(
        RunState run, SessionBaseline baseline, SessionState state, Feature? feature, AttemptTotals attempt, TimeSpan duration,
        EntryReport report, int doneAfter, int total, bool advanced, HealthStatus healthAfter, string? blocked, IReadOnlyList<string> violations, HandoffResult? handoff) =>
        attempt.ToSessionResult(baseline.SessionId, duration) with
    {
        Iteration = run.Iteration,
        State = state,
        FeatureId = feature?.Id,
        FeaturesDoneBefore = report.Features.Counts.Done,
        FeaturesDoneAfter = doneAfter,
        FeaturesTotal = total,
        Advanced = advanced,
        HealthAfter = healthAfter,
        BlockedFeature = blocked,
        IntegrityViolations = violations,
        CheckpointCommit = handoff?.Checkpoint?.Commit,
        SummaryPath = handoff?.SummaryPath,
    };

    private static HealthStatus HealthFrom(Health.HealthCheckResult? health, ProjectLayout layout) =>
        health?.Status ?? StateStore.Load(layout)?.HealthStatus ?? HealthStatus.UNKNOWN;

    /// <summary>
    /// Whether an agent that never got to work still changed something: HEAD moved, or <c>git status</c>
    /// differs from the entry's. A shell script can do work before a command in it is not found (exit
    /// 127); that work is handed off as usual. Outside a repository nothing can be compared: no trace.
    /// </summary>
    private bool LeftTrace(ProjectLayout layout, EntryReport report, SessionBaseline baseline)
    {
        if (!report.Git.Repository.IsRepository)
        {
            return false;
        }

        var head = _git.Inspect(layout.Root).HeadCommit;
        static string Key(IEnumerable<GitStatusEntry> entries) => string.Join("\n", entries.Select(e => e.ToString()).Order(StringComparer.Ordinal));
        return head != baseline.Head || Key(_git.Status(layout.Root)) != Key(report.Git.Status);
    }

    /// <summary>Undoes <see cref="SessionLifecycle.Begin"/> for a session that never ran: state clean again, the baseline gone.</summary>
    private void Abandon(ProjectLayout layout, SessionBaseline baseline, AgentSessionResult last)
    {
        StateStore.Update(project, s =>
        {
            s.Dirty = false;
            s.Iteration = Math.Max(0, s.Iteration - 1);
            s.LastAction = $"session {baseline.SessionId} never started ({string.Join("; ", last.Errors)})";
        }, _clock.GetUtcNow());
        TryDelete(SessionBaseline.PathFor(layout));

        // A transcript the agent never wrote to would read as a session that printed nothing.
        if (last.TranscriptPath is { } transcript && File.Exists(transcript) && new FileInfo(transcript).Length == 0)
        {
            TryDelete(transcript);
        }
    }

    /// <summary>What the last session's refusals were, for a stop message: the cause of a stall is often there.</summary>
    private static string Hint(LoopSessionResult session) => session.PermissionDenials == 0 ? ""
        : $". The last session had {PermissionDenial.Describe(session.PermissionDenials, session.Denials)}; see docs/agents.md, \"Permissions and the guard\"";

    /// <summary>The stop message of a session whose agent never started: why, and its last stderr lines (sequential and parallel alike).</summary>
    internal static string AgentDidNotStart(LoopSessionResult session) =>
        $"the agent did not start: {session.ResultText}{LastLines(session.StandardErrorTail, " stderr: ")}. No feature was charged.";

    /// <summary>The last few lines of an agent's stderr on one line, after <paramref name="prefix"/>; empty when it printed nothing.</summary>
    internal static string LastLines(string tail, string prefix)
    {
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : prefix + string.Join(" | ", lines.TakeLast(3));
    }

    private async Task<AttemptTotals> RunAgentWithRetriesAsync(
        ProjectLayout layout, ProjectConfig config, LoopLimits limits, LoopOptions options, string prompt, SessionState state, string sessionId, bool isRepository,
        IAgentRunner agent, string? settingsFile, RunState run, CancellationToken cancellationToken)
    {
        using var sessionEnd = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var autosave = isRepository ? AutosaveAsync(layout, sessionId, limits.CheckpointInterval, run, sessionEnd.Token) : Task.CompletedTask;
        var attempts = new AgentAttempts(limits, _clock, run.WallDeadline);
        var progress = new EventRelay(e => run.Emit(new LoopEvent(LoopEventKind.Agent) { Iteration = run.Iteration, State = state, AgentEvent = e, CostSoFar = run.Cost + attempts.Cost }));
        try
        {
            return await attempts.RunAsync(
                agent,
                attemptNumber => AgentRunnerFactory.CreateRequest(config, layout, prompt, state.ToString(), attemptNumber == 1 ? sessionId : $"{sessionId}-{attemptNumber}") with
                {
                    Timeout = limits.SessionTimeout,
                    SettingsFile = settingsFile,
                    Environment = AgentEnvironment(options, sessionId, state),
                    ProcessRecord = project.ChildRecord,
                },
                progress,
                (wait, why, ct) => WaitAsync(wait, run, why, ct),
                (wait, message) => run.Emit(new LoopEvent(LoopEventKind.Retrying) { Iteration = run.Iteration, State = state, Wait = wait, Message = message }),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sessionEnd.Cancel();
            await autosave.ConfigureAwait(false);
        }
    }

    /// <summary>The agent's environment: the caller's variables, then the harness's own, which win.</summary>
    private static Dictionary<string, string?> AgentEnvironment(LoopOptions options, string sessionId, SessionState state)
    {
        var environment = options.AgentEnvironment is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(options.AgentEnvironment, StringComparer.Ordinal);
        environment[HarnessProject.SessionIdVariable] = sessionId;
        environment["HARNESS_SESSION_STATE"] = state.ToString();
        return environment;
    }

    private async Task AutosaveAsync(ProjectLayout layout, string sessionId, TimeSpan interval, RunState run, CancellationToken token)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        var store = new CheckpointStore(project);
        try
        {
            while (true)
            {
                await Task.Delay(interval, _clock, token).ConfigureAwait(false);
                try
                {
                    // Snapshot objects only: the agent's index, HEAD and files are not touched.
                    var saved = store.AutosaveNow(sessionId);
                    run.Emit(new LoopEvent(LoopEventKind.Autosaved) { Iteration = run.Iteration, Message = $"autosaved {saved}" });
                }
                catch (Errors.HarnessException ex)
                {
                    _host.WriteWarning($"autosave failed: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<bool> WaitAsync(TimeSpan wait, RunState run, string why, CancellationToken cancellationToken)
    {
        if (wait <= TimeSpan.Zero)
        {
            return !cancellationToken.IsCancellationRequested;
        }

        run.Emit(new LoopEvent(LoopEventKind.Waiting) { Iteration = run.Iteration, Wait = wait, Message = $"waiting {wait.TotalSeconds:0.#} s ({why})" });
        try
        {
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static (LoopStopReason Reason, string Message)? LimitReached(LoopLimits limits, RunState run, TimeSpan elapsed) =>
        limits.Reached(run.Iteration, run.Cost, run.Tokens, elapsed);

    private static LoopResult Stop(ProjectLayout layout, RunState run, Stopwatch wall, LoopStopReason reason, string message)
    {
        var (result, stopped) = LoopStop.Of(layout, run.Sessions, run.Cost, run.Tokens, wall.Elapsed, reason, message, run.KilledSurvivors);
        run.Emit(stopped with { Iteration = run.Iteration });
        return result;
    }

    internal static IAgentRunner CreateAgent(LoopOptions options, ProjectConfig config) =>
        options.Agent ?? AgentRunnerFactory.Create(options.AgentCommand is { } command ? config.Agent with { Command = command } : config.Agent);

    /// <summary>The exit reason the metrics record: the outcome's one spelling on the wire (<c>timed_out</c>, <c>crashed</c>, ...).</summary>
    internal static string ExitReason(AgentOutcome outcome) => Json.WireText.Of(outcome);

    /// <summary>What makes two failures "the same" for the circuit breaker; null for sessions that did not fail.</summary>
    private static string? FailureSignature(LoopSessionResult session) => session.Outcome switch
    {
        AgentOutcome.Completed or AgentOutcome.MaxTurns or AgentOutcome.BudgetExceeded or AgentOutcome.Cancelled => null,
        _ => session.ExitReason,
    };

    internal static string? DescribeWhatBroke(WhatBroke? whatBroke)
    {
        if (whatBroke is null)
        {
            return null;
        }

        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"Last healthy checkpoint: {whatBroke.LastGood.ShortCommit} ({whatBroke.LastGood.Time:yyyy-MM-dd HH:mm} UTC).\n");
        s.Append(whatBroke.Commits.Count == 0 ? "No commits since then.\n" : "Commits since then:\n");
        foreach (var c in whatBroke.Commits)
        {
            s.Append(CultureInfo.InvariantCulture, $"- {c.ShortHash} {c.Subject}\n");
        }

        s.Append(whatBroke.Files.Count == 0 ? "No files changed since then." : "Files changed since then:\n");
        foreach (var f in whatBroke.Files.Take(50))
        {
            s.Append(CultureInfo.InvariantCulture, $"- {f.Status} {f.Path}\n");
        }

        if (whatBroke.Files.Count > 50)
        {
            s.Append(CultureInfo.InvariantCulture, $"- ... and {whatBroke.Files.Count - 50} more\n");
        }

        return s.ToString().TrimEnd();
    }

    internal static string WriteGuardSettings(string command)
    {
        // A file outside the project: Claude Code reads it with --settings, and it never lands in a checkpoint.
        var path = Path.Combine(Path.GetTempPath(), $"harness-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, HookSettings.SettingsJson(command));
        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Counters of one run: fresh for every RunAsync.</summary>
    private sealed class RunState(Action<LoopEvent>? onEvent)
    {
        private readonly List<LoopSessionResult> _sessions = [];

        public IReadOnlyList<LoopSessionResult> Sessions => _sessions;

        public int Iteration { get; set; }

        /// <summary>When the wall-time budget runs out (the project's clock); null without one.</summary>
        public DateTimeOffset? WallDeadline { get; init; }

        public int StallCount { get; set; }

        public IReadOnlyList<SurvivorProcess> KilledSurvivors { get; init; } = [];

        public decimal Cost { get; private set; }

        public long Tokens { get; private set; }

        public string? LastFailure { get; private set; }

        public int SameFailureCount { get; private set; }

        public void Record(LoopSessionResult session)
        {
            _sessions.Add(session);
            Cost += session.CostUsd;
            Tokens += session.InputTokens + session.OutputTokens;
        }

        /// <returns>How many sessions in a row have now failed with <paramref name="signature"/>.</returns>
        public int CountFailure(string? signature)
        {
            SameFailureCount = signature is not null && signature == LastFailure ? SameFailureCount + 1 : signature is null ? 0 : 1;
            LastFailure = signature;
            return SameFailureCount;
        }

        private int _featuresDone;
        private int _featuresTotal;

        /// <summary>Passes the event on; waits, retries and autosaves carry the last known feature counts and the cost so far, for status lines.</summary>
        public void Emit(LoopEvent e)
        {
            if (e.Kind is LoopEventKind.SessionStarting or LoopEventKind.SessionEnded or LoopEventKind.Stopped)
            {
                (_featuresDone, _featuresTotal) = (e.FeaturesDone, e.FeaturesTotal);
            }
            else if (e.FeaturesTotal == 0)
            {
                e = e with { FeaturesDone = _featuresDone, FeaturesTotal = _featuresTotal, CostSoFar = Math.Max(e.CostSoFar, Cost) };
            }

            onEvent?.Invoke(e);
        }
    }

    /// <summary>Passes agent events straight through (Progress&lt;T&gt; would post them out of order).</summary>
    private sealed class EventRelay(Action<AgentEvent> relay) : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value) => relay(value);
    }
}
