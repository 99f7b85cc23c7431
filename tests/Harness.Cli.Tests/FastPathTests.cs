using Harness.Cli.Commands;
using Harness.TestKit;

namespace Harness.Cli.Tests;

public class FastPathTests
{
    [Fact]
    public void Matches_entry_with_known_options_in_any_order()
    {
        Assert.Equal(new EntryArguments("/p", true, true, true, true, true),
            FastPath.TryParseEntry(["entry", "--fail-on-broken", "-v", "--project", "/p", "--json", "--dry-run", "--no-health"]));
        Assert.Equal(new EntryArguments("/a b", false, false, false, false, false), FastPath.TryParseEntry(["entry", "--project=/a b"]));
        Assert.Equal(new EntryArguments("x", false, false, false, false, false), FastPath.TryParseEntry(["entry", "-p", "x"]));
        Assert.Equal(new EntryArguments(null, false, false, false, false, false), FastPath.TryParseEntry(["entry"]));
    }

    [Theory]
    [InlineData("state")]
    [InlineData("entry", "--help")]
    [InlineData("entry", "-h")]
    [InlineData("entry", "--jsn")]
    [InlineData("entry", "--project")]
    [InlineData("entry", "--project", "--json")]
    [InlineData("entry", "--project", "a", "--project", "b")]
    [InlineData("entry", "--project=")]
    [InlineData("entry", "extra")]
    public void Leaves_everything_else_to_System_CommandLine(params string[] args) => Assert.Null(FastPath.TryParseEntry(args));

    [Fact]
    public void Fallback_still_gives_help_and_errors()
    {
        using var dir = TempDirectory.Create();

        var help = CliRunner.Run(dir.Path, "entry", "--help");
        var typo = CliRunner.Run(dir.Path, "entry", "--jsn");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--fail-on-broken", help.StdOut);
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("--jsn", typo.StdErr);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }
}
