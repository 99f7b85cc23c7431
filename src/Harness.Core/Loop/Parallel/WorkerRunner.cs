using System.Diagnostics;
using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.Project;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// One worker's session in its own worktree: the worktree put on the worker's branch at the main
/// line's tip, the agent run there (retried like the sequential loop's crashes and API errors),
/// whatever it left uncommitted committed on the branch, and the health check run in the worktree.
/// Touches nothing of the main line: merging is <see cref="MainLineMerge"/>'s, one at a time.
/// </summary>
internal sealed class WorkerRunner(ParallelContext context)
{
    private readonly IGitWorktrees _git = context.Git;

    /// <summary>Worktrees this run already reset, clean, to a commit on their branch: the next assignment from that commit needs no reset.</summary>
    private readonly Dictionary<int, string> _readyAt = [];

    /// <summary>Puts the worker's worktree back on its branch at <paramref name="commit"/>, clean, after its session's result.</summary>
    public void Reset(WorkerAssignment assignment, string commit)
    {
        _git.ResetWorktree(assignment.Worktree, assignment.Branch, commit);
        _readyAt[assignment.Worker] = commit;
    }

    /// <summary>Makes the worktree for an assignment (a new one, or the worker's last one reset).</summary>
    public void Prepare(WorkerAssignment assignment)
    {
        if (_readyAt.Remove(assignment.Worker, out var ready) && ready == assignment.BaseCommit)
        {
            return;
        }

        var main = context.Main;
        if (context.Git.ListWorktrees(main.Top).Any(w => SamePath(w.Path, assignment.Worktree) && !w.IsPrunable))
        {
            _git.ResetWorktree(assignment.Worktree, assignment.Branch, assignment.BaseCommit);
        }
        else
        {
            if (Directory.Exists(assignment.Worktree))
            {
                // A folder git no longer knows (a crash between its removal and git's prune): start clean.
                Directory.Delete(assignment.Worktree, recursive: true);
            }

            _git.AddWorktree(main.Top, assignment.Worktree, assignment.Branch, assignment.BaseCommit);
        }
    }

    /// <summary>Runs the agent on the assignment, commits its work, checks health in the worktree.</summary>
    public async Task<WorkerSession> RunAsync(WorkerAssignment assignment, string prompt, Action<LoopEvent> emit, CancellationToken cancellationToken)
    {
        var started = context.Project.Clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        var attempt = await RunAgentAsync(assignment, prompt, emit, cancellationToken).ConfigureAwait(false);
        var last = attempt.Last;
        var session = new WorkerSession
        {
            Assignment = assignment,
            Attempts = attempt,
            StartedAt = started,
            Duration = watch.Elapsed,
        };
        if (last.Outcome == AgentOutcome.Cancelled || cancellationToken.IsCancellationRequested)
        {
            return session;
        }

        // The agent may leave work uncommitted; the branch must hold all of it to be merged or kept.
        string? work = null;
        string? status;
        try
        {
            work = _git.CommitAll(assignment.Worktree, $"harness: worker {assignment.Worker}'s uncommitted work on {assignment.Feature.Id} (session {assignment.SessionId})");
            status = FeatureStore.Load(assignment.Layout)?.Features.FirstOrDefault(f => f.Id == assignment.Feature.Id)?.Status;
        }
        catch (Errors.HarnessException ex)
        {
            // A list the agent broke, a git that failed in the worktree: this session's result, not the run's end.
            return session with { Work = work, Failure = ex.Message, Duration = watch.Elapsed };
        }

        var done = FeatureStatuses.IsDone(status);
        HealthCheckResult? health = null;
        if (done && context.Options.RunHealthCheck)
        {
            emit(new LoopEvent(LoopEventKind.WorkerStep) { Worker = assignment.Worker, FeatureId = assignment.Feature.Id, Iteration = assignment.Iteration, Message = $"worker {assignment.Worker}: {assignment.Feature.Id} checking health in its worktree" });
            health = await CheckAsync(assignment.Layout, cancellationToken).ConfigureAwait(false);
        }

        return session with { Work = work, DoneStatus = done ? status : null, Health = health, Duration = watch.Elapsed };
    }

    /// <summary>The health check on the project as it is in a worktree, with the main project's configuration.</summary>
    public Task<HealthCheckResult> CheckAsync(ProjectLayout layout, CancellationToken cancellationToken) =>
        HealthRunner.RunHealthCheckAsync(layout, context.Project.Config, ProjectDetector.Detect(layout.Root), cancellationToken);

    private Task<AttemptTotals> RunAgentAsync(WorkerAssignment assignment, string prompt, Action<LoopEvent> emit, CancellationToken cancellationToken)
    {
        var limits = context.Limits;
        var clock = context.Project.Clock;
        var progress = new Relay(e => emit(new LoopEvent(LoopEventKind.Agent) { Worker = assignment.Worker, Iteration = assignment.Iteration, FeatureId = assignment.Feature.Id, AgentEvent = e }));
        return new AgentAttempts(limits, clock, context.WallDeadline).RunAsync(
            context.Agent,
            // Transcripts go to the main project's folder: the worktree's would be swept into the worker's commits.
            attemptNumber => AgentRunnerFactory.CreateRequest(context.Project.Config, context.Project.Layout, prompt, nameof(State.SessionState.IMPLEMENT),
                attemptNumber == 1 ? assignment.SessionId : $"{assignment.SessionId}-{attemptNumber}") with
            {
                WorkingDirectory = assignment.Layout.Root,
                Timeout = limits.SessionTimeout,
                SettingsFile = context.GuardSettingsFile,
                Environment = Environment(assignment),
                ProcessRecord = context.Project.ChildRecord,
            },
            progress,
            async (wait, why, ct) =>
            {
                if (wait > TimeSpan.Zero)
                {
                    emit(new LoopEvent(LoopEventKind.Waiting) { Worker = assignment.Worker, Iteration = assignment.Iteration, FeatureId = assignment.Feature.Id, Wait = wait, Message = $"worker {assignment.Worker}: waiting {wait.TotalSeconds:0.#} s ({why})" });
                }

                try
                {
                    await Task.Delay(wait, clock, ct).ConfigureAwait(false);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            },
            (wait, message) => emit(new LoopEvent(LoopEventKind.Retrying) { Worker = assignment.Worker, Iteration = assignment.Iteration, FeatureId = assignment.Feature.Id, Wait = wait, Message = $"worker {assignment.Worker}: {message}" }),
            cancellationToken);
    }

    /// <summary>The caller's variables, then the harness's own (which win): the session id lets crash recovery find the agent's processes.</summary>
    private Dictionary<string, string?> Environment(WorkerAssignment assignment)
    {
        var environment = context.Options.AgentEnvironment is { } own ? new Dictionary<string, string?>(own, StringComparer.Ordinal) : new Dictionary<string, string?>(StringComparer.Ordinal);
        environment[HarnessProject.SessionIdVariable] = assignment.SessionId;
        environment["HARNESS_SESSION_STATE"] = nameof(State.SessionState.IMPLEMENT);
        environment[WorkerNames.WorkerVariable] = assignment.Worker.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment[WorkerNames.FeatureVariable] = assignment.Feature.Id;
        return environment;
    }

    internal static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Passes agent events straight through (Progress&lt;T&gt; would post them out of order).</summary>
    private sealed class Relay(Action<AgentEvent> relay) : IProgress<AgentEvent>
    {
        public void Report(AgentEvent value) => relay(value);
    }
}
