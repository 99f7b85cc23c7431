using Harness.Core.Features;
using Harness.Core.Health;
using Harness.Core.Project;

namespace Harness.Core.Loop.Parallel;

/// <summary>How a finished, healthy worker's branch joins the main line (project.json <c>loop.merge</c>).</summary>
internal enum MergeMode
{
    /// <summary>A merge commit on the main line whose second parent is the worker's branch: each feature one merge.</summary>
    MergeCommit,

    /// <summary>The main line fast-forwards to the worker's commits, replayed onto it first when it moved meanwhile: a linear history.</summary>
    FastForward,
}

/// <summary>How many workers, and how their work joins the main line.</summary>
internal sealed record ParallelSettings
{
    public required int Workers { get; init; }

    public MergeMode Merge { get; init; } = MergeMode.MergeCommit;

    /// <summary>Run the health check in the worker's tree after its session and on the merged result.</summary>
    public bool RunHealthCheck { get; init; } = true;
}

/// <summary>One session's work: a feature, given to a worker in its own worktree on its own branch.</summary>
internal sealed record WorkerAssignment
{
    /// <summary>1 to N.</summary>
    public required int Worker { get; init; }

    /// <summary>The feature as the main line's list had it when it was assigned.</summary>
    public required Feature Feature { get; init; }

    /// <summary>Unique among all sessions of all workers; the agent's <c>HARNESS_SESSION_ID</c>.</summary>
    public required string SessionId { get; init; }

    /// <summary>The project inside the worker's worktree: where the agent and the health check run.</summary>
    public required ProjectLayout Layout { get; init; }

    /// <summary>The worktree's top folder.</summary>
    public required string Worktree { get; init; }

    /// <summary>The worker's branch, <c>harness/worker-N</c>.</summary>
    public required string Branch { get; init; }

    /// <summary>The main line's commit the worktree started from.</summary>
    public required string BaseCommit { get; init; }

    /// <summary>Why the feature's last attempt was sent back and where its work is kept; null on a first attempt. For the prompt.</summary>
    public string? PreviousAttempt { get; init; }

    /// <summary>What the agent must get in its environment: the session id (so crash recovery can find its processes), the worker and the feature.</summary>
    public required IReadOnlyDictionary<string, string?> Environment { get; init; }
}

/// <summary>How the host's session ended, as far as the engine cares.</summary>
/// <param name="Cancelled">The run is being stopped; nothing of the session is merged.</param>
/// <param name="Failure">The session failed (crash, timeout, ...): one sentence; its work is not merged even if the list says done.</param>
internal sealed record WorkerSessionEnd(bool Cancelled = false, string? Failure = null);

/// <summary>What became of a worker's session.</summary>
internal enum WorkerVerdict
{
    /// <summary>Merged into the main line; the feature is done there.</summary>
    Merged,

    /// <summary>The session ended without its feature done (or failed).</summary>
    NotFinished,

    /// <summary>The health check failed in the worker's own tree.</summary>
    Unhealthy,

    /// <summary>The worker's changes conflict with the main line's.</summary>
    Conflict,

    /// <summary>The merged result failed the health check.</summary>
    RecheckFailed,

    /// <summary>The merge was made but the main line could not take it (files in the way in the project folder, the branch moved).</summary>
    NotAdvanced,

    /// <summary>The run stopped while the worker was busy.</summary>
    Cancelled,

    /// <summary>git or a file failed under the worker; the reason says what.</summary>
    Failed,
}

/// <summary>What a worker did with its assignment.</summary>
internal sealed record WorkerResult
{
    public required WorkerAssignment Assignment { get; init; }

    public required WorkerVerdict Verdict { get; init; }

    /// <summary>One sentence for people and for the feature's next prompt.</summary>
    public required string Reason { get; init; }

    public string? MergedCommit { get; init; }

    public IReadOnlyList<string> ConflictedPaths { get; init; } = [];

    /// <summary>The check that decided (the worker's own, or the re-check of the merged result); null when none ran.</summary>
    public HealthCheckResult? Health { get; init; }

    /// <summary>Where the unmerged work is kept (<c>refs/harness/work/&lt;feature&gt;</c>); null when merged or when there was none.</summary>
    public string? WorkRef { get; init; }

    /// <summary>Status changes the agent made to other features in its copy of the list; never merged.</summary>
    public IReadOnlyList<string> IgnoredListChanges { get; init; } = [];

    public bool Merged => Verdict == WorkerVerdict.Merged;
}

/// <summary>Kinds of <see cref="ParallelEvent"/>.</summary>
internal enum ParallelEventKind
{
    WorkerStarted,
    WorkerChecking,
    WorkerMerging,
    WorkerFinished,
    Recovered,
}

/// <summary>Progress of the engine, for status lines: which worker, which feature, what now.</summary>
internal sealed record ParallelEvent(ParallelEventKind Kind, int Worker, string? FeatureId, string Message);

/// <summary>
/// What the engine asks of whoever runs it (the loop; tests): whether to start another session,
/// whether a feature may be taken, the session itself, and what to do with each result. Every
/// call but <see cref="RunSessionAsync"/> comes one at a time while the engine holds the main
/// line, so the host may write the feature list in them.
/// </summary>
internal interface IWorkerHost
{
    /// <summary>False stops new sessions (a budget, a limit); running ones finish and merge.</summary>
    bool MayStart();

    /// <summary>False skips the feature (the host blocked it, say after too many attempts); the engine looks for another.</summary>
    bool Accept(Feature feature);

    /// <summary>Runs the agent on the assignment in its worktree. Cancellation: end at once.</summary>
    Task<WorkerSessionEnd> RunSessionAsync(WorkerAssignment assignment, CancellationToken cancellationToken);

    /// <summary>A worker is done with its assignment, merged or not.</summary>
    void Finished(WorkerResult result);

    void Report(ParallelEvent e);
}

/// <summary>Why a parallel run returned.</summary>
internal enum ParallelStop
{
    /// <summary>No feature is left to assign and no worker is busy.</summary>
    NothingLeft,

    /// <summary>The host stopped new sessions and the running ones ended.</summary>
    HostStopped,

    Cancelled,
}

/// <summary>The whole parallel run.</summary>
internal sealed record ParallelRunResult(ParallelStop Stop, IReadOnlyList<WorkerResult> Results, IReadOnlyList<string> Recovered);
