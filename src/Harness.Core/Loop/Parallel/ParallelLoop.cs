using Harness.Core.Project;
using System.Diagnostics;
using System.Globalization;
using Harness.Core.Agents;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Guard;
using Harness.Core.Metrics;
using Harness.Core.Prompts;
using Harness.Core.State;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// The loop with up to N sessions at once (docs/loop.md, "Parallel sessions"): each worker takes a
/// pending feature, works on it in its own linked worktree on its own branch, and a finished,
/// healthy worker's branch is merged into the main line and re-checked before the feature counts as
/// done (<see cref="MainLineMerge"/>, one worker at a time, on this thread). A feature that
/// conflicts or fails a check goes back with the reason, and its next attempt starts from the main
/// line as it is then. One lock, one budget, one metrics file, one stall and failure count for all
/// workers. Every worktree and branch is removed when the run ends, however it ends; a run killed
/// outright is cleaned up by the next one (<see cref="ParallelRecovery"/>).
/// </summary>
internal sealed class ParallelLoop(HarnessProject project)
{
    public async Task<LoopResult> RunAsync(LoopOptions options, int workers, Action<LoopEvent>? onEvent, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var layout = project.Layout;
        await project.EnsureLockedAsync("parallel loop", cancellationToken).ConfigureAwait(false);
        var config = project.Config;
        var run = new ParallelRun(onEvent) { KilledSurvivors = project.TakeKilledSurvivors() };
        if (run.KilledSurvivors.Count > 0)
        {
            run.Emit(new LoopEvent(LoopEventKind.SurvivorsKilled) { Message = Entry.SurvivorProcess.Describe(run.KilledSurvivors) });
        }

        var agent = AutonomousLoop.CreateAgent(options, config);
        var hookCommand = options.UseGuardHooks && agent is ClaudeCodeAgent ? HookSettings.ResolveCommand(options.GuardCommand) : null;
        if (await LoopPreflight.CheckAsync(layout, config, options, agent, hookCommand, project.Host, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            return Stop(run, wall, refusal.Reason, refusal.Message);
        }

        var git = new GitCli();
        var main = MainLine.Open(layout, git);
        foreach (var line in ParallelRecovery.Run(project, git, main))
        {
            project.Host.WriteWarning(line);
            run.Emit(new LoopEvent(LoopEventKind.WorkerStep) { Message = line });
        }

        main.RequireCleanStart(layout, git);

        // One entry for the whole run: it recovers an earlier crashed session and says whether there is feature work to share out.
        var entry = await new SessionEntry(project).RunAsync(new EntryOptions { RunHealthCheck = options.RunHealthCheck, CrashPolicy = options.OnCrash }, cancellationToken).ConfigureAwait(false);
        if (entry.NextState == SessionState.COMPLETE)
        {
            return Stop(run, wall, LoopStopReason.Complete, entry.NextStateReason);
        }

        if (entry.NextState != SessionState.IMPLEMENT)
        {
            return Stop(run, wall, LoopStopReason.Stalled,
                $"the project needs a {entry.NextState} session first ({entry.NextStateReason}); parallel sessions only implement pending features. Run the loop without parallel sessions until it reaches IMPLEMENT, then again with them");
        }

        var settingsFile = hookCommand is null ? null : AutonomousLoop.WriteGuardSettings(hookCommand);
        var limits = LoopLimits.From(options, config.Loop);
        var context = new ParallelContext
        {
            Project = project,
            Git = git,
            Main = main,
            Options = options,
            Limits = limits,
            WallDeadline = project.Clock.GetUtcNow() + limits.MaxWallTime,
            Agent = agent,
            Merge = config.Loop.Merge == LoopSettings.FastForwardMerge ? MergeMode.FastForward : MergeMode.MergeCommit,
            GuardSettingsFile = settingsFile,
        };
        try
        {
            new MainLineMerge(context, new WorkerRunner(context)).CommitProgressIgnore();
            return await ScheduleAsync(context, workers, entry, run, wall, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var line in ParallelRecovery.RemoveAll(project, git, main, keepWork: true))
            {
                project.Host.WriteWarning(line);
            }

            new MainLineMerge(context, new WorkerRunner(context)).CommitList();
            if (settingsFile is not null)
            {
                File.Delete(settingsFile);
            }
        }
    }

    private async Task<LoopResult> ScheduleAsync(ParallelContext context, int workers, EntryReport entry, ParallelRun run, Stopwatch wall, CancellationToken cancellationToken)
    {
        var layout = project.Layout;
        var limits = context.Limits;
        var runner = new WorkerRunner(context);
        var merger = new MainLineMerge(context, runner);
        var free = new SortedSet<int>(Enumerable.Range(1, workers));
        var running = new Dictionary<Task<WorkerSession>, WorkerAssignment>();
        var lastReasons = new Dictionary<string, string>(StringComparer.Ordinal);
        (LoopStopReason Reason, string Message)? stop = null;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                stop ??= (LoopStopReason.Cancelled, "cancelled; every worker was stopped and its worktree removed");
            }

            while (stop is null && free.Count > 0)
            {
                if (LimitReached(limits, run, wall.Elapsed) is { } limit)
                {
                    stop = limit;
                    break;
                }

                if (NextFeature(context, running.Values, run) is not { } feature)
                {
                    break;
                }

                var worker = free.Min;
                free.Remove(worker);
                var assignment = Assign(context, worker, feature, ++run.Iteration);
                var counts = FeatureStore.LoadSummary(layout)?.Counts;
                run.Emit(new LoopEvent(LoopEventKind.SessionStarting)
                {
                    FeaturesDone = counts?.Done ?? 0,
                    FeaturesTotal = counts?.Total ?? 0,
                    Worker = worker,
                    Iteration = assignment.Iteration,
                    State = SessionState.IMPLEMENT,
                    FeatureId = feature.Id,
                    Message = $"worker {worker}: session {assignment.Iteration}, {feature.Id} ({feature.Name})",
                });
                WriteRecord(merger.Record(assignment, WorkerPhases.Preparing));
                runner.Prepare(assignment);
                WriteRecord(merger.Record(assignment, WorkerPhases.Session));
                var prompt = ParallelPrompt.Build(context, entry, assignment, lastReasons.GetValueOrDefault(feature.Id));
                running.Add(Task.Run(() => runner.RunAsync(assignment, prompt, run.Emit, cancellationToken)), assignment);
            }

            if (running.Count == 0)
            {
                break;
            }

            var finished = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var done = running[finished];
            running.Remove(finished);
            free.Add(done.Worker);
            var session = await finished.ConfigureAwait(false);
            var result = cancellationToken.IsCancellationRequested
                ? new WorkerResult { Session = session, Verdict = WorkerVerdict.Cancelled, Reason = "the run was cancelled during the session" }
                : await merger.MergeAsync(session, run.Emit).ConfigureAwait(false);
            var ended = Settle(context, result, lastReasons, run);
            if (result.Verdict != WorkerVerdict.Cancelled)
            {
                // Its work is on the main line or kept under its work ref: the branch goes back to the main line, so nothing is kept twice.
                runner.Reset(done, context.Git.ResolveCommit(context.Main.Top, context.Main.Branch)!);
                WriteRecord(merger.Record(done, WorkerPhases.Idle) with { Feature = null, SessionId = null });
            }
            if (stop is null && ended is not null)
            {
                stop = ended;
            }
        }

        return Stop(run, wall, stop?.Reason ?? LoopStopReason.Complete, stop?.Message ?? CompleteMessage(layout));
    }

    /// <summary>After a worker's result: the feature back with its reason (work kept), metrics, counts; a stop when stall or the breaker trips.</summary>
    private (LoopStopReason, string)? Settle(ParallelContext context, WorkerResult result, Dictionary<string, string> lastReasons, ParallelRun run)
    {
        var session = result.Session;
        var assignment = session.Assignment;
        var id = assignment.Feature.Id;
        string? blocked = null;
        string? workRef = null;
        if (!result.Merged && session.Work is { } work && work != assignment.BaseCommit)
        {
            workRef = WorkerNames.WorkRef(id);
            context.Git.UpdateRef(context.Main.Top, workRef, work, null, $"harness: worker {assignment.Worker}'s unmerged work on {id}");
        }

        var reason = result.Reason + (workRef is null ? "" : $"; its work is kept at {workRef}");
        // An outage the worker gave up on is the API's failure, not the feature's: no attempt is charged.
        if (!result.Merged && result.Verdict != WorkerVerdict.Cancelled && session.Agent.Outcome != AgentOutcome.StartFailed && session.Outage is null)
        {
            lastReasons[id] = reason;
            var updated = FeatureStore.RecordFailedAttempt(project, id, assignment.Feature.Attempts, context.Limits.FeatureAttempts,
                $"Parallel session {assignment.SessionId} (worker {assignment.Worker}) was not merged: {reason}.");
            if (updated.Status == FeatureStatuses.Blocked)
            {
                blocked = id;
                run.Emit(new LoopEvent(LoopEventKind.FeatureBlocked) { Worker = assignment.Worker, FeatureId = id, Iteration = assignment.Iteration, Message = $"{id} blocked after {updated.Attempts} attempts" });
            }
        }

        var counts = FeatureStore.LoadSummary(project.Layout)?.Counts;
        var exitReason = AutonomousLoop.ExitReason(session.Agent.Outcome);
        var failed = session.Agent.Outcome is not (AgentOutcome.Completed or AgentOutcome.MaxTurns or AgentOutcome.BudgetExceeded);
        MetricsStore.Append(project, new SessionMetrics
        {
            SessionId = assignment.SessionId,
            StartedAt = session.StartedAt,
            EndedAt = session.StartedAt + session.Duration,
            HealthStatus = (session.Health?.Status ?? HealthStatus.UNKNOWN).ToString(),
            StatesVisited = [nameof(SessionState.IMPLEMENT)],
            Retries = session.Retries,
            InputTokens = session.InputTokens,
            OutputTokens = session.OutputTokens,
            CostUsd = (double)session.Cost,
            CostEstimated = session.Attempts.CostEstimated,
            Turns = session.Attempts.Turns,
            ExitReason = exitReason,
            Succeeded = !failed,
            FeaturesCompleted = result.Merged ? 1 : 0,
            PermissionDenials = session.Agent.PermissionDenials,
            Denials = session.Agent.Denials,
            StderrTail = session.Agent.StandardErrorTail.Length == 0 ? null : session.Agent.StandardErrorTail,
            Checkpoint = result.MergedCommit,
        });
        var sessionResult = session.Attempts.ToSessionResult(assignment.SessionId, session.Duration) with
        {
            Iteration = assignment.Iteration,
            State = SessionState.IMPLEMENT,
            FeatureId = id,
            FeaturesDoneAfter = counts?.Done ?? 0,
            FeaturesTotal = counts?.Total ?? 0,
            Advanced = result.Merged,
            HealthAfter = session.Health?.Status ?? HealthStatus.UNKNOWN,
            BlockedFeature = blocked,
            CheckpointCommit = result.MergedCommit,
        };
        run.Record(sessionResult);
        run.Emit(new LoopEvent(LoopEventKind.SessionEnded)
        {
            Worker = assignment.Worker,
            Iteration = assignment.Iteration,
            State = SessionState.IMPLEMENT,
            FeatureId = id,
            FeaturesDone = sessionResult.FeaturesDoneAfter,
            FeaturesTotal = sessionResult.FeaturesTotal,
            CostSoFar = run.Cost,
            Session = sessionResult,
            Message = $"worker {assignment.Worker}: session {assignment.Iteration} ({id}) ended: {exitReason}; {(result.Merged ? result.Reason : "not merged: " + reason)}",
        });

        if (result.Verdict == WorkerVerdict.Cancelled)
        {
            return null;
        }

        if (session.Agent.Outcome == AgentOutcome.StartFailed)
        {
            return (LoopStopReason.AgentUnavailable, AutonomousLoop.AgentDidNotStart(sessionResult));
        }

        if (session.Outage is { } outage)
        {
            return (LoopStopReason.Outage, $"worker {assignment.Worker} gave up waiting in session {assignment.Iteration}: {outage}");
        }

        // Only a merged feature is progress: blocking one is not (docs/loop.md, stall counting).
        run.StallCount = result.Merged ? 0 : run.StallCount + 1;
        if (run.StallCount >= context.Limits.StallLimit)
        {
            return (LoopStopReason.Stalled, $"no feature was merged in {run.StallCount} consecutive sessions (stall_limit {context.Limits.StallLimit}); the last: {reason}");
        }

        var signature = failed ? exitReason : null;
        run.SameFailureCount = signature is not null && signature == run.LastFailure ? run.SameFailureCount + 1 : signature is null ? 0 : 1;
        run.LastFailure = signature;
        return run.SameFailureCount >= context.Limits.CircuitBreaker
            ? (LoopStopReason.CircuitBreaker, $"the last {run.SameFailureCount} sessions failed the same way ({signature}; circuit_breaker {context.Limits.CircuitBreaker})")
            : null;
    }

    /// <summary>The next remaining feature no worker has (in progress first, then pending, in list order); one at its attempt limit is blocked on the way.</summary>
    private Feature? NextFeature(ParallelContext context, IEnumerable<WorkerAssignment> busy, ParallelRun run)
    {
        var taken = busy.Select(a => a.Feature.Id).ToHashSet(StringComparer.Ordinal);
        var list = FeatureStore.Load(project.Layout);
        foreach (var feature in (list?.Features ?? []).Where(f => FeatureStatuses.IsRemaining(f.Status) && !taken.Contains(f.Id))
                     .OrderBy(f => f.Status == FeatureStatuses.InProgress ? 0 : 1).ThenBy(f => f.Index))
        {
            if (feature.Attempts < context.Limits.FeatureAttempts)
            {
                return feature;
            }

            FeatureStore.SetStatus(project, [feature.Id], FeatureStatuses.Blocked,
                $"{feature.Notes}\nBlocked by the harness: {feature.Attempts} attempts reached the limit of {context.Limits.FeatureAttempts}; set it back to pending to try again.".Trim());
            run.Emit(new LoopEvent(LoopEventKind.FeatureBlocked) { FeatureId = feature.Id, Message = $"{feature.Id} blocked after {feature.Attempts} attempts" });
        }

        return null;
    }

    private WorkerAssignment Assign(ParallelContext context, int worker, Feature feature, int iteration)
    {
        var worktree = WorkerNames.Worktree(project.Layout, worker);
        var at = project.Clock.GetUtcNow();
        return new WorkerAssignment
        {
            Worker = worker,
            Feature = feature,
            SessionId = $"{Json.Timestamps.StampSeconds(at)}-{Guid.NewGuid().ToString("N")[..6]}-w{worker.ToString(CultureInfo.InvariantCulture)}",
            Iteration = iteration,
            Layout = context.Main.WorkerLayout(worktree),
            Worktree = worktree,
            Branch = WorkerNames.Branch(worker),
            BaseCommit = context.Git.ResolveCommit(context.Main.Top, context.Main.Branch)!,
        };
    }

    private void WriteRecord(WorkerRecord record) => WorkerRecords.Save(project.Layout, record);

    private static (LoopStopReason, string)? LimitReached(LoopLimits limits, ParallelRun run, TimeSpan elapsed) =>
        limits.Reached(run.Iteration, run.Cost, run.Tokens, elapsed);

    private static string CompleteMessage(Project.ProjectLayout layout) =>
        FeatureStore.LoadSummary(layout)?.Counts is { } c
            ? $"no feature left to assign: {c.Done} of {c.Total} done, {c.Blocked} blocked"
            : "no feature list";

    private LoopResult Stop(ParallelRun run, Stopwatch wall, LoopStopReason reason, string message)
    {
        var (result, stopped) = LoopStop.Of(project.Layout, run.Sessions, run.Cost, run.Tokens, wall.Elapsed, reason, message, run.KilledSurvivors);
        run.Emit(stopped);
        return result;
    }

    /// <summary>Counters of one run, shared by all workers; events from worker threads pass one at a time.</summary>
    private sealed class ParallelRun(Action<LoopEvent>? onEvent)
    {
        private readonly List<LoopSessionResult> _sessions = [];
        private readonly object _gate = new();
        private int _done;
        private int _total;

        public IReadOnlyList<LoopSessionResult> Sessions => _sessions;

        public int Iteration { get; set; }

        /// <summary>Processes a killed harness left running, killed when the lock was taken.</summary>
        public IReadOnlyList<Entry.SurvivorProcess> KilledSurvivors { get; init; } = [];

        public int StallCount { get; set; }

        public decimal Cost { get; private set; }

        public long Tokens { get; private set; }

        public string? LastFailure { get; set; }

        public int SameFailureCount { get; set; }

        public void Record(LoopSessionResult session)
        {
            _sessions.Add(session);
            Cost += session.CostUsd;
            Tokens += session.InputTokens + session.OutputTokens;
        }

        public void Emit(LoopEvent e)
        {
            lock (_gate)
            {
                if (e.FeaturesTotal > 0)
                {
                    (_done, _total) = (e.FeaturesDone, e.FeaturesTotal);
                }
                else
                {
                    e = e with { FeaturesDone = _done, FeaturesTotal = _total, CostSoFar = Math.Max(e.CostSoFar, Cost) };
                }

                onEvent?.Invoke(e);
            }
        }
    }
}
