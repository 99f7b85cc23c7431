using Harness.Core.Git;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Git.LibGit2;

[CollectionDefinition(nameof(LibGit2EnvironmentTests), DisableParallelization = true)]
public sealed class LibGit2EnvironmentCollection;

/// <summary>
/// The variables git reads that libgit2 does not (identity, dates, config locations) give the same
/// commits and the same config as with git. They change the process environment, so they run alone.
/// </summary>
[Collection(nameof(LibGit2EnvironmentTests))]
public sealed class LibGit2EnvironmentTests : IDisposable
{
    private static readonly string[] Variables =
    [
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_PARAMETERS",
    ];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly TempDirectory _home = TempDirectory.Create("harness-home");
    private readonly GitCli _cli = new();

    [Fact]
    public void Identity_and_dates_from_the_environment_give_the_very_commit_git_writes()
    {
        using var repo = GitFixtures.WithHistory();
        Environment.SetEnvironmentVariable("GIT_AUTHOR_NAME", "Änne Author");
        Environment.SetEnvironmentVariable("GIT_AUTHOR_EMAIL", "anne@example.invalid");
        Environment.SetEnvironmentVariable("GIT_AUTHOR_DATE", "@1700000000 +0130");
        Environment.SetEnvironmentVariable("GIT_COMMITTER_NAME", "Carl Committer");
        Environment.SetEnvironmentVariable("GIT_COMMITTER_EMAIL", "carl@example.invalid");
        Environment.SetEnvironmentVariable("GIT_COMMITTER_DATE", "2023-11-14T22:13:20-05:00");
        using var libgit2 = new LibGit2Port();
        var tree = libgit2.WriteWorkTreeSnapshot(repo.Path, HarnessFiles.SnapshotExcludes);
        var head = libgit2.ResolveCommit(repo.Path, "HEAD")!;

        foreach (var harnessIdentity in new[] { false, true })
        {
            var byCli = _cli.CommitTree(repo.Path, tree, [head], "same commit", harnessIdentity);
            var byLibgit2 = libgit2.CommitTree(repo.Path, tree, [head], "same commit", harnessIdentity);
            Assert.Equal(byCli, byLibgit2);
        }
    }

    [Fact]
    public void An_empty_or_null_global_config_is_read_in_process_and_another_file_name_falls_back()
    {
        using var repo = GitFixtures.WithHistory();
        var empty = _home.Write("gitconfig", "");
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", empty);
        using (var libgit2 = new LibGit2Port())
        {
            Assert.Equal(_cli.Inspect(repo.Path), libgit2.Inspect(repo.Path));
            Assert.Empty(libgit2.CliFallbacks);
        }

        var named = _home.Write("custom.gitconfig", "[core]\n\tabbrev = 12\n");
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", named);
        using (var libgit2 = new LibGit2Port())
        {
            Assert.Equal(_cli.RecentCommits(repo.Path, 3), libgit2.RecentCommits(repo.Path, 3));
            Assert.Contains("GIT_CONFIG_GLOBAL", Assert.Single(libgit2.CliFallbacks).Value, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_global_config_named_gitconfig_is_read_in_process_as_git_reads_it()
    {
        using var repo = GitFixtures.WithHistory();
        var global = _home.Write(".gitconfig", "[core]\n\tabbrev = 12\n[user]\n\tname = From The Global File\n\temail = global@example.invalid\n");
        Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", global);
        Environment.SetEnvironmentVariable("GIT_CONFIG_NOSYSTEM", "1");
        using var libgit2 = new LibGit2Port();

        var commits = libgit2.RecentCommits(repo.Path, 3);
        Assert.Equal(_cli.RecentCommits(repo.Path, 3), commits);
        Assert.All(commits, c => Assert.Equal(12, c.ShortHash.Length));
        Assert.Empty(libgit2.CliFallbacks);

        var tree = libgit2.WriteWorkTreeSnapshot(repo.Path, HarnessFiles.SnapshotExcludes);
        var commit = libgit2.CommitTree(repo.Path, tree, [], "m", harnessIdentity: false);
        Assert.False(commit.UsedHarnessIdentity);
        Assert.Equal("From The Global File <global@example.invalid>", TempGitRepo.GitIn(repo.Path, "log", "-1", "--format=%an <%ae>", commit.Hash).Trim());
    }

    [Fact]
    public void Config_passed_on_a_parent_git_command_line_falls_back_to_the_git_cli()
    {
        using var repo = GitFixtures.WithHistory();
        Environment.SetEnvironmentVariable("GIT_CONFIG_PARAMETERS", "'core.abbrev'='10'");
        using var libgit2 = new LibGit2Port();

        Assert.Equal(_cli.RecentCommits(repo.Path, 2), libgit2.RecentCommits(repo.Path, 2));
        Assert.Equal(10, libgit2.RecentCommits(repo.Path, 1)[0].ShortHash.Length);
        Assert.Contains("GIT_CONFIG_PARAMETERS", Assert.Single(libgit2.CliFallbacks).Value, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        // Leave libgit2's process-wide search paths as the restored environment says.
        using var reset = new LibGit2Port();
        reset.Inspect(_home.Path);
        _home.Dispose();
    }
}
