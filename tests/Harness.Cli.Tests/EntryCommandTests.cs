using System.Text.Json;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Cli.Tests;

public class EntryCommandTests
{
    [Fact]
    public void Json_report_carries_the_seed_scripts_field_names()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "pending"));
        repo.Commit("features");

        var result = CliRunner.Run(repo.Path, "entry", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var root = json.RootElement;
        Assert.Equal(repo.Path, root.GetProperty("directory").GetString());
        Assert.Equal("UNKNOWN", root.GetProperty("health_status").GetString());
        Assert.Equal("HAS_PENDING_FEATURES", root.GetProperty("feature_status").GetString());
        Assert.Equal("START", root.GetProperty("current_state").GetString());
        Assert.Equal("IMPLEMENT", root.GetProperty("next_state").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latest_summary").ValueKind);
        Assert.Equal("F2", root.GetProperty("features").GetProperty("next_feature").GetProperty("id").GetString());
        Assert.Equal("features", root.GetProperty("git").GetProperty("recent_commits")[0].GetProperty("subject").GetString());
    }

    [Fact]
    public void Text_report_follows_the_seed_layout()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "x"));

        var result = CliRunner.Run(repo.Path, "entry");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Phase 1: Safety Validation", result.StdOut);
        Assert.Contains("[2/3] Features: NONE (need INIT)", result.StdOut);
        Assert.Contains("[3/3] Next state: INIT (no feature list)", result.StdOut);
        Assert.Contains("[3/3] Skill: initialization/", result.StdOut);
    }

    [Fact]
    public void Broken_project_exits_3_only_with_fail_on_broken()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "echo 'TypeError: x is undefined' >&2; exit 1" }""");

        var plain = CliRunner.Run(repo.Path, "entry");
        var failing = CliRunner.Run(repo.Path, "entry", "--fail-on-broken");

        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("APP IS BROKEN", plain.StdOut);
        Assert.Contains("TypeError: x is undefined", plain.StdOut);
        Assert.Equal(3, failing.ExitCode);
        Assert.Contains("Next state: FIX_BROKEN", failing.StdOut);
    }

    [Fact]
    public void Invalid_state_file_exits_1_naming_file_and_line_and_is_left_unchanged()
    {
        using var repo = TempGitRepo.Init();
        var path = ProjectFiles.WriteState(repo.Path, "{\n  \"state\": \"IMPLEMENT\",\n  \"dirty\": yes\n}\n");
        var before = File.ReadAllBytes(path);

        var result = CliRunner.Run(repo.Path, "entry");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Harness.StateFileInvalid", result.StdErr);
        Assert.Contains($"{path}(3,", result.StdErr);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_typo_in_a_long_state_file_prints_one_short_error()
    {
        using var repo = TempGitRepo.Init();
        var path = ProjectFiles.WriteState(repo.Path, ProjectFiles.LongState(dirty: "tru"));

        var result = CliRunner.Run(repo.Path, "entry");

        // Before: the JSON reader's message quoted the rest of the file (64 KB for this one).
        Assert.Equal(1, result.ExitCode);
        Assert.True(result.StdErr.Length < 1000, $"{result.StdErr.Length} characters on stderr");
        Assert.StartsWith($"harness: error Harness.StateFileInvalid: {path}(5,12): $.dirty: not valid JSON: 'tru' is an invalid JSON literal.", result.StdErr);
        Assert.Equal(2, result.StdErr.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void Two_entries_at_once_the_second_waits_for_the_lock_then_gets_the_lock_error()
    {
        // The first entry's health check outlasts the 5 s a writer waits for another harness.
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "sleep 9", "timeout_seconds": { "health_check": 30 } }""");

        var first = CliRunner.Start(repo.Path, "entry");
        var lockFile = ProjectLayout.ForRoot(repo.Path).LockFile;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(lockFile) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        var second = CliRunner.Run(repo.Path, "entry");
        waited.Stop();
        var firstResult = first.WaitAndCollect();

        Assert.Equal(0, firstResult.ExitCode);
        Assert.InRange(waited.Elapsed, HarnessProject.DefaultLockWait, TimeSpan.FromSeconds(8.5));
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("Harness.LockHeld", second.StdErr);
        Assert.Contains("another harness is running (pid ", second.StdErr);
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public void Health_check_past_its_timeout_is_killed_with_its_tree()
    {
        using var repo = TempGitRepo.Init();
        var marker = $"60.{Random.Shared.Next(100000, 999999)}";
        ProjectFiles.WriteConfig(repo.Path, $$"""{ "health_check": "sh -c 'sleep {{marker}}'; echo unreachable", "timeout_seconds": { "health_check": 1 } }""");

        var result = CliRunner.Run(repo.Path, "entry", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var health = json.RootElement.GetProperty("health");
        Assert.Equal("TIMED_OUT", health.GetProperty("outcome").GetString());
        Assert.Equal("BROKEN", json.RootElement.GetProperty("health_status").GetString());
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), $"took {result.Elapsed}");
        Assert.Empty(ProcessesWithArgument(marker));
    }

    [Fact]
    public void Dry_run_creates_no_state()
    {
        using var repo = TempGitRepo.Init();

        var result = CliRunner.Run(repo.Path, "entry", "--dry-run", "--no-health");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[1/3] State: WOULD CREATE (START)", result.StdOut);
        Assert.False(Directory.Exists(Path.Combine(repo.Path, ".claude")));
    }

    private static IEnumerable<int> ProcessesWithArgument(string argument)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (cmdline.Split('\0').Contains(argument))
            {
                yield return pid;
            }
        }
    }
}
