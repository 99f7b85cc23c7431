using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Loop.Parallel;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Loop.Parallel;

/// <summary>What a parallel run killed mid-merge leaves, and how the next run's recovery repairs it, on real repositories.</summary>
public class ParallelRecoveryTests
{
    [Fact]
    public void A_killed_run_s_half_done_merge_worktree_branch_and_list_are_repaired_and_its_work_is_kept()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"), ("F2", "pending"));
        repo.Commit("features", ("a.txt", "base\n"));
        var layout = ProjectLayout.ForRoot(repo.Path);

        // A merge on the main line stopped on a conflict (MERGE_HEAD present).
        repo.Git("checkout", "-q", "-b", "other");
        repo.Commit("other side", ("a.txt", "other\n"));
        repo.Git("checkout", "-q", "main");
        repo.Commit("main side", ("a.txt", "main\n"));
        Assert.Throws<InvalidOperationException>(() => repo.Git("merge", "-q", "other"));
        Assert.True(File.Exists(Path.Combine(repo.Path, ".git", "MERGE_HEAD")));

        // Worker 1's worktree with a commit and uncommitted work, killed while its merge advanced.
        var worktree = WorkerNames.Worktree(layout, 1);
        repo.Git("worktree", "add", "-q", "-b", WorkerNames.Branch(1), worktree, "main");
        File.WriteAllText(Path.Combine(worktree, "done.txt"), "committed by the agent\n");
        TempGitRepo.GitIn(worktree, "add", "-A");
        TempGitRepo.GitIn(worktree, "commit", "-q", "-m", "agent work");
        File.WriteAllText(Path.Combine(worktree, "wip.txt"), "not committed yet\n");
        FeatureStore.SetStatus(layout, ["F1"], FeatureStatuses.Completed);
        WorkerRecords.Save(layout, new WorkerRecord
        {
            Worker = 1,
            Phase = WorkerPhases.Advancing,
            Worktree = worktree,
            Branch = WorkerNames.Branch(1),
            MainBranch = "refs/heads/main",
            Feature = "F1",
            FeatureStatusBefore = FeatureStatuses.Pending,
            FeatureNotesBefore = "",
            SessionId = "s-killed-w1",
            Merged = new string('a', 40),
        });

        using var project = HarnessProject.Open(repo.Path);
        project.EnsureLocked("test");
        var git = new GitCli();
        var main = MainLine.Open(layout, git);

        // Before recovery the start is refused (the conflicted merge is in the way); after it, not.
        Assert.Equal(ErrorIds.WorkTreeDirty, Assert.Throws<HarnessException>(() => main.RequireCleanStart(layout, git)).ErrorId);
        var lines = ParallelRecovery.Run(project, git, main);
        main.RequireCleanStart(layout, git);

        Assert.False(File.Exists(Path.Combine(repo.Path, ".git", "MERGE_HEAD")));
        Assert.Equal("main\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.Equal(FeatureStatuses.Pending, FeatureStore.Load(layout)!.Features.Single(f => f.Id == "F1").Status);
        Assert.Contains(lines, l => l.Contains("aborted a merge", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("kept at refs/harness/work/F1", StringComparison.Ordinal));
        Assert.Equal("committed by the agent\n", repo.Git("show", "refs/harness/work/F1:done.txt"));
        Assert.Equal("not committed yet\n", repo.Git("show", "refs/harness/work/F1:wip.txt"));
        Assert.Single(repo.Git("worktree", "list", "--porcelain").Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
        Assert.Equal("", repo.Git("branch", "--list", "harness/*").Trim());
        Assert.False(Directory.Exists(worktree));
        Assert.Empty(WorkerRecords.LoadAll(layout));
        Assert.False(ParallelRecovery.HasLeftovers(layout));
    }

    [Fact]
    public void Nothing_left_means_nothing_done()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var layout = ProjectLayout.ForRoot(repo.Path);
        using var project = HarnessProject.Open(repo.Path);
        project.EnsureLocked("test");
        var git = new GitCli();

        Assert.Empty(ParallelRecovery.Run(project, git, MainLine.Open(layout, git)));
        Assert.Empty(repo.Git("for-each-ref", "refs/harness/").Trim());
    }

    [Fact]
    public void Work_refs_name_every_feature_id_apart()
    {
        Assert.Equal("refs/harness/work/F1", WorkerNames.WorkRef("F1"));
        var dotted = WorkerNames.WorkRef("auth.login");
        var underscored = WorkerNames.WorkRef("auth_login");
        Assert.NotEqual(dotted, underscored);
        Assert.Matches("^refs/harness/work/auth_login-[0-9a-f]{8}$", dotted);
        Assert.Equal(3, WorkerNames.WorkerOf("worker-3.json"));
        Assert.Null(WorkerNames.WorkerOf("worker-x"));
    }
}
