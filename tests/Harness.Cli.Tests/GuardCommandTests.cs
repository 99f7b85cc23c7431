using System.Diagnostics;
using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>The real <c>harness guard</c> process: exit code, stderr, stdout, for a representative set of hook inputs.</summary>
public sealed class GuardCommandTests : IDisposable
{
    private static readonly string HarnessDll = Path.Combine(AppContext.BaseDirectory, "harness.dll");
    private readonly TempDirectory _dir = TempDirectory.Create("guard-cli");

    public GuardCommandTests()
    {
        _dir.Write("src/app.py", "x");
        _dir.Write(".claude/progress/state.json", "{\"state\":\"FIX_BROKEN\",\"health_status\":\"BROKEN\"}");
        _dir.Write(".claude/config/project.json", "{\"health_check\":\"pytest -q\",\"guard\":{\"allowed_commands\":[\"curl\"]}}");
    }

    public void Dispose() => _dir.Dispose();

    private (int Code, string Out, string Err) Guard(string stdin, string? workingDirectory = null, params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? _dir.Path };
        info.ArgumentList.Add(HarnessDll);
        info.ArgumentList.Add("guard");
        foreach (var e in extra)
        {
            info.ArgumentList.Add(e);
        }

        info.Environment.Remove("CLAUDE_PROJECT_DIR");
        using var p = Process.Start(info)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)));
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private string Tool(string tool, string field, string value) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["session_id"] = "s1",
            ["cwd"] = _dir.Path,
            ["hook_event_name"] = "PreToolUse",
            ["tool_name"] = tool,
            ["tool_input"] = new Dictionary<string, string> { [field] = value.Replace("ROOT", _dir.Path) },
        });

    public static TheoryData<string, string, string, bool, string?> Cases => new()
    {
        { "Write", "file_path", "ROOT/src/app.py", false, "BROKEN" },
        { "Edit", "file_path", "ROOT/src/app.py", false, "BROKEN" },
        { "MultiEdit", "file_path", "src/app.py", false, "BROKEN" },
        { "NotebookEdit", "notebook_path", "ROOT/src/nb.ipynb", false, "BROKEN" },
        { "Write", "file_path", "ROOT/tests/test_x.py", true, null },
        { "Write", "file_path", "ROOT/../x", false, "outside the project" },
        { "Write", "file_path", "/etc/hosts", false, "outside the project" },
        { "Write", "file_path", "ROOT/.claude/progress/state.json", false, "harness's own file" },
        { "Edit", "file_path", "ROOT/.claude/settings.json", false, "harness's own file" },
        { "Bash", "command", "git status && npm test", true, null },
        { "Bash", "command", "curl -s localhost:3000", true, null },
        { "Bash", "command", "echo 'a && rm -rf /'", true, null },
        { "Bash", "command", "ls; rm -rf /", false, "outside the project" },
        { "Bash", "command", "echo $(wget x)", false, "'wget'" },
        { "Bash", "command", "echo `wget x`", false, "'wget'" },
        { "Bash", "command", "bash -c 'wget x'", false, "'wget'" },
        { "Bash", "command", "echo \"unterminated", false, "cannot be parsed" },
        { "Bash", "command", "FOO=1 sudo ls", false, "privilege escalation" },
        { "Bash", "command", "git push --force", false, "forced" },
        { "Bash", "command", "pkill sshd", false, "only dev processes" },
        { "Bash", "command", "chmod 777 x", false, "executable" },
        { "Bash", "command", "echo x > src/app.py", false, "BROKEN" },
        { "Bash", "command", "echo x > ../../etc/x", false, "outside the project" },
        { "Read", "file_path", "/etc/passwd", true, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_real_process_allows_with_exit_0_and_blocks_with_exit_2_and_one_line(string tool, string field, string value, bool allowed, string? reasonPart)
    {
        var (code, stdout, stderr) = Guard(Tool(tool, field, value));
        Assert.Equal("", stdout);
        if (allowed)
        {
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
        }
        else
        {
            Assert.Equal(2, code);
            Assert.Contains(reasonPart!, stderr, StringComparison.Ordinal);
            Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        }
    }

    [Theory]
    [InlineData("", "no hook input")]
    [InlineData("   \n", "no hook input")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"tool_name\":", "not valid JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{} {}", "not valid JSON")]
    [InlineData("{\"session_id\":\"x\"}", "neither hook_event_name nor tool_name")]
    [InlineData("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Write\",\"tool_input\":{\"file_path\":42}}", "malformed")]
    [InlineData("{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":{}}", "without tool_input.command")]
    public void Bad_input_fails_closed(string stdin, string reasonPart)
    {
        var (code, stdout, stderr) = Guard(stdin);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(reasonPart, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_project_json_fails_closed_naming_the_file()
    {
        _dir.Write(".claude/config/project.json", "{ \"guard\": ");
        var (code, _, stderr) = Guard(Tool("Bash", "command", "ls"));
        Assert.Equal(2, code);
        Assert.Contains("project.json", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SessionStart_prints_the_facts_as_additional_context_and_writes_nothing()
    {
        var before = File.ReadAllText(Path.Combine(_dir.Path, ".claude/progress/state.json"));
        var (code, stdout, stderr) = Guard("{\"hook_event_name\":\"SessionStart\",\"source\":\"startup\",\"cwd\":\"" + _dir.Path + "\"}");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = JsonDocument.Parse(stdout);
        var output = doc.RootElement.GetProperty("hookSpecificOutput");
        Assert.Equal("SessionStart", output.GetProperty("hookEventName").GetString());
        var context = output.GetProperty("additionalContext").GetString()!;
        Assert.Contains("health: BROKEN", context, StringComparison.Ordinal);
        Assert.Contains("next state: FIX_BROKEN", context, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(_dir.Path, ".claude/progress/state.json")));
        Assert.False(File.Exists(Path.Combine(_dir.Path, ".claude/progress/harness.lock")));
    }

    [Fact]
    public void Init_hooks_writes_settings_that_run_the_real_guard_as_a_hook()
    {
        var command = $"dotnet \"{HarnessDll}\" guard";
        _dir.Write(".claude/settings.json", "{\n  \"model\": \"sonnet\",\n  \"hooks\": { \"PreToolUse\": [ { \"matcher\": \"Bash\", \"hooks\": [ { \"type\": \"command\", \"command\": \"mine.sh\" } ] } ] }\n}\n");
        var init = CliRunner.Run(_dir.Path, "init", "--hook-command", command);
        Assert.Equal(0, init.ExitCode);
        var again = CliRunner.Run(_dir.Path, "init", "--hooks", "--hook-command", command, "--json");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("\"added\": []", again.StdOut, StringComparison.Ordinal);

        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, ".claude/settings.json")));
        Assert.Equal("sonnet", settings.RootElement.GetProperty("model").GetString());
        var pre = settings.RootElement.GetProperty("hooks").GetProperty("PreToolUse");
        Assert.Equal(2, pre.GetArrayLength());
        Assert.Equal("mine.sh", pre[0].GetProperty("hooks")[0].GetProperty("command").GetString());
        var ours = pre[1];
        Assert.Equal("Write|Edit|MultiEdit|NotebookEdit|Bash", ours.GetProperty("matcher").GetString());
        var configured = ours.GetProperty("hooks")[0].GetProperty("command").GetString()!;
        Assert.Equal(1, settings.RootElement.GetProperty("hooks").GetProperty("SessionStart").GetArrayLength());

        // Run the configured command the way Claude Code does: through the shell, hook JSON on stdin, CLAUDE_PROJECT_DIR set.
        foreach (var (input, expected) in new[] { (Tool("Write", "file_path", "ROOT/src/app.py"), 2), (Tool("Bash", "command", "git status"), 0), (Tool("Bash", "command", "wget x"), 2) })
        {
            var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir.Path };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(configured);
            info.Environment["CLAUDE_PROJECT_DIR"] = _dir.Path;
            using var p = Process.Start(info)!;
            p.StandardInput.Write(input);
            p.StandardInput.Close();
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(expected == p.ExitCode, $"{input} -> {p.ExitCode} {err}");
        }
    }

    /// <summary>Runs a hook command as Claude Code does: through the shell, the hook JSON on stdin, in the project, with <paramref name="path"/> as PATH.</summary>
    private (int Code, string Err) RunHook(string command, string input, string path)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _dir.Path };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["CLAUDE_PROJECT_DIR"] = _dir.Path;
        info.Environment["PATH"] = path;
        using var p = Process.Start(info)!;
        p.StandardInput.Write(input);
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)));
        return (p.ExitCode, err.Result);
    }

    private string HookCommandIn(string settingsFile)
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(settingsFile));
        return settings.RootElement.GetProperty("hooks").GetProperty("PreToolUse")[0].GetProperty("hooks")[0].GetProperty("command").GetString()!;
    }

    [Fact]
    public void Init_hooks_names_this_harness_by_absolute_path_so_the_guard_blocks_even_without_harness_on_PATH()
    {
        _dir.Write(".claude/progress/state.json", "{\"state\":\"IMPLEMENT\",\"health_status\":\"HEALTHY\"}");

        // Run as `dotnet harness.dll init --hooks`, the way a build output is used.
        var init = CliRunner.Run(_dir.Path, "init", "--hooks");

        Assert.Equal(0, init.ExitCode);
        var command = HookCommandIn(Path.Combine(_dir.Path, ".claude/settings.json"));
        Assert.Contains(HarnessDll, command, StringComparison.Ordinal);
        Assert.EndsWith(" guard || exit 2", command, StringComparison.Ordinal);

        // A PATH with neither harness nor dotnet on it: the hook still runs the guard.
        var outside = Path.Combine(Path.GetDirectoryName(_dir.Path)!, "outside-" + Guid.NewGuid().ToString("N") + ".txt");
        var (blocked, why) = RunHook(command, Tool("Write", "file_path", outside), "/nonexistent");
        Assert.Equal(2, blocked);
        Assert.Contains("harness guard: blocked", why, StringComparison.Ordinal);
        Assert.False(File.Exists(outside));
        Assert.Equal(0, RunHook(command, Tool("Write", "file_path", "ROOT/notes.txt"), "/nonexistent").Code);
    }

    [Fact]
    public void Init_hooks_from_the_apphost_names_the_apphost_and_a_hook_that_cannot_run_blocks()
    {
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "harness.exe" : "harness");
        var info = new ProcessStartInfo(apphost) { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("init");
        info.ArgumentList.Add("--hooks");
        using (var p = Process.Start(info)!)
        {
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)));
            Assert.Equal(0, p.ExitCode);
        }

        Assert.Equal($"{apphost} guard || exit 2", HookCommandIn(Path.Combine(_dir.Path, ".claude/settings.json")));

        // The binary gone (uninstalled, moved): the shell says "not found", and the hook blocks instead of letting the call through.
        var (code, err) = RunHook("/nonexistent/harness guard || exit 2", Tool("Write", "file_path", "ROOT/notes.txt"), "/usr/bin:/bin");
        Assert.Equal(2, code);
        Assert.Contains("not found", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_hooks_run_through_a_tool_link_names_the_link_which_survives_an_update_of_the_store()
    {
        // A native dotnet tool's command is a symbolic link into .store/<package>/<version>/...; the process path is its target.
        var apphost = Path.Combine(AppContext.BaseDirectory, "harness");
        using var tools = TempDirectory.Create("tools");
        var link = Path.Combine(tools.Path, "harness");
        File.CreateSymbolicLink(link, apphost);
        var info = new ProcessStartInfo(link) { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("init");
        info.ArgumentList.Add("--hooks");
        info.Environment["PATH"] = tools.Path + ":/usr/bin:/bin";
        using (var p = Process.Start(info)!)
        {
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(TimeSpan.FromMinutes(1)));
            Assert.Equal(0, p.ExitCode);
        }

        Assert.Equal($"{link} guard || exit 2", HookCommandIn(Path.Combine(_dir.Path, ".claude/settings.json")));
    }

    [Fact]
    public void Init_hooks_refuses_an_unparseable_settings_file_and_leaves_it_alone()
    {
        var path = _dir.Write(".claude/settings.json", "{\n  \"hooks\": {\n    \"PreToolUse\": [,]\n}\n");
        var before = File.ReadAllBytes(path);
        var result = CliRunner.Run(_dir.Path, "init", "--hooks");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("settings.json(3,", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
