using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git;

/// <summary>The git CLI calls parallel sessions make (<see cref="IGitWorktrees"/>), on real repositories.</summary>
public class GitCliWorktreesTests
{
    private readonly GitCli _git = new();

    [Theory]
    [InlineData("git version 2.39.5\n", "2.39.5")]
    [InlineData("git version 2.45.1.windows.1", "2.45.1")]
    [InlineData("git version 2.38", "2.38")]
    public void Versions_are_read_from_git_s_own_words(string output, string expected) =>
        Assert.Equal(Version.Parse(expected), GitCli.ParseVersion(output));

    [Fact]
    public void An_in_memory_merge_names_the_conflicting_paths_and_touches_no_files()
    {
        using var repo = TempGitRepo.Init();
        var @base = repo.Commit("base", ("a.txt", "one\n"), ("b.txt", "one\n"));
        repo.Git("checkout", "-q", "-b", "side");
        var side = repo.Commit("side", ("a.txt", "side\n"), ("c.txt", "new\n"));
        repo.Git("checkout", "-q", "main");
        var clean = repo.Commit("main, other file", ("b.txt", "main\n"));

        var merged = _git.MergeTree(repo.Path, clean, side);
        Assert.True(merged.IsClean);
        Assert.Equal("new\n", repo.Git("show", merged.Tree + ":c.txt"));
        Assert.Equal("main\n", repo.Git("show", merged.Tree + ":b.txt"));

        var conflicting = repo.Commit("main, same line", ("a.txt", "main\n"));
        var conflict = _git.MergeTree(repo.Path, conflicting, side);
        Assert.Equal(["a.txt"], conflict.ConflictedPaths);
        Assert.Equal("main\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.Equal("", repo.Git("status", "--porcelain"));
        Assert.True(_git.IsAncestor(repo.Path, @base, conflicting));
    }

    [Fact]
    public void A_rebase_takes_the_main_line_s_side_only_where_told_and_else_aborts_leaving_the_branch()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("list.json", "[0]\n"), ("a.txt", "one\n"));
        var worktree = Path.Combine(repo.Path, "..", Path.GetFileName(repo.Path) + "-wt");
        try
        {
            _git.AddWorktree(repo.Path, worktree, "harness/worker-1", "main");
            File.WriteAllText(Path.Combine(worktree, "list.json"), "[1]\n");
            var work = _git.CommitAll(worktree, "worker: list and a file");
            var main = repo.Commit("main moved", ("list.json", "[2]\n"));

            var rebased = _git.Rebase(worktree, main, ["list.json"]);
            Assert.True(rebased.Succeeded);
            Assert.Equal("[2]\n", repo.Git("show", rebased.Head + ":list.json"));
            Assert.True(_git.IsAncestor(repo.Path, main, rebased.Head!));

            File.WriteAllText(Path.Combine(worktree, "a.txt"), "worker\n");
            var second = _git.CommitAll(worktree, "worker: a.txt");
            var moved = repo.Commit("main: a.txt", ("a.txt", "main\n"));
            var refused = _git.Rebase(worktree, moved, ["list.json"]);
            Assert.False(refused.Succeeded);
            Assert.Equal(["a.txt"], refused.ConflictedPaths);
            Assert.Equal(second, _git.ResolveCommit(worktree, "HEAD"));
            Assert.False(_git.AbortInterruptedMerge(worktree));
            Assert.NotEqual(work, second);
        }
        finally
        {
            _git.RemoveWorktree(repo.Path, worktree);
        }

        Assert.False(Directory.Exists(worktree));
        Assert.Single(_git.ListWorktrees(repo.Path));
    }

    [Fact]
    public void A_tree_edited_through_a_private_index_leaves_the_real_index_alone()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("base", ("a.txt", "one\n"));
        repo.WriteFile("a.txt", "two\n");
        var staged = _git.Stage(repo.Path, ["a.txt"]);
        repo.Git("reset", "-q");
        var tree = _git.TreeOf(repo.Path, "HEAD")!;

        var edited = _git.ReplaceInTree(repo.Path, tree, staged);

        Assert.Equal("two\n", repo.Git("show", edited + ":a.txt"));
        Assert.Equal(" M a.txt", repo.Git("status", "--porcelain").TrimEnd());
        Assert.Equal(staged[0], _git.EntryAt(repo.Path, edited, "a.txt"));
    }
}
