using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Features;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary><c>harness loop --parallel N</c> with the fake agent: real worktrees, merges, health checks and processes.</summary>
public class ParallelLoopTests
{
    [Fact]
    public void Three_features_on_two_workers_are_all_merged_and_rechecked()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"), ("F3", "pending"));
        ProjectFiles.WriteConfig(repo.Path, """{"health_check": "test ! -e broken.txt"}""");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "config");
        using var scratch = TempDirectory.Create();
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("sleep", ("ms", 500)), Step("complete_features", ("count", 1))), null);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0", "--json");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var layout = ProjectLayout.ForRoot(repo.Path);
        Assert.All(FeatureStore.Load(layout)!.Features, f => Assert.Equal(FeatureStatuses.Completed, f.Status));
        foreach (var id in new[] { "F1", "F2", "F3" })
        {
            Assert.Equal($"feature {id} implemented\n", repo.Git("show", $"HEAD:features/{id}.txt"));
        }

        // Each feature one merge commit on main, whose list says it is done; main's list is the committed one.
        Assert.Equal(3, repo.Git("log", "--merges", "--format=%s").Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(s => s.StartsWith("Merge F", StringComparison.Ordinal)));
        Assert.Equal("", repo.Git("status", "--porcelain", "--untracked-files=no"));

        // The harness's .gitignore is on the main line (the worktrees need it); none of its running files are.
        Assert.Equal([".claude/progress/.gitignore", ".claude/progress/feature-list.json"], repo.Git("ls-files", ".claude/progress").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var events = Events(result.StdOut);
        Assert.Equal([1, 2], events.Where(e => e["event"]!.GetValue<string>() == "session_starting").Select(e => e["worker"]!.GetValue<int>()).Distinct().Order().Take(2));
        var metrics = MetricsStore.Read(layout).Lines;
        Assert.Equal(3, metrics.Count);
        Assert.Equal(3, metrics.Select(m => m.SessionId).Distinct().Count());
        Assert.All(metrics, m => Assert.Equal("HEALTHY", m.HealthStatus));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void Fast_forward_merges_give_a_linear_history_with_every_feature()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"), ("F3", "pending"));
        ProjectFiles.WriteConfig(repo.Path, """{"loop": {"merge": "fast_forward"}}""");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "config");
        using var scratch = TempDirectory.Create();
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("sleep", ("ms", 300)), Step("complete_features", ("count", 1))), null);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0", "--no-health");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Equal("", repo.Git("log", "--merges", "--format=%s").Trim());
        var subjects = repo.Git("log", "--format=%s").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var id in new[] { "F1", "F2", "F3" })
        {
            Assert.Contains($"feat: implement {id}", subjects);
            Assert.Equal($"feature {id} implemented\n", repo.Git("show", $"HEAD:features/{id}.txt"));
        }

        Assert.All(FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features, f => Assert.Equal(FeatureStatuses.Completed, f.Status));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void Sigint_stops_every_worker_removes_every_worktree_and_keeps_the_work()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        using var scratch = TempDirectory.Create();
        var hang = LoopCommandTests.Shim(scratch, Steps(Step("write_file", ("path", "wip/{feature}.txt"), ("text", "half of {feature}\n")), Step("hang")), null);
        var cli = CliRunner.Start(repo.Path, "loop", "--parallel", "2", "--agent-command", hang, "--continue-delay", "0", "--no-health", "--json");
        var worktrees = Path.Combine(repo.Path, ".claude", "progress", "worktrees");
        var agents = WaitForWorkers(worktrees);
        try
        {
            cli.Signal("INT");
            var result = cli.WaitAndCollect();

            Assert.Equal(130, result.ExitCode);
            Assert.All(agents, pid => Assert.False(IsRunning(pid), $"agent {pid} survived Ctrl+C"));
            Assert.Equal(["cancelled", "cancelled"], MetricsStore.Read(ProjectLayout.ForRoot(repo.Path)).Lines.Select(l => l.ExitReason));
            Assert.Equal("half of F1\n", repo.Git("show", WorkRef("F1") + ":wip/F1.txt"));
            Assert.Equal("half of F2\n", repo.Git("show", WorkRef("F2") + ":wip/F2.txt"));
            Assert.All(FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features, f => Assert.Equal(FeatureStatuses.Pending, f.Status));
            Assert.False(File.Exists(ProjectLayout.ForRoot(repo.Path).LockFile));
            AssertNothingLeft(repo);
        }
        finally
        {
            KillAll(agents);
        }
    }

    [Fact]
    public void Two_features_on_the_same_line_one_is_redone_after_the_conflict_and_told_why()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        using var scratch = TempDirectory.Create();
        var record = Path.Combine(scratch.Path, "last-session.json");
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("write_file", ("path", "shared.txt"), ("text", "the line, as {feature} wants it\n")), Step("sleep", ("ms", 300)), Step("complete_features", ("count", 1))), record);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0", "--no-health", "--json");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var features = FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features;
        Assert.All(features, f => Assert.Equal(FeatureStatuses.Completed, f.Status));
        var redone = Assert.Single(features, f => f.Attempts == 1);
        Assert.Contains("conflicted", redone.Notes);
        Assert.Contains("shared.txt", redone.Notes);
        Assert.Equal($"the line, as {redone.Id} wants it\n", repo.Git("show", "HEAD:shared.txt"));
        Assert.Equal(3, MetricsStore.Read(ProjectLayout.ForRoot(repo.Path)).Lines.Count);

        // The redo started from the main line with the other feature's work, and its prompt said what conflicted.
        var prompt = JsonNode.Parse(File.ReadAllText(record))!["prompt"]!.GetValue<string>();
        Assert.Contains($"The previous attempt at {redone.Id} was not merged", prompt);
        Assert.Contains("shared.txt", prompt);
        var kept = repo.Git("rev-parse", WorkRef(redone.Id)).Trim();
        Assert.Contains($"the line, as {redone.Id} wants it", repo.Git("show", kept + ":shared.txt"));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void A_worker_that_breaks_the_health_check_is_not_merged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        ProjectFiles.WriteConfig(repo.Path, """{"health_check": "test ! -f broken.txt", "loop": {"feature_attempts": 2}}""");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "config");
        using var scratch = TempDirectory.Create();
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("write_file", ("path", "broken.txt"), ("feature", "F2")), Step("complete_features", ("count", 1))), null);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0");

        Assert.True(result.ExitCode == 4, result.StdOut + result.StdErr);
        var features = FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features;
        Assert.Equal(FeatureStatuses.Completed, features.Single(f => f.Id == "F1").Status);
        var f2 = features.Single(f => f.Id == "F2");
        Assert.Equal(FeatureStatuses.Blocked, f2.Status);
        Assert.Contains("health check failed", f2.Notes);
        Assert.Contains("features/F1.txt", repo.Git("ls-tree", "-r", "--name-only", "HEAD"));
        Assert.DoesNotContain("broken.txt", repo.Git("ls-tree", "-r", "--name-only", "HEAD"));
        Assert.DoesNotContain("features/F2.txt", repo.Git("ls-tree", "-r", "--name-only", "HEAD"));
        Assert.Contains("broken.txt", repo.Git("ls-tree", "-r", "--name-only", WorkRef("F2")));

        // In a log, each worker's lines are marked with it.
        Assert.Contains("[worker 1]", result.StdErr);
        Assert.Contains("[worker 2]", result.StdErr);
        AssertNothingLeft(repo);
    }

    [Fact]
    public void A_worker_that_breaks_its_copy_of_the_feature_list_fails_alone_and_the_run_goes_on()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        ProjectFiles.WriteConfig(repo.Path, """{"loop": {"feature_attempts": 1}}""");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "config");
        using var scratch = TempDirectory.Create();
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("complete_features", ("count", 1)), Step("write_file", ("path", ".claude/progress/feature-list.json"), ("text", "{ not json"), ("feature", "F2"))), null);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0", "--no-health");

        Assert.True(result.ExitCode == 4, result.StdOut + result.StdErr);
        var features = FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features;
        Assert.Equal(FeatureStatuses.Completed, features.Single(f => f.Id == "F1").Status);
        var f2 = features.Single(f => f.Id == "F2");
        Assert.Equal(FeatureStatuses.Blocked, f2.Status);
        Assert.Contains("not valid JSON", f2.Notes);
        Assert.DoesNotContain("features/F2.txt", repo.Git("ls-tree", "-r", "--name-only", "HEAD"));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void An_agent_that_cannot_start_stops_the_run_saying_why_with_no_feature_charged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        using var scratch = TempDirectory.Create();
        var script = Path.Combine(scratch.Path, "agent.sh");
        File.WriteAllText(script, "#!/bin/sh\necho 'no-such-helper: command not found' >&2\nexit 127\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", script, "--continue-delay", "0", "--no-health");

        Assert.True(result.ExitCode != 0, result.StdOut + result.StdErr);
        Assert.Contains("Stopped: AgentUnavailable", result.StdOut);
        Assert.Contains("no-such-helper: command not found", result.StdOut[result.StdOut.IndexOf("Stopped: AgentUnavailable", StringComparison.Ordinal)..]);
        Assert.DoesNotContain("did not start: .", result.StdOut);
        Assert.All(FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features, f => Assert.Equal((FeatureStatuses.Pending, 0), (f.Status, f.Attempts)));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void An_api_outage_in_a_worker_is_waited_out_then_stops_the_run_with_exit_5_and_charges_no_feature()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        ProjectFiles.WriteConfig(repo.Path, """{"loop": {"outage_budget": 1, "retry_base_delay": 0.4}}""");
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "config");
        using var scratch = TempDirectory.Create();
        var shim = LoopCommandTests.Shim(scratch, Steps(Step("api_error", ("status", 529))), null);

        var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", shim, "--continue-delay", "0", "--no-health", "--json");

        Assert.True(result.ExitCode == 5, result.StdOut + result.StdErr);
        var events = Events(result.StdOut);
        Assert.Contains(events, e => (string?)e["event"] == "waiting" && e["worker"] is JsonValue);
        var stopped = events.Last()["result"]!;
        Assert.Equal("outage", (string?)stopped["stop_reason"]);
        Assert.Contains("loop.outage_budget", (string?)stopped["message"]);
        Assert.All(FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features, f => Assert.Equal((FeatureStatuses.Pending, 0), (f.Status, f.Attempts)));
        AssertNothingLeft(repo);
    }

    [Fact]
    public void Kill_9_during_a_parallel_run_then_the_next_run_recovers_with_no_work_lost()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = Project(("F1", "pending"), ("F2", "pending"));
        using var hanging = TempDirectory.Create();
        var hang = LoopCommandTests.Shim(hanging, Steps(Step("write_file", ("path", "wip/{feature}.txt"), ("text", "half of {feature}\n")), Step("hang")), null);
        var cli = CliRunner.Start(repo.Path, "loop", "--parallel", "2", "--agent-command", hang, "--continue-delay", "0", "--no-health");
        var agents = WaitForWorkers(Path.Combine(repo.Path, ".claude", "progress", "worktrees"));
        try
        {
            cli.Signal("KILL");
            cli.WaitAndCollect();
            // Workers' agents start with the parent-death signal (docs/loop.md, Processes): they die with the harness.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (agents.Any(IsRunning) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            Assert.All(agents, pid => Assert.False(IsRunning(pid), $"agent {pid} outlived the killed harness"));

            using var finishing = TempDirectory.Create();
            var finish = LoopCommandTests.Shim(finishing, Steps(Step("complete_features", ("count", 1))), null);
            var result = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", finish, "--continue-delay", "0", "--no-health");

            Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
            Assert.Contains("kept at refs/harness/work/F1", result.StdErr);
            Assert.All(agents, pid => Assert.False(IsRunning(pid), $"agent {pid} of the killed run survived recovery"));
            Assert.All(FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features, f => Assert.Equal(FeatureStatuses.Completed, f.Status));
            Assert.Equal("half of F1\n", repo.Git("show", WorkRef("F1") + ":wip/F1.txt"));
            Assert.Equal("half of F2\n", repo.Git("show", WorkRef("F2") + ":wip/F2.txt"));
            AssertNothingLeft(repo);
        }
        finally
        {
            KillAll(agents);
        }
    }

    /// <summary>Waits until both workers' agents wrote their file; their processes (by working folder).</summary>
    private static List<int> WaitForWorkers(string worktrees)
    {
        var wip = new[] { Path.Combine(worktrees, "worker-1", "wip", "F1.txt"), Path.Combine(worktrees, "worker-2", "wip", "F2.txt") };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!wip.All(File.Exists) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.True(wip.All(File.Exists), "the workers never started");
        var agents = ProcessesWorkingUnder(worktrees);
        Assert.NotEmpty(agents);
        return agents;
    }

    private static void KillAll(IEnumerable<int> pids)
    {
        foreach (var pid in pids.Where(IsRunning))
        {
            try
            {
                Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (ArgumentException)
            {
            }
        }
    }

    [Fact]
    public void A_start_workers_could_not_build_on_is_refused_with_the_file_and_the_fix_and_nothing_made()
    {
        using var repo = Project(("F1", "pending"));
        repo.Commit("readme", ("README.md", "v1\n"));
        repo.WriteFile("README.md", "changed, not committed\n");

        var dirty = CliRunner.Run(repo.Path, "loop", "--parallel", "2", "--agent-command", "true", "--no-health");
        var zero = CliRunner.Run(repo.Path, "loop", "--parallel", "0", "--agent-command", "true", "--no-health");

        Assert.NotEqual(0, dirty.ExitCode);
        Assert.Contains("uncommitted changes to README.md", dirty.StdErr);
        Assert.Contains("Commit or stash them", dirty.StdErr);
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("--parallel must be between 1 and 64", zero.StdErr + zero.StdOut);
        Assert.Equal("changed, not committed\n", File.ReadAllText(Path.Combine(repo.Path, "README.md")));
        AssertNothingLeftButTheChange(repo);
    }

    private static void AssertNothingLeftButTheChange(TempGitRepo repo)
    {
        Assert.False(Directory.Exists(Path.Combine(repo.Path, ".claude", "progress", "worktrees")));
        Assert.Equal("", repo.Git("branch", "--list", "harness/*").Trim());
        Assert.Equal("", repo.Git("for-each-ref", "refs/harness/").Trim());
    }

    [Fact]
    public void The_guard_lets_a_worker_write_its_own_worktree_and_nothing_else()
    {
        using var repo = Project(("F1", "pending"));
        var worker1 = Path.Combine(repo.Path, ".claude", "progress", "worktrees", "worker-1");
        var worker2 = Path.Combine(repo.Path, ".claude", "progress", "worktrees", "worker-2");
        repo.Git("worktree", "add", "-q", "-b", "harness/worker-1", worker1);
        repo.Git("worktree", "add", "-q", "-b", "harness/worker-2", worker2);

        Assert.Equal(0, Guard(worker1, Path.Combine(worker1, "src", "app.py")));
        Assert.Equal(2, Guard(worker1, Path.Combine(repo.Path, "src", "app.py")));
        Assert.Equal(2, Guard(worker1, Path.Combine(worker2, "src", "app.py")));
        Assert.Equal(2, Guard(worker1, Path.Combine(worker1, ".git")));
        Assert.Equal(2, Guard(worker1, Path.Combine(worker1, ".claude", "progress", "state.json")));

        // From the main project, the workers' folder is the harness's.
        Assert.Equal(0, Guard(repo.Path, Path.Combine(repo.Path, "src", "app.py")));
        Assert.Equal(2, Guard(repo.Path, Path.Combine(worker1, "src", "app.py")));
    }

    private static int Guard(string projectDirectory, string target)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = projectDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        info.ArgumentList.Add("guard");
        info.Environment["CLAUDE_PROJECT_DIR"] = projectDirectory;
        using var process = Process.Start(info)!;
        process.StandardInput.Write(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["session_id"] = "s1",
            ["cwd"] = projectDirectory,
            ["hook_event_name"] = "PreToolUse",
            ["tool_name"] = "Write",
            ["tool_input"] = new Dictionary<string, string> { ["file_path"] = target, ["content"] = "x" },
        }));
        process.StandardInput.Close();
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
        return process.ExitCode;
    }

    private static TempGitRepo Project(params (string Id, string Status)[] features)
    {
        var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, features);
        repo.Commit("features");
        return repo;
    }

    private static string WorkRef(string feature) => "refs/harness/work/" + feature;

    private static JsonObject Steps(params JsonObject[] steps) => new() { ["steps"] = new JsonArray(steps) };

    private static JsonObject Step(string action, params (string Name, JsonNode? Value)[] fields)
    {
        var step = new JsonObject { ["action"] = action };
        foreach (var (name, value) in fields)
        {
            step[name] = value;
        }

        return step;
    }

    private static List<JsonObject> Events(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    /// <summary>No worktree but the main one, no worker branch, no worker folder or record, no git operation half-done.</summary>
    private static void AssertNothingLeft(TempGitRepo repo)
    {
        Assert.Single(repo.Git("worktree", "list", "--porcelain").Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
        Assert.Equal("", repo.Git("branch", "--list", "harness/*").Trim());
        var folder = Path.Combine(repo.Path, ".claude", "progress", "worktrees");
        Assert.False(Directory.Exists(folder), "the workers' folder is left");
        Assert.False(File.Exists(Path.Combine(repo.Path, ".git", "MERGE_HEAD")));
        Assert.Equal("", repo.Git("status", "--porcelain", "--untracked-files=no").Trim());
    }

    private static List<int> ProcessesWorkingUnder(string folder)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var cwd = new FileInfo(Path.Combine(directory, "cwd")).LinkTarget;
                if (cwd is not null && cwd.StartsWith(folder, StringComparison.Ordinal))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }

        return pids;
    }

    private static bool IsRunning(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z", StringComparison.Ordinal);
}
