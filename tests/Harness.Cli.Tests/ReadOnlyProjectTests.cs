using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// A project whose .claude/progress cannot be written: every command that would write says so in
/// one line and exits 1. Before, entry aborted (SIGABRT, exit 134, a stack trace) and other
/// commands printed "Unhandled exception: System.IO.IOException".
/// </summary>
public class ReadOnlyProjectTests
{
    [Theory]
    [InlineData("entry", "--no-health")]
    [InlineData("entry", "--json")]
    [InlineData("checkpoint", "save")]
    [InlineData("features", "set", "F1", "--status", "completed")]
    [InlineData("summary")]
    public void A_command_that_cannot_write_the_progress_folder_says_so_in_one_line_and_exits_1(params string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("initial", ("a.txt", "A\n"));
        var progress = Path.Combine(repo.Path, ".claude", "progress");

        CliRunner.Result result;
        using (ReadOnlyFolder.Create(progress))
        {
            result = CliRunner.Run(repo.Path, args);
        }

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("harness: error Harness.IoFailed: cannot write ", line);
        Assert.Contains(progress, line);
        Assert.DoesNotContain("Unhandled exception", result.StdErr);
    }
}
