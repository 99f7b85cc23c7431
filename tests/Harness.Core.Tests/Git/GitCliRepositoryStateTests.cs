using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git;

/// <summary>The states a session can start in; none of them may throw.</summary>
public sealed class GitCliRepositoryStateTests
{
    private readonly GitCli _git = new();

    [Fact]
    public void Folder_outside_any_repository_is_reported_not_thrown()
    {
        using var folder = TempDirectory.Create();
        folder.Write("readme.txt", "not tracked by anything");

        var info = _git.Inspect(folder.Path);
        var snapshot = _git.Snapshot(folder.Path, 5);

        Assert.False(info.IsRepository);
        Assert.Null(info.Error);
        Assert.False(snapshot.Repository.IsRepository);
        Assert.Empty(snapshot.RecentCommits);
        Assert.Empty(snapshot.Status);
        Assert.Contains(snapshot.Warnings, w => w.Contains("not inside a git work tree", StringComparison.Ordinal));
        Assert.Empty(_git.RecentCommits(folder.Path, 5));
        Assert.Empty(_git.FilesChangedInRecentCommits(folder.Path, 5));
        Assert.Empty(_git.Status(folder.Path));
    }

    [Fact]
    public void Missing_folder_is_not_a_repository()
    {
        var missing = Path.Combine(Path.GetTempPath(), "harness-missing-" + Guid.NewGuid().ToString("N"));

        Assert.False(_git.Inspect(missing).IsRepository);
        Assert.False(_git.Snapshot(missing, 5).Repository.IsRepository);
    }

    [Fact]
    public void Inside_the_git_directory_is_not_a_work_tree()
    {
        using var repo = TempGitRepo.Init();

        Assert.False(_git.Inspect(Path.Combine(repo.Path, ".git")).IsRepository);
    }

    [Fact]
    public void Repository_without_commits_reports_the_unborn_branch_and_untracked_files()
    {
        // A branch name other than the usual default proves it is read, not assumed.
        using var repo = TempGitRepo.Init(initialBranch: "trunk");
        repo.WriteFile("notes.txt", "draft");

        var info = _git.Inspect(repo.Path);
        var snapshot = _git.Snapshot(repo.Path, 5);

        foreach (var repository in new[] { info, snapshot.Repository })
        {
            Assert.True(repository.IsRepository);
            Assert.Null(repository.Error);
            Assert.Null(repository.HeadCommit);
            Assert.False(repository.HasCommits);
            Assert.Equal("trunk", repository.Branch);
            Assert.False(repository.IsDetached);
            Assert.False(repository.IsShallow);
            Assert.Equal(TopLevelOf(repo), repository.TopLevel);
            Assert.Equal(Path.GetFullPath(repo.Git("rev-parse", "--absolute-git-dir").Trim()), repository.GitDirectory);
        }

        Assert.Empty(snapshot.RecentCommits);
        Assert.Empty(snapshot.RecentFiles);
        var entry = Assert.Single(snapshot.Status);
        Assert.Equal(new GitStatusEntry("notes.txt", '?', '?'), entry);
        Assert.True(entry.IsUntracked);
        Assert.Contains("repository has no commits yet (branch 'trunk' is unborn)", snapshot.Warnings);
        Assert.Empty(_git.RecentCommits(repo.Path, 5));
        Assert.Empty(_git.FilesChangedInRecentCommits(repo.Path, 5));
    }

    [Fact]
    public void Subfolder_of_a_repository_reports_the_top_level()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("add nested", ("src/deep/file.txt", "x"));

        var info = _git.Inspect(Path.Combine(repo.Path, "src", "deep"));

        Assert.Equal(TopLevelOf(repo), info.TopLevel);
        Assert.Equal(repo.Git("rev-parse", "HEAD").Trim(), info.HeadCommit);
    }

    [Fact]
    public void Detached_head_has_no_branch()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("one", ("a.txt", "1"));
        var second = repo.Commit("two", ("b.txt", "2"));
        repo.DetachHead();

        var info = _git.Inspect(repo.Path);
        var snapshot = _git.Snapshot(repo.Path, 5);

        foreach (var repository in new[] { info, snapshot.Repository })
        {
            Assert.Null(repository.Branch);
            Assert.True(repository.IsDetached);
            Assert.Equal(second, repository.HeadCommit);
        }

        Assert.Equal(2, snapshot.RecentCommits.Count);
    }

    [Fact]
    public void Branch_head_is_named_and_not_detached()
    {
        using var repo = TempGitRepo.Init(initialBranch: "feature/x");
        var head = repo.Commit("one", ("a.txt", "1"));

        var info = _git.Inspect(repo.Path);

        Assert.Equal("feature/x", info.Branch);
        Assert.False(info.IsDetached);
        Assert.Equal(head, info.HeadCommit);
        Assert.Equal(head, _git.Snapshot(repo.Path, 1).Repository.HeadCommit);
    }

    [Fact]
    public void Shallow_clone_is_flagged_and_the_snapshot_says_how_to_fetch_more()
    {
        using var source = TempGitRepo.Init();
        source.CommitMany(4);
        using var clone = source.CloneShallow(depth: 1);

        var info = _git.Inspect(clone.Path);
        var snapshot = _git.Snapshot(clone.Path, 5);

        Assert.True(info.IsShallow);
        Assert.True(snapshot.Repository.IsShallow);
        var commit = Assert.Single(snapshot.RecentCommits);
        Assert.Equal(source.Git("rev-parse", "HEAD").Trim(), commit.Hash);
        Assert.Equal("commit 4", commit.Subject);
        Assert.Contains(
            "shallow clone: history has only 1 commit(s); fetch with fetch-depth: 0 (or a depth of at least 5) for full context",
            snapshot.Warnings);

        // The boundary commit looks parentless, so git would list the whole tree as its change.
        Assert.Empty(snapshot.RecentFiles);
    }

    private static string TopLevelOf(TempGitRepo repo) =>
        Path.GetFullPath(repo.Git("rev-parse", "--show-toplevel").Trim());
}
