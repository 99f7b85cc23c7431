using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// Issue 14: entry and checkpoint save run git in-process (libgit2). A <c>git</c> first on PATH that
/// records its calls shows that no git process is started; the restore at the end starts one on
/// purpose (reset --hard stays on the git CLI, docs/git.md), which proves the recorder works.
/// </summary>
public sealed class NoGitProcessTests
{
    [Fact]
    public void Entry_and_checkpoint_save_start_no_git_process()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The recorder is a POSIX shell script; Linux and macOS CI run this.
        }

        using var repo = TempGitRepo.Init();
        using var git = new GitRecorder();
        ProjectFiles.WriteState(repo.Path, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "session_id": "s1" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("f1", "pending"));
        repo.Commit("initial", ("a.txt", "A1\n"));
        repo.WriteFile("a.txt", "A2\n");
        var environment = new Dictionary<string, string?> { ["PATH"] = git.SearchPath };

        var entry = CliRunner.Run(repo.Path, environment, "entry", "--json");
        var save = CliRunner.Run(repo.Path, environment, "checkpoint", "save", "--reason", "no git process", "--json");
        var list = CliRunner.Run(repo.Path, environment, "checkpoint", "list");

        Assert.True(entry.ExitCode == 0, entry.StdErr);
        Assert.True(save.ExitCode == 0, save.StdErr);
        Assert.Equal(0, list.ExitCode);
        Assert.Empty(git.Calls);
        Assert.Equal("", repo.Git("diff", "HEAD", "--", "a.txt"));

        using var saved = System.Text.Json.JsonDocument.Parse(save.StdOut);
        var restore = CliRunner.Run(repo.Path, environment, "checkpoint", "restore", saved.RootElement.GetProperty("name").GetString()!, "--force");
        Assert.True(restore.ExitCode == 0, restore.StdErr);
        Assert.Contains(git.Calls, c => c.Contains("reset --hard", StringComparison.Ordinal));
    }
}
