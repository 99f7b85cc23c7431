using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.Core.Tests.Git.LibGit2;

/// <summary>
/// Issue 14: every answer the harness gets from libgit2 is the git CLI's answer, on each fixture
/// (<see cref="GitFixtures"/>). The CLI port is the reference; both ask the same repository.
/// </summary>
public sealed class LibGit2EquivalenceTests
{
    private readonly GitCli _cli = new();

    public static TheoryData<string> Fixtures => new(GitFixtures.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Repository_state_status_and_history_match_the_git_cli(string fixtureName)
    {
        using var fixture = GitFixtures.Create(fixtureName);
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;

        Assert.Equal(_cli.Inspect(directory), libgit2.Inspect(directory));
        Assert.Empty(libgit2.CliFallbacks);
        foreach (var count in new[] { 0, 1, 5, 50 })
        {
            AssertSameSnapshot(_cli.Snapshot(directory, count), libgit2.Snapshot(directory, count));
            Assert.Equal(_cli.RecentCommits(directory, count), libgit2.RecentCommits(directory, count));
            Assert.Equal(_cli.FilesChangedInRecentCommits(directory, count), libgit2.FilesChangedInRecentCommits(directory, count));
        }

        Assert.Equal(_cli.Status(directory), libgit2.Status(directory));
        Assert.Equal(_cli.UntrackedFiles(directory), libgit2.UntrackedFiles(directory));
        Assert.Empty(libgit2.CliFallbacks);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Revisions_diffs_ranges_and_files_match_the_git_cli(string fixtureName)
    {
        using var fixture = GitFixtures.Create(fixtureName);
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        string[] revisions = ["HEAD", "HEAD~1", "HEAD~2", "HEAD^2", "HEAD~3", "main", "side", "no-such-revision", "HEAD:a.txt", ""];
        foreach (var revision in revisions.Where(r => r.Length > 0))
        {
            Assert.Equal(_cli.ResolveCommit(directory, revision), libgit2.ResolveCommit(directory, revision));
            Assert.Equal(_cli.TreeOf(directory, revision), libgit2.TreeOf(directory, revision));
        }

        var existing = revisions.Where(r => r.Length > 0 && _cli.ResolveCommit(directory, r) is not null).ToList();
        foreach (var from in existing)
        {
            Assert.Equal(_cli.DiffNames(directory, from, null), libgit2.DiffNames(directory, from, null));
            Assert.Equal(_cli.DiffNames(directory, from, "HEAD"), libgit2.DiffNames(directory, from, "HEAD"));
            Assert.Equal(_cli.CommitsInRange(directory, 100, $"{from}..HEAD"), libgit2.CommitsInRange(directory, 100, $"{from}..HEAD"));
            Assert.Equal(_cli.CommitsInRange(directory, 2, $"{from}..HEAD"), libgit2.CommitsInRange(directory, 2, $"{from}..HEAD"));
            Assert.Equal(_cli.ShowFile(directory, from, "a.txt"), libgit2.ShowFile(directory, from, "a.txt"));
            Assert.Equal(_cli.ShowFile(directory, from, "no such file.txt"), libgit2.ShowFile(directory, from, "no such file.txt"));
        }

        Assert.Equal(_cli.CommitsInRange(directory, 100, "no-such-revision..HEAD"), libgit2.CommitsInRange(directory, 100, "no-such-revision..HEAD"));
        var since = $"--since={DateTimeOffset.UtcNow.AddSeconds(-5):yyyy-MM-dd'T'HH:mm:ss'Z'}";
        Assert.Equal(_cli.CommitsInRange(directory, 200, since, "HEAD"), libgit2.CommitsInRange(directory, 200, since, "HEAD"));
        Assert.Empty(libgit2.CliFallbacks);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Work_tree_snapshot_is_the_git_cli_tree_and_touches_nothing(string fixtureName)
    {
        using var fixture = GitFixtures.Create(fixtureName);
        using var libgit2 = new LibGit2Port();
        var directory = fixture.Directory;
        var before = RepositoryFiles.Capture(directory);

        var snapshot = libgit2.WriteWorkTreeSnapshot(directory, HarnessFiles.SnapshotExcludes);
        var backup = libgit2.WriteWorkTreeSnapshot(directory, HarnessFiles.BackupExcludes);

        Assert.Equal(before, RepositoryFiles.Capture(directory));
        Assert.Equal(_cli.WriteWorkTreeSnapshot(directory, HarnessFiles.SnapshotExcludes), snapshot);
        Assert.Equal(_cli.WriteWorkTreeSnapshot(directory, HarnessFiles.BackupExcludes), backup);
        Assert.Empty(libgit2.CliFallbacks);
    }

    [Fact]
    public void Folders_in_no_work_tree_are_no_repository_as_for_git()
    {
        using var fixture = GitFixtures.Create("linked worktree");
        using var bare = Harness.TestKit.TempDirectory.Create("harness-bare");
        using var outside = Harness.TestKit.TempDirectory.Create("harness-outside");
        using var links = Harness.TestKit.TempDirectory.Create("harness-links");
        Harness.TestKit.TempGitRepo.GitIn(bare.Path, "init", "--quiet", "--bare");
        var mainGitDirectory = Harness.TestKit.TempGitRepo.GitIn(fixture.Directory, "rev-parse", "--git-common-dir").Trim();
        var linked = Path.Combine(links.Path, "link to worktree");
        Directory.CreateSymbolicLink(linked, fixture.Directory);
        Directory.CreateDirectory(Path.Combine(fixture.Directory, "sub dir"));
        using var libgit2 = new LibGit2Port();

        foreach (var directory in new[] { bare.Path, outside.Path, mainGitDirectory, Path.Combine(mainGitDirectory, "refs"), Path.Combine(fixture.Directory, "sub dir"), linked, Path.Combine(outside.Path, "missing") })
        {
            Assert.Equal(_cli.Inspect(directory), libgit2.Inspect(directory));
            AssertSameSnapshot(_cli.Snapshot(directory, 3), libgit2.Snapshot(directory, 3));

            // Inside .git and in a bare repository git status fails ("must be run in a work tree"); libgit2 answers "no changes".
            Assert.Equal(libgit2.Inspect(directory).IsRepository ? _cli.Status(directory) : [], libgit2.Status(directory));
        }
    }

    [Fact]
    public void Short_hashes_grow_with_the_packed_object_count_as_git_auto_abbreviation_does()
    {
        using var repo = Harness.TestKit.TempGitRepo.Init();
        repo.CommitMany(5600); // three objects each: past 2^14 packed objects
        repo.Git("gc", "--quiet");
        using var libgit2 = new LibGit2Port();

        var commits = libgit2.RecentCommits(repo.Path, 3);

        Assert.Equal(_cli.RecentCommits(repo.Path, 3), commits);
        Assert.All(commits, c => Assert.Equal(8, c.ShortHash.Length));
    }

    internal static void AssertSameSnapshot(GitSnapshot expected, GitSnapshot actual)
    {
        Assert.Equal(expected.Repository, actual.Repository);
        Assert.Equal(expected.RecentCommits, actual.RecentCommits);
        Assert.Equal(expected.RecentFiles, actual.RecentFiles);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Warnings, actual.Warnings);
    }
}
