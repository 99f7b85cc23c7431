using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// The command line as System.CommandLine parses it for every command, the hot ones included
/// (there is no second, hand-made parser for entry and guard any more: the AOT binary starts fast
/// enough without one).
/// </summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("--project", "DIR")]
    [InlineData("-p", "DIR")]
    [InlineData("--project=DIR")]
    public void Entry_takes_every_spelling_of_the_project_option(params string[] projectOption)
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        using var elsewhere = TempDirectory.Create();
        string[] args = ["entry", "--json", "--dry-run", "--no-health", .. projectOption.Select(a => a.Replace("DIR", repo.Path))];

        var result = CliRunner.Run(elsewhere.Path, args);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal(repo.Path, json.RootElement.GetProperty("directory").GetString());
        Assert.Equal("F1", json.RootElement.GetProperty("features").GetProperty("next_feature").GetProperty("id").GetString());
    }

    [Fact]
    public void Help_and_typos_get_System_CommandLine_help_and_errors_and_write_nothing()
    {
        using var dir = TempDirectory.Create();

        var help = CliRunner.Run(dir.Path, "entry", "--help");
        var typo = CliRunner.Run(dir.Path, "entry", "--jsn");
        var twice = CliRunner.Run(dir.Path, "guard", "--project", "a", "--project", "b");
        var badPolicy = CliRunner.Run(dir.Path, "entry", "--on-crash", "explode");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--fail-on-broken", help.StdOut);
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("--jsn", typo.StdErr);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("--project", twice.StdErr);
        Assert.Equal(1, badPolicy.ExitCode);
        Assert.Contains("explode", badPolicy.StdErr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }
}
