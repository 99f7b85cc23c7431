using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary><c>harness entry</c> under GitHub Actions and Azure DevOps, through the real executable.</summary>
public class CiEntryTests
{
    private static Dictionary<string, string?> GitHub(string dir, params (string Name, string Value)[] more)
    {
        var env = new Dictionary<string, string?>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = Path.Combine(dir, "github-output"),
            ["GITHUB_STEP_SUMMARY"] = Path.Combine(dir, "step-summary.md"),
            ["GITHUB_WORKSPACE"] = dir,
        };
        foreach (var (name, value) in more)
        {
            env[name] = value;
        }

        return env;
    }

    private static TempGitRepo BrokenProject()
    {
        var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "echo \"::add-mask::leak\"; echo token=$HARNESS_TEST_TOKEN; exit 1", "required_env": ["HARNESS_TEST_TOKEN", "HARNESS_TEST_UNSET"] }""");
        ProjectFiles.Write(ProjectFiles.FeatureListPath(repo.Path), """{ "features": [ { "id": "F1", "name": "One", "status": "pending" }, { "id": "F1", "name": "Dup", "status": "completed" } ] }""");
        repo.Commit("broken project", ("README.md", "x"));
        return repo;
    }

    [Fact]
    public void GitHub_mode_prints_masks_group_annotations_and_writes_outputs_and_summary()
    {
        using var repo = BrokenProject();
        using var ci = TempDirectory.Create();
        var env = GitHub(ci.Path, ("HARNESS_TEST_TOKEN", "t0k%n"), ("GITHUB_WORKSPACE", repo.Path));

        var result = CliRunner.Run(repo.Path, env, "entry", "--fail-on-broken");

        Assert.Equal(3, result.ExitCode);
        var lines = result.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        // The mask comes before anything that could print the value.
        Assert.Equal("::add-mask::t0k%25n", lines[0]);
        Assert.StartsWith("::group::Health check: echo", lines[1]);
        Assert.Contains("(FAILED, exit 1, ", lines[1]);
        Assert.StartsWith("::stop-commands::", lines[2]);
        var token = lines[2]["::stop-commands::".Length..];
        Assert.Equal(["::add-mask::leak", "token=t0k%n", $"::{token}::", "::endgroup::"], lines[3..7]);

        // The text report itself is fenced too: its health tail repeats the health output.
        Assert.StartsWith("::stop-commands::", lines[7]);
        var reportToken = lines[7]["::stop-commands::".Length..];
        Assert.Equal("=== SESSION ENTRY PROTOCOL ===", lines[8]);
        var reportEnd = lines.IndexOf($"::{reportToken}::");
        Assert.True(reportEnd > 8);
        Assert.StartsWith("=== ENTRY COMPLETE", lines[reportEnd - 1]);

        Assert.Equal(
        [
            "::warning title=harness entry::required environment variables not set: HARNESS_TEST_UNSET",
            "::warning file=.claude/progress/feature-list.json,title=harness entry::duplicate feature ids: F1; give each feature its own id",
            "::error file=.claude/config/project.json,title=harness entry%3A health check failed::The app is broken: exited with code 1 (health check: echo \"::add-mask::leak\"; echo token=$HARNESS_TEST_TOKEN; exit 1). Next state FIX_BROKEN: fix it before starting new work.",
            "",
        ],
        lines[(reportEnd + 1)..]);

        var outputs = Outputs(File.ReadAllText(env["GITHUB_OUTPUT"]!));
        Assert.Equal("FIX_BROKEN", outputs["next_state"]);
        Assert.Equal("START", outputs["current_state"]);
        Assert.Equal("BROKEN", outputs["health_status"]);
        Assert.Equal("HAS_PENDING_FEATURES", outputs["feature_status"]);
        Assert.Equal("CONTINUE", outputs["session_type"]);
        Assert.Equal("2", outputs["total_features"]);
        Assert.Equal("1", outputs["pending_features"]);
        Assert.Equal("1", outputs["completed_features"]);
        Assert.Equal("F1", outputs["next_feature"]);
        Assert.Equal("", outputs["latest_summary"]);
        Assert.Equal(2, outputs["warnings"].Split('\n').Length);

        var summary = File.ReadAllText(env["GITHUB_STEP_SUMMARY"]!);
        Assert.StartsWith("### Harness session entry: FIX_BROKEN\n\n| | |\n|---|---|\n| Next state | **FIX_BROKEN** (", summary);
        Assert.Contains("| Health | ❌ BROKEN (exited with code 1) |", summary);
        Assert.Contains("| Features | 1 of 2 done, 1 remaining, 0 blocked |", summary);
        Assert.Contains("```text\n::add-mask::leak\ntoken=t0k%n\n```", summary);
        Assert.Empty(result.StdErr);
    }

    [Fact]
    public void GitHub_mode_with_json_keeps_stdout_one_document_and_sends_commands_to_stderr()
    {
        using var repo = BrokenProject();
        using var ci = TempDirectory.Create();
        var env = GitHub(ci.Path, ("HARNESS_TEST_TOKEN", "secret-value"));

        var result = CliRunner.Run(repo.Path, env, "entry", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        Assert.Equal("FIX_BROKEN", json.RootElement.GetProperty("next_state").GetString());
        Assert.False(json.RootElement.TryGetProperty("required_env", out _));
        Assert.StartsWith("::add-mask::secret-value\n::group::Health check:", result.StdErr.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("::error", result.StdErr); // not failing: no --fail-on-broken
        Assert.Contains("::warning file=", result.StdErr);
        Assert.Equal("FIX_BROKEN", Outputs(File.ReadAllText(env["GITHUB_OUTPUT"]!))["next_state"]);
    }

    [Fact]
    public void GitHub_mode_invalid_state_file_is_an_error_annotation_with_line_and_column()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteState(repo.Path, "{\n  \"state\": \"IMPLEMENT\",\n  \"dirty\": yes\n}\n");
        using var ci = TempDirectory.Create();

        var result = CliRunner.Run(repo.Path, GitHub(ci.Path, ("GITHUB_WORKSPACE", repo.Path)), "entry");

        Assert.Equal(1, result.ExitCode);
        var annotation = Assert.Single(result.StdOut.Split('\n'), l => l.StartsWith("::error", StringComparison.Ordinal));
        Assert.StartsWith("::error file=.claude/progress/state.json,line=3,col=", annotation);
        Assert.Contains(",title=harness%3A Harness.StateFileInvalid::", annotation);
        Assert.Contains("Harness.StateFileInvalid", result.StdErr); // the usual stderr line stays
        Assert.False(File.Exists(Path.Combine(ci.Path, "github-output")));
    }

    [Fact]
    public void GitHub_mode_shallow_clone_warns_with_the_checkout_fix()
    {
        using var origin = TempGitRepo.Init();
        origin.CommitMany(3);
        using var parent = TempDirectory.Create();
        var clone = Path.Combine(parent.Path, "clone");
        origin.Git("clone", "--quiet", "--depth", "1", "file://" + origin.Path, clone);
        using var ci = TempDirectory.Create();

        var result = CliRunner.Run(clone, GitHub(ci.Path), "entry", "--dry-run", "--no-health");

        Assert.Equal(0, result.ExitCode);
        var warning = Assert.Single(result.StdOut.Split('\n'), l => l.StartsWith("::warning title=harness entry%3A shallow clone::", StringComparison.Ordinal));
        Assert.Contains("fetch-depth: 0 on actions/checkout", warning);
    }

    [Fact]
    public void Azure_mode_sets_output_variables_logissues_and_completes_the_task()
    {
        using var repo = BrokenProject();
        using var agentTemp = TempDirectory.Create();
        var env = new Dictionary<string, string?>
        {
            ["TF_BUILD"] = "True",
            ["BUILD_SOURCESDIRECTORY"] = repo.Path,
            ["AGENT_TEMPDIRECTORY"] = agentTemp.Path,
            ["HARNESS_TEST_TOKEN"] = "a;b]c",
        };

        var result = CliRunner.Run(repo.Path, env, "entry", "--fail-on-broken");

        Assert.Equal(3, result.ExitCode);
        var lines = result.StdOut.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("##vso[task.setsecret]a;b]c", lines[0]);
        Assert.StartsWith("##[group]Health check: echo", lines[1]);
        Assert.Contains("##vso[task.logissue type=warning;sourcepath=.claude/progress/feature-list.json;]harness entry: duplicate feature ids: F1; give each feature its own id", lines);
        Assert.Contains("##vso[task.setvariable variable=next_state;isOutput=true;]FIX_BROKEN", lines);
        Assert.Contains("##vso[task.setvariable variable=pending_features;isOutput=true;]1", lines);
        Assert.Contains(lines, l => l.StartsWith("##vso[task.logissue type=error;sourcepath=.claude/config/project.json;]harness entry: health check failed: The app is broken", StringComparison.Ordinal));
        Assert.Equal("##vso[task.complete result=Failed;]health check failed: exited with code 1", lines[^2]);
        var upload = Assert.Single(lines, l => l.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal));
        Assert.StartsWith("### Harness session entry: FIX_BROKEN", File.ReadAllText(upload["##vso[task.uploadsummary]".Length..]));
    }

    [Fact]
    public void Plain_mode_prints_exactly_the_report_and_writes_no_ci_files()
    {
        using var repo = BrokenProject();
        using var ci = TempDirectory.Create();
        var env = GitHub(ci.Path, ("GITHUB_ACTIONS", "false"));

        var result = CliRunner.Run(repo.Path, env, "entry", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("=== SESSION ENTRY PROTOCOL (dry run: nothing written) ===", result.StdOut);
        Assert.DoesNotContain("::", result.StdOut.Replace("::add-mask::leak", ""));
        Assert.DoesNotContain("##", result.StdOut);
        Assert.False(File.Exists(env["GITHUB_OUTPUT"]!));
        Assert.False(File.Exists(env["GITHUB_STEP_SUMMARY"]!));
    }

    [Fact]
    public async Task Two_processes_appending_to_one_GITHUB_OUTPUT_keep_it_well_formed()
    {
        // Two projects (one project would serialize on harness.lock), one output file, many runs each.
        using var first = BrokenProject();
        using var second = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(second.Path, ("A1", "completed"), ("A2", "pending"));
        second.Commit("features");
        using var ci = TempDirectory.Create();
        var env = GitHub(ci.Path);
        const int runs = 12;

        async Task<int> Loop(string dir)
        {
            var failures = 0;
            for (var i = 0; i < runs; i++)
            {
                var r = await Task.Run(() => CliRunner.Run(dir, env, "entry", "--dry-run", "--no-health", "--json"));
                failures += r.ExitCode == 0 ? 0 : 1;
            }

            return failures;
        }

        var failures = await Task.WhenAll(Loop(first.Path), Loop(second.Path));

        Assert.Equal([0, 0], failures);
        var text = File.ReadAllText(env["GITHUB_OUTPUT"]!);
        var records = ParseAll(text);
        Assert.Equal(2 * runs * 11, records.Count);
        Assert.Equal(runs, records.Count(r => r is ("next_feature", "F1")));
        Assert.Equal(runs, records.Count(r => r is ("next_feature", "A2")));
        Assert.Equal(runs, records.Count(r => r.Name == "warnings" && r.Value.Contains("duplicate feature ids", StringComparison.Ordinal) && r.Value.Contains('\n')));
        var summaries = File.ReadAllText(env["GITHUB_STEP_SUMMARY"]!);
        Assert.Equal(2 * runs, summaries.Split("### Harness session entry: ").Length - 1);
    }

    private static Dictionary<string, string> Outputs(string text) => ParseAll(text).ToDictionary(r => r.Name, r => r.Value);

    /// <summary>Every record of the file, in order, strictly: one malformed line fails the test.</summary>
    private static List<(string Name, string Value)> ParseAll(string text)
    {
        var list = new List<(string, string)>();
        var lines = text.Split('\n');
        Assert.Equal("", lines[^1]);
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var heredoc = line.IndexOf("<<ghadelimiter_", StringComparison.Ordinal);
            var eq = line.IndexOf('=');
            if (heredoc > 0 && (eq < 0 || heredoc < eq))
            {
                var name = line[..heredoc];
                var delimiter = line[(heredoc + 2)..];
                var end = Array.IndexOf(lines, delimiter, i + 1);
                Assert.True(end > i, $"delimiter of {name} at line {i + 1} never closes");
                list.Add((name, string.Join("\n", lines[(i + 1)..end])));
                i = end;
                continue;
            }

            Assert.True(eq > 0, $"line {i + 1} is malformed: {line}");
            var key = line[..eq];
            Assert.Matches("^[a-z_]+$", key);
            list.Add((key, line[(eq + 1)..]));
        }

        return list;
    }
}
