using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.State;
using Harness.Core.Summaries;

namespace Harness.Core.Project;

/// <summary>
/// What a front may do with an open project: one method per capability of DESIGN.md's table, each
/// a thin door to the Core component that does it. Writes take the project lock first and check
/// what they will write before they change anything.
/// </summary>
public sealed partial class HarnessProject
{
    /// <summary>The session entry protocol: safety, state, context (<c>harness entry</c>, Invoke-SessionEntry, HarnessEntry).</summary>
    public Task<EntryReport> EnterAsync(EntryOptions options, CancellationToken cancellationToken = default) =>
        new SessionEntry(this).RunAsync(options, cancellationToken);

    /// <summary>state.json as it is, or null when the project has none yet.</summary>
    public HarnessState? ReadState() => StateStore.Load(Layout);

    /// <summary>The feature list, or null when the project has none.</summary>
    public FeatureList? ReadFeatures() => FeatureStore.Load(Layout);

    /// <summary>Counts, next feature and problems, without a record per feature (fast on lists of thousands).</summary>
    public FeatureSummary? ReadFeatureSummary() => FeatureStore.LoadSummary(Layout);

    /// <summary>Features filtered by status and id; the list's problems go to the host as warnings.</summary>
    public FeatureQueryResult FindFeatures(IReadOnlyCollection<string>? statuses = null, IReadOnlyCollection<string>? ids = null) =>
        FeatureQuery.Find(Layout, statuses, ids, Host);

    /// <summary>Sets the status (and optionally the notes) of every feature in <paramref name="ids"/> in one write; nothing is written when one id is unknown.</summary>
    /// <remarks>
    /// Takes the project lock, so a person's change cannot land under a running loop (whose
    /// integrity check would undo it): it waits for a short holder and is refused by a loop. The
    /// loop's own agent, inside its session (<see cref="IsInsideRunningSession"/>), writes under
    /// the feature list's short lock alone.
    /// </remarks>
    public async Task<IReadOnlyList<Feature>> SetFeatureStatusAsync(IReadOnlyList<string> ids, string status, string? notes = null, CancellationToken cancellationToken = default)
    {
        if (IsInsideRunningSession())
        {
            Host.WriteVerbose($"Inside the running session {Environment.GetEnvironmentVariable(SessionIdVariable)}: the loop holds the project lock; writing under the feature list's lock.");
            return FeatureStore.SetStatus(Layout, ids, status, notes);
        }

        await EnsureLockedAsync("features set", cancellationToken).ConfigureAwait(false);
        return FeatureStore.SetStatus(this, ids, status, notes);
    }

    /// <summary>Commits the whole work tree as a checkpoint (or records HEAD when nothing changed).</summary>
    public async Task<Checkpoint> SaveCheckpointAsync(CheckpointOptions? options = null, CancellationToken cancellationToken = default)
    {
        await EnsureLockedAsync("checkpoint save", cancellationToken).ConfigureAwait(false);
        return new CheckpointStore(this).Save(options);
    }

    /// <summary>Checkpoints, newest first; the last good one is marked.</summary>
    public IReadOnlyList<Checkpoint> ListCheckpoints() => new CheckpointStore(this).List();

    /// <summary>A checkpoint by name, unique name prefix or commit prefix; null: the last good one.</summary>
    public Checkpoint FindCheckpoint(string? name) => new CheckpointStore(this).Find(name);

    /// <summary>Restores a checkpoint after backing everything up; a dry run only plans.</summary>
    public async Task<RestoreResult> RestoreCheckpointAsync(RestoreOptions options, CancellationToken cancellationToken = default)
    {
        if (!options.DryRun)
        {
            await EnsureLockedAsync("checkpoint restore", cancellationToken).ConfigureAwait(false);
        }

        return new CheckpointStore(this).Restore(options);
    }

    /// <summary>The session summary built from facts, not written.</summary>
    public SessionSummary BuildSummary(SessionOutcome outcome) => new SessionSummaryBuilder(Git, Clock).Build(Layout, outcome);

    /// <summary>Builds the session summary and writes it to <c>.claude/progress/sessions/</c>.</summary>
    public async Task<SessionSummary> WriteSummaryAsync(SessionOutcome outcome, CancellationToken cancellationToken = default)
    {
        await EnsureLockedAsync("session summary", cancellationToken).ConfigureAwait(false);
        return SessionSummaryBuilder.Write(Layout, BuildSummary(outcome));
    }

    /// <summary>Ends a session: summary, state clean, checkpoint, metrics line, cleanup. A second handoff of the same session changes nothing.</summary>
    public async Task<HandoffResult> HandOffAsync(SessionOutcome outcome, CancellationToken cancellationToken = default)
    {
        await EnsureLockedAsync("session handoff", cancellationToken).ConfigureAwait(false);
        return new Handoff(this).Run(outcome);
    }

    /// <summary>metrics.jsonl, aggregated (the lines are in the result).</summary>
    public MetricsAggregate ReadMetrics() => MetricsStore.Aggregate(Layout);

    /// <summary>
    /// Sets the project up: <c>.claude/config/project.json</c>, <c>.claude/progress/</c>, optionally
    /// the guard hooks and a feature list imported from another format (<paramref name="import"/>). Never overwrites.
    /// </summary>
    /// <remarks>The lock is taken inside, once init has seen which files were there before (taking it creates .claude/progress).</remarks>
    public Task<InitResult> InitializeAsync(string? projectType = null, bool dryRun = false, bool hooks = false, string? hookCommand = null, FeatureListImport? import = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ProjectInitializer.Initialize(this, projectType, dryRun, hooks, hookCommand, import));
    }

    /// <summary>Runs agent sessions until the feature list is done or a limit stops the loop; holds the lock for the whole run.</summary>
    /// <remarks>With <see cref="LoopOptions.Parallel"/> (or project.json <c>loop.parallel</c>) above 1, up to that many sessions run at once, each in its own git worktree (docs/loop.md, "Parallel sessions").</remarks>
    public Task<LoopResult> RunLoopAsync(LoopOptions options, Action<LoopEvent>? onEvent = null, CancellationToken cancellationToken = default)
    {
        var workers = options.Parallel ?? Config.Loop.Parallel;
        return workers > 1
            ? new Loop.Parallel.ParallelLoop(this).RunAsync(options, workers, onEvent, cancellationToken)
            : RunSequentialLoopAsync(options, onEvent, cancellationToken);
    }

    private async Task<LoopResult> RunSequentialLoopAsync(LoopOptions options, Action<LoopEvent>? onEvent, CancellationToken cancellationToken)
    {
        // What a killed parallel run left (worktrees, branches, a feature marked done for a merge that never landed) is put back first.
        if (Loop.Parallel.ParallelRecovery.HasLeftovers(Layout))
        {
            await EnsureLockedAsync("autonomous loop", cancellationToken).ConfigureAwait(false);
            foreach (var line in Loop.Parallel.ParallelRecovery.Run(this))
            {
                Host.WriteWarning(line);
            }
        }

        return await new AutonomousLoop(this).RunAsync(options, onEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the loop's next session would be (prompt, command line), running and writing nothing.</summary>
    public Task<LoopPlan> PlanLoopAsync(LoopOptions options, CancellationToken cancellationToken = default) =>
        new AutonomousLoop(this).PlanAsync(options, cancellationToken);
}
