using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>
/// The HarnessCheckpoint target (HarnessSaveCheckpoint task) and HarnessOnCrash, in real
/// <c>dotnet msbuild</c> processes against real temporary git repositories.
/// </summary>
[Collection(MSBuildCollection.Name)]
public sealed class CheckpointTargetTests(PackageFeed feed)
{
    private static readonly string[] CheckpointProperties =
        ["HarnessCheckpointCommit", "HarnessCheckpointName", "HarnessCheckpointRef", "HarnessCheckpointCreatedCommit"];

    [Fact]
    public void Checkpoint_target_commits_the_whole_tree_and_returns_the_new_HEAD()
    {
        using var repo = BuildRepo.WithProject(feed);
        repo.Commit();
        repo.Git.WriteFile("notes.txt", "written by the agent, never added\n");

        var (result, p, _) = repo.MSBuild("HarnessCheckpoint", CheckpointProperties, extra: ["-p:HarnessCheckpointReason=before the refactor"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var head = repo.Git.Git("rev-parse", "HEAD").Trim();
        Assert.Equal(head, p["HarnessCheckpointCommit"]);
        Assert.Equal("true", p["HarnessCheckpointCreatedCommit"], ignoreCase: true);
        Assert.Matches(@"^\d{8}T\d{9}Z$", p["HarnessCheckpointName"]);
        Assert.Equal("refs/harness/checkpoints/" + p["HarnessCheckpointName"], p["HarnessCheckpointRef"]);
        // The ref records the checkpoint (its first parent is the commit); the untracked file is in the commit.
        Assert.Equal(head, repo.Git.Git("rev-parse", p["HarnessCheckpointRef"] + "^1").Trim());
        Assert.Equal("written by the agent, never added", repo.Git.Git("show", "HEAD:notes.txt").Trim());
        Assert.Contains("before the refactor", repo.Git.Git("log", "-1", "--format=%B", "HEAD"), StringComparison.Ordinal);
        // Everything is committed, and the record written after the commit (checkpoint.json) is git-ignored: status is clean.
        Assert.Equal("", repo.Git.Git("status", "--porcelain", "--untracked-files=all").Trim());
    }

    [Fact]
    public void HarnessOnCrash_rollback_restores_the_checkpoint_and_keeps_the_crashed_tree_in_a_backup_ref()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();
        var (saved, checkpoint, _) = repo.MSBuild("HarnessCheckpoint", CheckpointProperties);
        Assert.True(saved.ExitCode == 0, saved.ToString());

        // A session that crashed: state.json still dirty, an untracked file and a rewritten file left behind.
        ProjectFiles.WriteState(repo.Root, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": true, "session_id": "s1" }""");
        repo.Git.WriteFile("half-done.txt", "crashed mid-way\n");
        repo.Git.WriteFile("Code.cs", "broken\n");

        var (result, p, _) = repo.MSBuild(
            "HarnessEntry", ["HarnessCrashAction", "HarnessNextState"], extra: ["-p:HarnessOnCrash=rollback", "-p:HarnessRunHealthCheck=false"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("rolled_back", p["HarnessCrashAction"]);
        Assert.Equal(checkpoint["HarnessCheckpointCommit"], repo.Git.Git("rev-parse", "HEAD").Trim());
        Assert.False(File.Exists(Path.Combine(repo.Root, "half-done.txt")));
        Assert.StartsWith("namespace Generated;", File.ReadAllText(Path.Combine(repo.Root, "Code.cs")), StringComparison.Ordinal);
        var backup = repo.Git.Git("for-each-ref", "--format=%(refname)", "refs/harness/backup/").Trim();
        Assert.Equal("crashed mid-way", repo.Git.Git("show", backup + ":half-done.txt").Trim());
        Assert.Equal("broken", repo.Git.Git("show", backup + ":Code.cs").Trim());
    }

    [Fact]
    public void An_unknown_HarnessOnCrash_is_a_coded_error()
    {
        using var repo = BuildRepo.WithProject(feed);
        repo.Commit();

        var (result, _, _) = repo.MSBuild("HarnessEntry", ["HarnessNextState"], extra: ["-p:HarnessOnCrash=revert"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error HARN0101: HarnessOnCrash is 'revert'", result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(repo.StateFile), "nothing runs with a bad policy");
    }
}
