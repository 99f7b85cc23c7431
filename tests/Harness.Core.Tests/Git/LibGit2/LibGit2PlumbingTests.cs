using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git.LibGit2;

/// <summary>The checkpoint plumbing through libgit2 does what the git CLI calls did: commits, refs, resets.</summary>
public sealed class LibGit2PlumbingTests
{
    private readonly GitCli _cli = new();

    public static TheoryData<string> FixturesWithHistory => new(GitFixtures.Names.Where(n => n != "unborn branch"));

    [Theory]
    [MemberData(nameof(FixturesWithHistory))]
    public void Reset_hard_leaves_the_index_and_files_as_git_reset_hard_does(string fixtureName)
    {
        using var byCli = GitFixtures.Create(fixtureName);
        using var byLibgit2 = GitFixtures.Create(fixtureName);
        using var libgit2 = new LibGit2Port();

        _cli.ResetHard(byCli.Directory, _cli.ResolveCommit(byCli.Directory, "HEAD~2")!);
        libgit2.ResetHard(byLibgit2.Directory, libgit2.ResolveCommit(byLibgit2.Directory, "HEAD~2")!);

        AssertSameOutcome(byCli.Directory, byLibgit2.Directory);
        Assert.Equal(Git(byCli.Directory, "rev-parse", "HEAD^{tree}"), Git(byLibgit2.Directory, "rev-parse", "HEAD^{tree}"));
        Assert.Equal(Git(byCli.Directory, "rev-parse", "--symbolic-full-name", "HEAD"), Git(byLibgit2.Directory, "rev-parse", "--symbolic-full-name", "HEAD"));
    }

    [Theory]
    [MemberData(nameof(FixturesWithHistory))]
    public void Reset_index_matches_git_reset(string fixtureName)
    {
        using var byCli = GitFixtures.Create(fixtureName);
        using var byLibgit2 = GitFixtures.Create(fixtureName);
        using var libgit2 = new LibGit2Port();

        _cli.ResetIndex(byCli.Directory);
        libgit2.ResetIndex(byLibgit2.Directory);

        AssertSameOutcome(byCli.Directory, byLibgit2.Directory);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Commit_tree_writes_the_commit_git_commit_tree_writes(bool harnessIdentity)
    {
        using var fixture = GitFixtures.Create("detached HEAD");
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        var tree = libgit2.WriteWorkTreeSnapshot(directory, Core.Project.HarnessFiles.SnapshotExcludes);
        var parents = new[] { libgit2.ResolveCommit(directory, "HEAD")!, libgit2.ResolveCommit(directory, "HEAD~1")! };
        const string message = "harness: checkpoint, health UNKNOWN\n\nreason with ünïcode\n  indented line";

        var byCli = _cli.CommitTree(directory, tree, parents, message, harnessIdentity);
        var byLibgit2 = libgit2.CommitTree(directory, tree, parents, message, harnessIdentity);

        Assert.Equal(byCli.UsedHarnessIdentity, byLibgit2.UsedHarnessIdentity);
        Assert.Equal(WithoutTimes(Git(directory, "cat-file", "commit", byCli.Hash)), WithoutTimes(Git(directory, "cat-file", "commit", byLibgit2.Hash)));
        Assert.Equal(Git(directory, "log", "-1", "--format=%B", byCli.Hash), Git(directory, "log", "-1", "--format=%B", byLibgit2.Hash));
    }

    [Fact]
    public void Without_a_configured_identity_both_use_the_harness_identity_and_write_no_config()
    {
        using var repo = TempGitRepo.Init(withCommitIdentity: false);
        repo.WriteFile("a.txt", "a\n");
        var config = File.ReadAllText(Path.Combine(repo.Path, ".git", "config"));
        using var libgit2 = new LibGit2Port();
        var tree = libgit2.WriteWorkTreeSnapshot(repo.Path, Core.Project.HarnessFiles.SnapshotExcludes);
        var byCli = _cli.CommitTree(repo.Path, tree, [], "m", harnessIdentity: false);
        var byLibgit2 = libgit2.CommitTree(repo.Path, tree, [], "m", harnessIdentity: false);

        // The machine may have a global identity; both ports see the same one.
        Assert.Equal(byCli.UsedHarnessIdentity, byLibgit2.UsedHarnessIdentity);
        Assert.Equal(WithoutTimes(Git(repo.Path, "cat-file", "commit", byCli.Hash)), WithoutTimes(Git(repo.Path, "cat-file", "commit", byLibgit2.Hash)));
        Assert.Equal(config, File.ReadAllText(Path.Combine(repo.Path, ".git", "config")));
    }

    [Fact]
    public void Update_ref_compares_and_swaps_as_git_update_ref_does()
    {
        using var fixture = GitFixtures.Create("ignore rules");
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        var head = libgit2.ResolveCommit(directory, "HEAD")!;
        var previous = libgit2.ResolveCommit(directory, "HEAD~1")!;
        foreach (var (name, git) in new (string, IGit)[] { ("cli", _cli), ("libgit2", libgit2) })
        {
            var refName = $"refs/harness/test/{name}";
            Assert.True(git.UpdateRef(directory, refName, head, "", "create"));
            Assert.False(git.UpdateRef(directory, refName, previous, "", "must not exist"));
            Assert.False(git.UpdateRef(directory, refName, previous, previous, "stale expected value"));
            Assert.True(git.UpdateRef(directory, refName, previous, head, "swap"));
            Assert.True(git.UpdateRef(directory, refName, head, null, "unconditional"));
            Assert.False(git.UpdateRef(directory, "refs/harness/bad..name", head, "", "invalid name"));
        }

        Assert.Equal(_cli.ListRefs(directory, "refs/harness/").Select(Flat), libgit2.ListRefs(directory, "refs/harness/").Select(Flat));
        Assert.Equal(["refs/harness/test/cli", "refs/harness/test/libgit2"], libgit2.ListRefs(directory, "refs/harness/test/").Select(r => r.Name));
        libgit2.DeleteRefs(directory, ["refs/harness/test/libgit2", "refs/harness/test/never-made"]);
        Assert.Equal(["refs/harness/test/cli"], _cli.ListRefs(directory, "refs/harness/").Select(r => r.Name));
    }

    [Fact]
    public void Moving_head_moves_its_branch_and_writes_both_reflogs()
    {
        using var fixture = GitFixtures.Create("executable bits");
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        var head = libgit2.ResolveCommit(directory, "HEAD")!;
        var tree = libgit2.WriteWorkTreeSnapshot(directory, Core.Project.HarnessFiles.SnapshotExcludes);
        var commit = libgit2.CommitTree(directory, tree, [head], "checkpoint", harnessIdentity: true).Hash;

        Assert.False(libgit2.UpdateRef(directory, "HEAD", commit, libgit2.ResolveCommit(directory, "HEAD~1"), "stale"));
        Assert.True(libgit2.UpdateRef(directory, "HEAD", commit, head, "harness: checkpoint"));

        Assert.Equal("refs/heads/main", Git(directory, "symbolic-ref", "HEAD").Trim());
        Assert.Equal(commit, Git(directory, "rev-parse", "main").Trim());
        Assert.Equal("harness: checkpoint", Git(directory, "reflog", "-1", "--format=%gs", "main").Trim());
        Assert.Equal("harness: checkpoint", Git(directory, "reflog", "-1", "--format=%gs", "HEAD").Trim());
    }

    [Fact]
    public void First_commit_on_an_unborn_branch_creates_the_branch()
    {
        using var fixture = GitFixtures.Create("unborn branch");
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        var tree = libgit2.WriteWorkTreeSnapshot(directory, Core.Project.HarnessFiles.SnapshotExcludes);
        var commit = libgit2.CommitTree(directory, tree, [], "first", harnessIdentity: true).Hash;

        Assert.False(libgit2.UpdateRef(directory, "HEAD", commit, libgit2.ResolveCommit(directory, commit), "expects a commit"));
        Assert.True(libgit2.UpdateRef(directory, "HEAD", commit, "", "first"));
        libgit2.ResetIndex(directory);

        Assert.Equal(commit, Git(directory, "rev-parse", "trunk").Trim());
        Assert.Equal("", Git(directory, "status", "--porcelain"));
    }

    internal static (string, string, string, string) Flat(GitRefRecord r) => (r.Name, r.Commit, string.Join(' ', r.Parents), r.Message);

    private static void AssertSameOutcome(string expected, string actual)
    {
        Assert.Equal(IndexEntries(expected), IndexEntries(actual));
        Assert.Equal(Git(expected, "status", "--porcelain=v1", "-z", "--untracked-files=all"), Git(actual, "status", "--porcelain=v1", "-z", "--untracked-files=all"));
        Assert.Equal(RepositoryFiles.Capture(expected, exact: false), RepositoryFiles.Capture(actual, exact: false));
    }

    /// <summary>git ls-files -s, with a gitlink's commit left out: a submodule commit made in another copy of the fixture has another time, so another hash.</summary>
    private static IEnumerable<string> IndexEntries(string directory) =>
        Git(directory, "ls-files", "-s", "-z").Split('\0').Select(e => e.StartsWith("160000 ", StringComparison.Ordinal) ? "160000 (gitlink) " + e[48..] : e);

    /// <summary>A commit object with the author and committer times cut off (two commits made a moment apart).</summary>
    private static string WithoutTimes(string commit) =>
        string.Join('\n', commit.Split('\n').Select(line =>
            line.StartsWith("author ", StringComparison.Ordinal) || line.StartsWith("committer ", StringComparison.Ordinal)
                ? line[..line.LastIndexOf('>')]
                : line));

    private static string Git(string directory, params string[] arguments) => TempGitRepo.GitIn(directory, arguments);
}
