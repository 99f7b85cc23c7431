using System.Globalization;
using Harness.Core.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Git;

public sealed class GitCliHistoryTests
{
    private readonly GitCli _git = new();

    [Fact]
    public void Fewer_commits_than_asked_returns_all_of_them_with_their_files()
    {
        using var repo = TempGitRepo.Init();
        var first = repo.Commit("first", ("a.txt", "a"));
        var second = repo.Commit("second", ("b.txt", "b"));
        var third = repo.Commit("third", ("c.txt", "c"), ("a.txt", "a changed"));

        var commits = _git.RecentCommits(repo.Path, 5);
        var files = _git.FilesChangedInRecentCommits(repo.Path, 5);
        var snapshot = _git.Snapshot(repo.Path, 5);

        Assert.Equal([third, second, first], commits.Select(c => c.Hash));
        Assert.Equal(["third", "second", "first"], commits.Select(c => c.Subject));
        Assert.Equal(commits, snapshot.RecentCommits);

        // a.txt changed in the newest commit, so it ranks there and is listed once.
        Assert.Equal(["a.txt", "c.txt", "b.txt"], files);
        Assert.Equal(files, snapshot.RecentFiles);
        Assert.Equal(third, snapshot.Repository.HeadCommit);
        // A young repository is normal, not worth a warning at every entry.
        Assert.Empty(snapshot.Warnings);
    }

    [Fact]
    public void More_commits_than_asked_returns_the_newest_ones_only()
    {
        using var repo = TempGitRepo.Init();
        repo.CommitMany(10);
        var expectedHashes = repo.Git("log", "-n", "5", "--format=%H").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var snapshot = _git.Snapshot(repo.Path, 5);

        Assert.Equal(expectedHashes, snapshot.RecentCommits.Select(c => c.Hash));
        Assert.Equal(["commit 10", "commit 9", "commit 8", "commit 7", "commit 6"], snapshot.RecentCommits.Select(c => c.Subject));
        Assert.Equal(["commit-10.txt", "commit-9.txt", "commit-8.txt", "commit-7.txt", "commit-6.txt"], snapshot.RecentFiles);
        Assert.Empty(snapshot.Warnings);
        Assert.Equal(expectedHashes, _git.RecentCommits(repo.Path, 5).Select(c => c.Hash));
        Assert.Equal(snapshot.RecentFiles, _git.FilesChangedInRecentCommits(repo.Path, 5));
    }

    [Fact]
    public void Commit_fields_match_what_git_reports()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("only", ("a.txt", "a"));
        var expected = repo.Git("log", "-1", "--format=%H%n%h%n%an%n%aI").Split('\n');

        var commit = Assert.Single(_git.RecentCommits(repo.Path, 1));

        Assert.Equal(expected[0], commit.Hash);
        Assert.Equal(expected[1], commit.ShortHash);
        Assert.Equal("Harness Test", commit.Author);
        Assert.Equal(expected[2], commit.Author);
        Assert.Equal(DateTimeOffset.Parse(expected[3], CultureInfo.InvariantCulture), commit.Date);
    }

    [Fact]
    public void Subjects_and_file_names_with_spaces_and_unicode_survive()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("Fix naïve café ☕ — with spaces", ("dir with space/ünïcödé file.txt", "1"), ("日本語.md", "2"));
        repo.Commit("wrapped\nsubject line\n\nbody that is not the subject", ("plain.txt", "3"));
        repo.WriteFile("untracked ünï.txt", "4");

        var snapshot = _git.Snapshot(repo.Path, 5);

        Assert.Equal(["wrapped subject line", "Fix naïve café ☕ — with spaces"], snapshot.RecentCommits.Select(c => c.Subject));
        Assert.Equal(["plain.txt", "dir with space/ünïcödé file.txt", "日本語.md"], snapshot.RecentFiles);
        Assert.Equal(new GitStatusEntry("untracked ünï.txt", '?', '?'), Assert.Single(snapshot.Status));
    }

    [UnixFact]
    public void File_names_with_newlines_and_separator_characters_survive()
    {
        // Windows cannot hold these names; everywhere else an agent can create them.
        using var repo = TempGitRepo.Init();
        repo.Commit("odd names", ("line\nbreak.txt", "1"), ("\nleading newline.txt", "2"), ("unit\u001fsep.txt", "3"));

        var files = _git.FilesChangedInRecentCommits(repo.Path, 1);

        Assert.Equal(["\nleading newline.txt", "line\nbreak.txt", "unit\u001fsep.txt"], files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Asking_for_zero_commits_returns_none()
    {
        using var repo = TempGitRepo.Init();
        var head = repo.Commit("one", ("a.txt", "1"));

        var snapshot = _git.Snapshot(repo.Path, 0);

        Assert.Empty(snapshot.RecentCommits);
        Assert.Empty(_git.RecentCommits(repo.Path, 0));
        Assert.Equal(head, snapshot.Repository.HeadCommit);
        Assert.Throws<ArgumentOutOfRangeException>(() => _git.RecentCommits(repo.Path, -1));
    }
}
