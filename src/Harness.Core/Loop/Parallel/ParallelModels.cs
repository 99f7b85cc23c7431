using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Health;
using Harness.Core.Project;

namespace Harness.Core.Loop.Parallel;

/// <summary>How a finished, healthy worker's branch joins the main line (project.json <c>loop.merge</c>).</summary>
internal enum MergeMode
{
    /// <summary>A merge commit on the main line whose second parent is the worker's branch: each feature one merge.</summary>
    MergeCommit,

    /// <summary>The worker's commits are replayed onto the main line, which then fast-forwards to them: a linear history.</summary>
    FastForward,
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

    /// <summary>The 1-based number of the session in the run, in start order.</summary>
    public required int Iteration { get; init; }

    /// <summary>The project inside the worker's worktree: where the agent and the health check run.</summary>
    public required ProjectLayout Layout { get; init; }

    /// <summary>The worktree's top folder.</summary>
    public required string Worktree { get; init; }

    /// <summary>The worker's branch, <c>harness/worker-N</c>.</summary>
    public required string Branch { get; init; }

    /// <summary>The main line's commit the worktree started from.</summary>
    public required string BaseCommit { get; init; }
}

/// <summary>What became of a worker's session.</summary>
internal enum WorkerVerdict
{
    /// <summary>Merged into the main line; the feature is done there.</summary>
    Merged,

    /// <summary>The session ended without its feature done in the worker's list (or the agent failed).</summary>
    NotFinished,

    /// <summary>The health check failed in the worker's own tree.</summary>
    Unhealthy,

    /// <summary>The worker's changes conflict with the main line's.</summary>
    Conflict,

    /// <summary>The merged result failed the health check.</summary>
    RecheckFailed,

    /// <summary>The merge was made but the main line could not take it (local changes in the way in the project folder).</summary>
    NotAdvanced,

    /// <summary>The run stopped while the worker was busy.</summary>
    Cancelled,

    /// <summary>Something failed in the worktree or in git while the worker's result was taken; the reason says what.</summary>
    Failed,
}

/// <summary>How a worker's session went in its own worktree, before any merge.</summary>
internal sealed record WorkerSession
{
    public required WorkerAssignment Assignment { get; init; }

    /// <summary>The session's agent runs summed (the sequential loop's <see cref="AttemptTotals"/>).</summary>
    public required AttemptTotals Attempts { get; init; }

    public AgentSessionResult Agent => Attempts.Last;

    public int Retries => Attempts.Retries;

    public decimal Cost => Attempts.Cost;

    public long InputTokens => Attempts.InputTokens;

    public long OutputTokens => Attempts.OutputTokens;

    /// <summary>Why the worker gave up waiting out an outage (the API's failure, never the feature's); null otherwise.</summary>
    public string? Outage => Attempts.Outage;

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    /// <summary>The worker branch's tip after the session, uncommitted changes committed; null when cancelled before.</summary>
    public string? Work { get; init; }

    /// <summary>The feature's done status in the worker's copy of the list (<c>completed</c>, <c>tested</c>); null when it is not done there.</summary>
    public string? DoneStatus { get; init; }

    public bool FeatureDone => DoneStatus is not null;

    /// <summary>The check in the worker's tree; null when none ran.</summary>
    public HealthCheckResult? Health { get; init; }

    /// <summary>What failed in the worktree after the agent (its feature list unreadable, git failing); null when nothing did.</summary>
    public string? Failure { get; init; }
}

/// <summary>What a worker's session came to, merged or not.</summary>
internal sealed record WorkerResult
{
    public required WorkerSession Session { get; init; }

    public required WorkerVerdict Verdict { get; init; }

    /// <summary>One sentence for people, for the feature's notes and so for its next prompt.</summary>
    public required string Reason { get; init; }

    public string? MergedCommit { get; init; }

    public IReadOnlyList<string> ConflictedPaths { get; init; } = [];

    /// <summary>Where the unmerged work is kept (<c>refs/harness/work/&lt;feature&gt;</c>); null when merged or when there was none.</summary>
    public string? WorkRef { get; init; }

    public bool Merged => Verdict == WorkerVerdict.Merged;
}
