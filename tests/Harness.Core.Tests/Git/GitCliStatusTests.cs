using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git;

public sealed class GitCliStatusTests
{
    private readonly GitCli _git = new();

    [Fact]
    public void Renamed_modified_added_and_deleted_files_map_to_index_and_work_tree_letters()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("old name.txt", "same content\n"), ("edited.txt", "v1\n"), ("gone.txt", "x\n"));
        repo.Git("mv", "old name.txt", "new näme.txt");
        repo.WriteFile("edited.txt", "v2\n");
        repo.WriteFile("staged.txt", "new\n");
        repo.Git("add", "staged.txt");
        File.Delete(Path.Combine(repo.Path, "gone.txt"));

        var status = _git.Status(repo.Path).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();

        Assert.Equal(
            [
                new GitStatusEntry("edited.txt", ' ', 'M'),
                new GitStatusEntry("gone.txt", ' ', 'D'),
                new GitStatusEntry("new näme.txt", 'R', ' ', "old name.txt"),
                new GitStatusEntry("staged.txt", 'A', ' '),
            ],
            status);
        Assert.Equal(status, _git.Snapshot(repo.Path, 1).Status.OrderBy(e => e.Path, StringComparer.Ordinal));
    }

    [Fact]
    public void Merge_conflict_shows_as_unmerged()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("shared.txt", "base\n"));
        repo.Git("checkout", "--quiet", "-b", "other");
        repo.Commit("theirs", ("shared.txt", "theirs\n"));
        repo.Git("checkout", "--quiet", "main");
        repo.Commit("ours", ("shared.txt", "ours\n"));
        Assert.Throws<InvalidOperationException>(() => repo.Git("merge", "--quiet", "other"));

        var entry = Assert.Single(_git.Status(repo.Path));

        Assert.Equal(new GitStatusEntry("shared.txt", 'U', 'U'), entry);
    }

    [Fact]
    public void Status_and_snapshot_never_rewrite_the_index_the_agent_is_using()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("tracked.txt", "content\n"));
        var indexPath = Path.Combine(repo.Path, ".git", "index");
        var lockPath = indexPath + ".lock";

        // Same content, new timestamp: a plain git status refreshes the stat data and rewrites the index.
        File.SetLastWriteTimeUtc(Path.Combine(repo.Path, "tracked.txt"), new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var indexBefore = File.ReadAllBytes(indexPath);
        var indexTimeBefore = File.GetLastWriteTimeUtc(indexPath);

        Assert.Empty(_git.Status(repo.Path));
        Assert.Empty(_git.Snapshot(repo.Path, 5).Status);

        Assert.Equal(indexBefore, File.ReadAllBytes(indexPath));
        Assert.Equal(indexTimeBefore, File.GetLastWriteTimeUtc(indexPath));
        Assert.False(File.Exists(lockPath));

        // Control: without GIT_OPTIONAL_LOCKS=0 the same status does rewrite it, so the checks above can fail.
        repo.Git("status", "--porcelain=v2");
        Assert.NotEqual(indexBefore, File.ReadAllBytes(indexPath));
    }

    [Fact]
    public void Status_works_while_the_agent_holds_index_lock()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("tracked.txt", "content\n"));
        repo.WriteFile("tracked.txt", "changed\n");
        var lockPath = Path.Combine(repo.Path, ".git", "index.lock");
        File.WriteAllText(lockPath, "held by the agent");

        var entry = Assert.Single(_git.Status(repo.Path));

        Assert.Equal(new GitStatusEntry("tracked.txt", ' ', 'M'), entry);
        Assert.Equal("held by the agent", File.ReadAllText(lockPath));
    }
}
