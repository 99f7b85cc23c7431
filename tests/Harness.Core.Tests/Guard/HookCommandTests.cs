using System.Text.Json.Nodes;
using Harness.Core.Guard;
using Harness.Core.Project;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Guard;

/// <summary>The guard's hook command never fails open: absolute paths, <c>|| exit 2</c>, stale forms rewritten, and a probe that proves it runs.</summary>
public class HookCommandTests
{
    [Theory]
    [InlineData("harness guard", "harness guard || exit 2")]
    [InlineData("  /opt/h/harness guard || exit 2 ", "/opt/h/harness guard || exit 2")]
    public void A_user_given_command_is_made_to_fail_closed_once(string given, string expected) =>
        Assert.Equal(expected, HookCommand.FailClosed(given));

    [UnixFact]
    public void The_command_for_an_executable_is_its_absolute_path_quoted_for_the_shell()
    {
        Assert.Equal("/opt/tools/harness guard || exit 2", HookCommand.ForExecutable("/opt/tools/harness"));
        Assert.Equal("'/opt/my tools/harness' guard || exit 2", HookCommand.ForExecutable("/opt/my tools/harness"));
        Assert.Equal("/usr/share/dotnet/dotnet '/it'\\''s/harness.dll' guard || exit 2", HookCommand.ForExecutable("/usr/share/dotnet/dotnet", "/it's/harness.dll"));
    }

    [Theory]
    [InlineData("harness guard", true)]
    [InlineData("/home/me/.dotnet/tools/harness guard || exit 2", true)]
    [InlineData("'/my tools/harness' guard --project .", true)]
    [InlineData("dotnet \"/x/bin/harness.dll\" guard", true)]
    [InlineData("/usr/share/dotnet/dotnet '/x y/harness.dll' guard || exit 2", true)]
    [InlineData("harness entry", false)]
    [InlineData("harness", false)]
    [InlineData("harnessx guard", false)]
    [InlineData("python3 \"$CLAUDE_PROJECT_DIR/.claude/hooks/block-src.py\"", false)]
    [InlineData("harness 'guard", false)]
    public void Guard_commands_are_recognised_in_every_form_init_ever_wrote(string command, bool expected) =>
        Assert.Equal(expected, HookCommand.IsGuardCommand(command));

    [Fact]
    public void Without_a_harness_executable_the_hook_still_fails_closed()
    {
        // The test host is not the harness CLI, and an empty PATH and HOME hide any installed one.
        var command = HookCommand.ForThisHarness(_ => null);

        Assert.Equal(HookCommand.Unresolved, command);
        Assert.EndsWith("|| exit 2", command);
    }

    [Fact]
    public void An_installed_harness_is_found_on_path_or_in_the_dotnet_tools_folder()
    {
        using var home = TempDirectory.Create();
        var tools = Directory.CreateDirectory(Path.Combine(home.Path, ".dotnet", "tools")).FullName;
        var exe = Path.Combine(tools, OperatingSystem.IsWindows() ? "harness.exe" : "harness");
        File.WriteAllText(exe, "");

        Assert.Equal(exe, HookCommand.FindInstalled(name => name == "HOME" || name == "USERPROFILE" ? home.Path : null));
        Assert.Equal(exe, HookCommand.FindInstalled(name => name == "PATH" ? tools : null));
        Assert.Null(HookCommand.FindInstalled(_ => null));
    }

    [Fact]
    public void Init_hooks_rewrites_a_bare_harness_guard_and_keeps_every_other_hook()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(layout.ClaudeSettingsFile)!);
        File.WriteAllText(layout.ClaudeSettingsFile, """
            {
              "model": "sonnet",
              "hooks": {
                "PreToolUse": [
                  { "matcher": "Bash", "hooks": [ { "type": "command", "command": "mine.sh" } ] },
                  { "matcher": "Write|Edit|MultiEdit|NotebookEdit|Bash", "hooks": [ { "type": "command", "command": "harness guard", "timeout": 30 } ] }
                ],
                "SessionStart": [ { "hooks": [ { "type": "command", "command": "harness guard", "timeout": 30 } ] } ]
              }
            }
            """);

        var result = HookSettings.Install(layout, "/opt/h/harness guard");
        var again = HookSettings.Install(layout, "/opt/h/harness guard");

        Assert.Equal(["PreToolUse", "SessionStart"], result.Updated);
        Assert.Empty(result.Added);
        Assert.True(result.Changed);
        Assert.Equal(["PreToolUse", "SessionStart"], again.Existing);
        Assert.False(again.Changed);
        var root = JsonNode.Parse(File.ReadAllText(layout.ClaudeSettingsFile))!;
        Assert.Equal("sonnet", (string?)root["model"]);
        var pre = root["hooks"]!["PreToolUse"]!.AsArray();
        Assert.Equal("mine.sh", (string?)pre[0]!["hooks"]![0]!["command"]);
        Assert.Equal("/opt/h/harness guard || exit 2", (string?)pre[1]!["hooks"]![0]!["command"]);
        Assert.Equal("/opt/h/harness guard || exit 2", (string?)root["hooks"]!["SessionStart"]![0]!["hooks"]![0]!["command"]);
        Assert.Equal(["/opt/h/harness guard || exit 2"], HookSettings.GuardCommandsIn(layout.ClaudeSettingsFile));
    }

    [UnixFact]
    public async Task The_probe_passes_a_hook_that_runs_the_guard_and_names_what_is_wrong_with_one_that_does_not()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var guard = Path.Combine(dir.Path, "fake-guard.sh");
        File.WriteAllText(guard, "#!/bin/sh\ncat > /dev/null\necho \"harness guard: blocked Write of $CLAUDE_PROJECT_DIR/../x: outside the project\" >&2\nexit 2\n");
        var allows = Path.Combine(dir.Path, "allows.sh");
        File.WriteAllText(allows, "#!/bin/sh\ncat > /dev/null\nexit 0\n");

        Assert.Null(await HookCheck.ProbeAsync($"sh {guard} || exit 2", layout));
        Assert.Contains("does not run the harness guard", await HookCheck.ProbeAsync($"sh {allows}", layout));
        var missing = await HookCheck.ProbeAsync("/nonexistent/bin/harness guard || exit 2", layout);
        Assert.StartsWith("exit code 2: ", missing);
        Assert.Contains("not found", missing);
        Assert.StartsWith("exit code 127", await HookCheck.ProbeAsync("/nonexistent/bin/harness guard", layout));
    }
}
