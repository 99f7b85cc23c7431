using Harness.Core.Features;
using Harness.Core.Project;
using Harness.Core.State;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// Brings a finished worker's branch into the main line, one worker at a time: merged in memory
/// (or replayed onto the main line), the result checked out in the worker's worktree and
/// re-checked, then the feature marked done in the project's own list, that list put into the
/// merge, and the main line moved to it. The feature list never merges from a worker: the main
/// line's list with this one feature done is what lands, so a worker cannot change other
/// features. Each step is written to the worker's record first, so recovery can finish or undo it.
/// </summary>
internal sealed class MainLineMerge(ParallelContext context, WorkerRunner runner)
{
    public async Task<WorkerResult> MergeAsync(WorkerSession session, Action<LoopEvent> emit)
    {
        if (session.Failure is { } failure)
        {
            return Result(session, WorkerVerdict.Failed, failure);
        }

        var marked = new MarkedFeature();
        try
        {
            return await MergeAsync(session, emit, marked).ConfigureAwait(false);
        }
        catch (Errors.HarnessException ex)
        {
            if (marked.Before is { } before)
            {
                // Marked done for a merge that did not land: back as it was.
                FeatureStore.SetStatus(context.Project, [session.Assignment.Feature.Id], before.Status, before.Notes ?? "");
            }

            return Result(session, WorkerVerdict.Failed, $"merging it failed: {ex.Message}");
        }
    }

    /// <summary>The feature as it was before this merge marked it done; null until then.</summary>
    private sealed class MarkedFeature
    {
        public Feature? Before { get; set; }
    }

    private async Task<WorkerResult> MergeAsync(WorkerSession session, Action<LoopEvent> emit, MarkedFeature marked)
    {
        var assignment = session.Assignment;
        var id = assignment.Feature.Id;
        if (session.Work is null)
        {
            return Result(session, WorkerVerdict.Cancelled, "the run stopped during the session");
        }

        if (!session.FeatureDone)
        {
            return Result(session, WorkerVerdict.NotFinished,
                $"the session ended ({AutonomousLoop.ExitReason(session.Agent.Outcome)}) without {id} marked done in its copy of the feature list");
        }

        if (session.Health is { Status: HealthStatus.BROKEN } health)
        {
            return Result(session, WorkerVerdict.Unhealthy, $"the health check failed in the worker's tree ({Describe(health)}), so it was not merged");
        }

        emit(new LoopEvent(LoopEventKind.WorkerStep) { Worker = assignment.Worker, FeatureId = id, Iteration = assignment.Iteration, Message = $"worker {assignment.Worker}: {id} merging into {context.Main.BranchName}" });
        var git = context.Git;
        var main = context.Main;
        var layout = context.Project.Layout;
        var (listRelative, listTop) = ListPaths();
        var mainTip = git.ResolveCommit(main.Top, main.Branch) ?? throw MainLineGone();
        var record = Record(assignment, WorkerPhases.Merging) with { Work = session.Work, MainBefore = mainTip };
        WorkerRecords.Save(layout, record);

        string candidateTree;
        IReadOnlyList<string> parents;
        var message = $"Merge {id} ({assignment.Feature.Name}) from worker {assignment.Worker}, session {assignment.SessionId}";
        if (context.Merge == MergeMode.MergeCommit)
        {
            var merged = git.MergeTree(main.Top, mainTip, session.Work);
            var conflicts = merged.ConflictedPaths.Where(p => p != listTop).ToList();
            if (conflicts.Count > 0)
            {
                return Conflict(session, conflicts);
            }

            // A list that conflicted holds conflict markers in the merged tree: the main line's goes in (the worker's is never merged).
            var mergedTree = merged.ConflictedPaths.Contains(listTop) && git.EntryAt(main.Top, mainTip, listTop) is { } mainList
                ? git.ReplaceInTree(main.Top, merged.Tree, [mainList])
                : merged.Tree;
            parents = [mainTip, session.Work];
            candidateTree = mergedTree;
            if (context.Options.RunHealthCheck)
            {
                // The re-check runs on the merged result, checked out in the worker's worktree.
                git.ResetWorktree(assignment.Worktree, assignment.Branch, git.CommitTree(main.Top, mergedTree, parents, message, harnessIdentity: true).Hash);
            }
        }
        else
        {
            var rebased = git.Rebase(assignment.Worktree, mainTip, [listTop]);
            if (!rebased.Succeeded)
            {
                return Conflict(session, rebased.ConflictedPaths);
            }

            parents = [rebased.Head!];
            candidateTree = git.TreeOf(main.Top, rebased.Head!)!;
        }

        if (context.Options.RunHealthCheck)
        {
            emit(new LoopEvent(LoopEventKind.WorkerStep) { Worker = assignment.Worker, FeatureId = id, Iteration = assignment.Iteration, Message = $"worker {assignment.Worker}: {id} re-checking the merged result" });
            var recheck = await runner.CheckAsync(assignment.Layout, CancellationToken.None).ConfigureAwait(false);
            if (recheck.Status == HealthStatus.BROKEN)
            {
                return Result(session, WorkerVerdict.RecheckFailed, $"merged with {main.BranchName}, the result failed the health check ({Describe(recheck)}); the main line was left as it was");
            }
        }

        // Mark done in the project's list, stage it (so the fast-forward finds the index already
        // matching), and land exactly that list in the merge.
        var before = FeatureStore.Load(layout)?.Features.FirstOrDefault(f => f.Id == id);
        WorkerRecords.Save(layout, record with { Phase = WorkerPhases.Committing, FeatureStatusBefore = before?.Status, FeatureNotesBefore = before?.Notes });
        marked.Before = before ?? assignment.Feature;
        FeatureStore.SetStatus(context.Project, [id], session.DoneStatus!);
        var list = git.Stage(layout.Root, [listRelative]);
        var tree = git.ReplaceInTree(main.Top, candidateTree, list);
        var final = context.Merge == MergeMode.MergeCommit
            ? git.CommitTree(main.Top, tree, parents, message, harnessIdentity: true).Hash
            : tree == candidateTree ? parents[0] : git.CommitTree(main.Top, tree, parents, $"harness: {id} done (worker {assignment.Worker}, session {assignment.SessionId})", harnessIdentity: true).Hash;
        WorkerRecords.Save(layout, record with { Phase = WorkerPhases.Advancing, FeatureStatusBefore = before?.Status, FeatureNotesBefore = before?.Notes, Merged = final });
        if (git.FastForward(layout.Root, final) is { } refused)
        {
            // The project folder had changes in the way: the list goes back, the feature with it.
            FeatureStore.SetStatus(context.Project, [id], before?.Status ?? FeatureStatuses.Pending, before?.Notes ?? "");
            git.Stage(layout.Root, [listRelative]);
            return Result(session, WorkerVerdict.NotAdvanced, $"{main.BranchName} could not fast-forward to the merge in the project folder: {refused.Split('\n')[0]}");
        }

        return Result(session, WorkerVerdict.Merged, $"merged into {main.BranchName} as {final[..Math.Min(12, final.Length)]}") with { MergedCommit = final };
    }

    /// <summary>
    /// Commits the project's feature list on the main line when the run left it changed (attempts,
    /// notes, blocked features), so the main line and the next worktrees agree with it.
    /// </summary>
    public void CommitList() =>
        CommitOnMainLine(ListPaths().Relative, "harness: the feature list after a parallel run (attempts, notes, blocked features)");

    /// <summary>
    /// Commits the harness's <c>.claude/progress/.gitignore</c> on the main line when it is not
    /// there yet: workers' worktrees start from the main line's last commit, and without it the
    /// harness's running files (state, locks, metrics, transcripts) an entry writes in a worktree
    /// would be swept into the worker's commits and merged.
    /// </summary>
    public void CommitProgressIgnore()
    {
        var layout = context.Project.Layout;
        ProgressIgnore.Ensure(layout);
        if (File.ReadAllText(ProgressIgnore.PathFor(layout)).StartsWith(ProgressIgnore.Header, StringComparison.Ordinal))
        {
            CommitOnMainLine(Path.GetRelativePath(layout.Root, ProgressIgnore.PathFor(layout)).Replace('\\', '/'), "harness: the progress folder's .gitignore, so parallel workers keep the harness's running files out of their commits");
        }
    }

    /// <summary>A commit on the main line with the project file <paramref name="relative"/> as it is on disk, when that differs from the last commit; the main line fast-forwards to it.</summary>
    private void CommitOnMainLine(string relative, string message)
    {
        var git = context.Git;
        var main = context.Main;
        var root = context.Project.Layout.Root;
        if (!File.Exists(Path.Combine(root, relative)) || git.ResolveCommit(main.Top, main.Branch) is not { } head)
        {
            return;
        }

        var tree = git.TreeOf(main.Top, head)!;
        var changed = git.ReplaceInTree(main.Top, tree, git.Stage(root, [relative]));
        if (changed == tree)
        {
            return;
        }

        var commit = git.CommitTree(main.Top, changed, [head], message, harnessIdentity: true).Hash;
        if (git.FastForward(root, commit) is { } refused)
        {
            context.Project.Host.WriteWarning($"{relative} stays uncommitted: {refused.Split('\n')[0]}");
        }
    }

    /// <summary>The feature list's path relative to the project and to the repository top.</summary>
    private (string Relative, string Top) ListPaths()
    {
        var layout = context.Project.Layout;
        var relative = Path.GetRelativePath(layout.Root, FeatureStore.Locate(layout)?.Path ?? layout.FeatureListFile).Replace('\\', '/');
        return (relative, context.Main.TopRelative(relative));
    }

    public WorkerRecord Record(WorkerAssignment assignment, string phase) => new()
    {
        Worker = assignment.Worker,
        Phase = phase,
        Worktree = assignment.Worktree,
        Branch = assignment.Branch,
        MainBranch = context.Main.Branch,
        HarnessPid = Environment.ProcessId,
        Feature = assignment.Feature.Id,
        SessionId = assignment.SessionId,
        Base = assignment.BaseCommit,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private WorkerResult Conflict(WorkerSession session, IReadOnlyList<string> paths)
    {
        var names = string.Join(", ", paths.Take(10)) + (paths.Count > 10 ? $" and {paths.Count - 10} more" : "");
        return Result(session, WorkerVerdict.Conflict,
            $"its changes conflicted with {context.Main.BranchName}, which other features changed meanwhile, in {names}") with { ConflictedPaths = paths };
    }

    private static WorkerResult Result(WorkerSession session, WorkerVerdict verdict, string reason) =>
        new() { Session = session, Verdict = verdict, Reason = reason };

    private static string Describe(Health.HealthCheckResult health)
    {
        var tail = health.OutputTail.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3).ToList();
        return $"{health.Command ?? health.Kind}: {health.Description}" + (tail.Count > 0 ? "; " + string.Join(" | ", tail) : "");
    }

    private Errors.HarnessException MainLineGone() =>
        new(Errors.ErrorIds.GitFailed, Errors.HarnessErrorCategory.InvalidOperation, $"{context.Main.Branch} no longer names a commit; parallel sessions merge into it.")
        {
            Fix = "Check out the branch the run started on again, then run the loop again.",
        };
}
