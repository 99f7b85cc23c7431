using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Git.LibGit2;

/// <summary>
/// A repository libgit2 cannot open, or would read differently from git, is served by the git CLI
/// (docs/git.md): the answers stay the CLI's, and the port says why.
/// </summary>
public sealed class LibGit2FallbackTests
{
    private readonly GitCli _cli = new();

    public static TheoryData<string, string> Cases => new()
    {
        { "partial clone extension", "libgit2 cannot open" },
        { "split index", "cannot read the index" },
        { "sparse checkout", "sparseCheckout" },
        { "per-worktree config", "worktreeConfig" },
        { "filter driver", "filter" },
        { "working-tree-encoding", "working-tree-encoding" },
        { "conditional include", "includeIf" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Repository_libgit2_cannot_serve_gets_the_git_cli_answers(string feature, string reason)
    {
        using var repo = GitFixtures.WithHistory();
        GitFixtures.AddWorkingChanges(repo);
        Give(repo, feature);
        using var libgit2 = new LibGit2Port();

        LibGit2EquivalenceTests.AssertSameSnapshot(_cli.Snapshot(repo.Path, 5), libgit2.Snapshot(repo.Path, 5));
        var fallback = Assert.Single(libgit2.CliFallbacks);
        Assert.Contains(reason, fallback.Value, StringComparison.Ordinal);
        Assert.Equal(_cli.Status(repo.Path), libgit2.Status(repo.Path));
        Assert.Equal(_cli.WriteWorkTreeSnapshot(repo.Path, HarnessFiles.SnapshotExcludes), libgit2.WriteWorkTreeSnapshot(repo.Path, HarnessFiles.SnapshotExcludes));
    }

    [Fact]
    public void When_git_cannot_run_either_the_error_says_first_why_libgit2_was_not_used()
    {
        using var repo = GitFixtures.WithHistory();
        Give(repo, "partial clone extension");
        using var libgit2 = new LibGit2Port(new GitCli(gitExecutable: Path.Combine(repo.Path, "no-such-git")));

        var info = libgit2.Inspect(repo.Path);
        var error = Assert.Throws<HarnessException>(() => libgit2.Status(repo.Path));

        Assert.StartsWith("git runs as a process for this repository (libgit2 cannot open", info.Error);
        Assert.Contains("partialclone", info.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("could not be started", info.Error, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.GitFailed, error.ErrorId);
        Assert.StartsWith("git runs as a process for this repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_repository_is_served_in_process()
    {
        using var repo = GitFixtures.WithHistory();
        using var libgit2 = new LibGit2Port(new GitCli(gitExecutable: Path.Combine(repo.Path, "no-such-git")));

        Assert.True(libgit2.Snapshot(repo.Path, 5).Repository.IsRepository);
        Assert.Null(libgit2.Inspect(repo.Path).Error);
        Assert.Empty(libgit2.CliFallbacks);
    }

    private static void Give(TempGitRepo repo, string feature)
    {
        switch (feature)
        {
            case "partial clone extension":
                repo.Git("config", "core.repositoryformatversion", "1");
                repo.Git("config", "extensions.partialClone", "origin");
                break;
            case "split index":
                repo.Git("update-index", "--split-index");
                break;
            case "sparse checkout":
                repo.Git("config", "core.sparseCheckout", "true");
                break;
            case "per-worktree config":
                repo.Git("config", "core.repositoryformatversion", "1");
                repo.Git("config", "extensions.worktreeConfig", "true");
                break;
            case "filter driver":
                repo.Git("config", "filter.upper.clean", "tr a-z A-Z");
                repo.Git("config", "filter.upper.smudge", "cat");
                repo.WriteFile(".gitattributes", "*.up filter=upper\n");
                repo.WriteFile("shout.up", "quiet words\n");
                break;
            case "working-tree-encoding":
                repo.WriteFile(".gitattributes", "*.utf16 text working-tree-encoding=UTF-16LE\n");
                break;
            case "conditional include":
                repo.WriteFile("work.gitconfig", "[user]\n\temail = work@example.invalid\n");
                repo.Git("config", $"includeIf.gitdir:{repo.Path}/.path", Path.Combine(repo.Path, "work.gitconfig"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(feature), feature, "no such case");
        }
    }
}
