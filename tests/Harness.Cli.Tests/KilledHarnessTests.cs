using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>
/// Issue 15's "done when": after <c>kill -9</c> of <c>harness loop</c> mid-session and a second run,
/// no process of the first run is alive and nothing is committed after the second run ends.
/// </summary>
public class KilledHarnessTests
{
    /// <summary>How long the first session's setsid grandchild waits before it commits (as an orphaned agent would).</summary>
    private const int OrphanCommitDelaySeconds = 8;

    [Fact]
    public void After_kill_9_of_the_loop_the_next_run_kills_the_agent_tree_first_and_nothing_commits_afterwards()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        using var scratch = TempDirectory.Create();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var agentRecord = Path.Combine(scratch.Path, "agent.json");
        var childPidFile = Path.Combine(scratch.Path, "child.pid");
        var grandchildPidFile = Path.Combine(scratch.Path, "grandchild.pid");

        // Session 1: the agent runs a tool (its child, a shell) that starts a setsid grandchild which
        // commits a while later, then hangs. Session 2 (the second run) does its feature and ends.
        var tool = $"echo $$ > '{childPidFile}'; setsid sh -c 'echo $$ > \"{grandchildPidFile}\"; sleep {OrphanCommitDelaySeconds}; git commit -q --allow-empty -m orphan' & exec sleep 300";
        var scenario = new JsonObject
        {
            ["runs"] = new JsonArray(
                new JsonObject { ["steps"] = new JsonArray(new JsonObject { ["action"] = "shell", ["command"] = tool }, new JsonObject { ["action"] = "hang" }) },
                new JsonObject { ["steps"] = new JsonArray(new JsonObject { ["action"] = "complete_features", ["count"] = 1 }) }),
        };
        var shim = LoopCommandTests.Shim(scratch, scenario, agentRecord);
        var layout = ProjectLayout.ForRoot(repo.Path);
        var pids = new List<int>();
        try
        {
            var first = CliRunner.Start(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health");
            pids.Add(first.ProcessId);
            WaitFor(() => File.Exists(agentRecord) && ReadPid(childPidFile) is not null && ReadPid(grandchildPidFile) is not null, "the first session's agent, tool and grandchild to start");
            var grandchildStarted = DateTime.UtcNow;
            var agent = JsonNode.Parse(File.ReadAllText(agentRecord))!["pid"]!.GetValue<int>();
            var child = ReadPid(childPidFile)!.Value;
            var grandchild = ReadPid(grandchildPidFile)!.Value;
            pids.AddRange([agent, child, grandchild]);
            WaitFor(() => File.Exists(layout.ProcessRecordFile), "the process record");

            Kill9(first.ProcessId);
            first.WaitAndCollect();

            // The agent itself dies with the harness (parent-death signal); its tool's tree outlives it until the next run.
            WaitFor(() => !IsAlive(agent), $"agent {agent} to die with the harness");
            Assert.True(IsAlive(child) && IsAlive(grandchild), "the tool and its setsid grandchild run on after the harness died (else this test proves nothing)");

            var second = CliRunner.Run(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health");
            var head = repo.Git("rev-parse", "HEAD").Trim();

            Assert.Equal(0, second.ExitCode);
            Assert.Contains("Stopped: Complete", second.StdOut);
            Assert.False(IsAlive(child), $"tool {child} survived the second run");
            Assert.False(IsAlive(grandchild), $"setsid grandchild {grandchild} survived the second run");
            Assert.True(second.StdErr.Contains($"{child} sleep", StringComparison.Ordinal) && second.StdErr.Contains($"{grandchild} sh", StringComparison.Ordinal), $"the second run does not say it killed {child} and {grandchild}:\n{second.StdErr}\n{second.StdOut}");
            Assert.False(File.Exists(layout.ProcessRecordFile), "the record is removed when the run ends cleanly");

            // Past the moment the grandchild would have committed: nothing did.
            var wait = grandchildStarted.AddSeconds(OrphanCommitDelaySeconds + 2) - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
            Assert.DoesNotContain("orphan", repo.Git("log", "--all", "--format=%s"));
        }
        finally
        {
            foreach (var pid in pids.Concat(new[] { ReadPid(childPidFile), ReadPid(grandchildPidFile) }.OfType<int>()).Where(IsAlive))
            {
                Kill9(pid);
            }
        }
    }

    [Fact]
    public void The_entry_report_lists_what_it_killed_as_json()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var layout = ProjectLayout.ForRoot(repo.Path);
        using var survivor = Process.Start(new ProcessStartInfo("sleep", "300") { UseShellExecute = false })!;
        try
        {
            // A record as a harness that was killed leaves it: its own pid is long gone (a pid past the kernel's maximum).
            var stat = File.ReadAllText($"/proc/{survivor.Id}/stat");
            var startTicks = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
            var boot = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
            Directory.CreateDirectory(layout.ProgressDirectory);
            File.WriteAllText(layout.ProcessRecordFile,
                $"{{\"pid\":{survivor.Id},\"start_ticks\":{startTicks},\"parent_pid\":1,\"name\":\"sleep\",\"role\":\"agent\",\"tree\":\"0123456789abcdef\",\"harness_pid\":99999999,\"harness_start_ticks\":1,\"boot_id\":\"{boot}\",\"seen_at\":\"2026-12-02T20:00:00Z\"}}\n");

            var result = CliRunner.Run(repo.Path, "entry", "--no-health", "--json");

            Assert.Equal(0, result.ExitCode);
            using var report = JsonDocument.Parse(result.StdOut);
            var killed = report.RootElement.GetProperty("killed_survivors");
            Assert.Equal(survivor.Id, killed[0].GetProperty("pid").GetInt32());
            Assert.Equal("sleep", killed[0].GetProperty("name").GetString());
            Assert.Equal("agent", killed[0].GetProperty("role").GetString());
            Assert.True(survivor.WaitForExit(5000), "the recorded survivor was not killed");
            Assert.False(File.Exists(layout.ProcessRecordFile));
        }
        finally
        {
            if (!survivor.HasExited)
            {
                survivor.Kill();
            }
        }
    }

    [Fact]
    public void A_health_check_dies_with_a_killed_entry_and_its_setsid_grandchild_with_the_next_one()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        using var scratch = TempDirectory.Create();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        var checkPidFile = Path.Combine(scratch.Path, "check.pid");
        var grandchildPidFile = Path.Combine(scratch.Path, "grandchild.pid");
        var check = $"setsid sh -c 'echo $$ > \"{grandchildPidFile}\"; exec sleep 300' & echo $$ > '{checkPidFile}'; exec sleep 300";
        ProjectFiles.WriteConfig(repo.Path, new JsonObject { ["health_check"] = check, ["timeout_seconds"] = new JsonObject { ["health_check"] = 120 } }.ToJsonString());
        repo.Commit("project");
        var layout = ProjectLayout.ForRoot(repo.Path);
        var pids = new List<int>();
        try
        {
            var first = CliRunner.Start(repo.Path, "entry", "--json");
            pids.Add(first.ProcessId);
            WaitFor(() => ReadPid(checkPidFile) is not null && ReadPid(grandchildPidFile) is not null && File.Exists(layout.ProcessRecordFile), "the health check, its grandchild and the record");
            var checkPid = ReadPid(checkPidFile)!.Value;
            var grandchild = ReadPid(grandchildPidFile)!.Value;
            pids.AddRange([checkPid, grandchild]);

            Kill9(first.ProcessId);
            first.WaitAndCollect();

            WaitFor(() => !IsAlive(checkPid), $"health check {checkPid} to die with the harness");
            Assert.True(IsAlive(grandchild), "the setsid grandchild runs on after the harness died (else this test proves nothing)");

            var second = CliRunner.Run(repo.Path, "entry", "--no-health", "--json");

            Assert.Equal(0, second.ExitCode);
            Assert.False(IsAlive(grandchild), $"setsid grandchild {grandchild} survived the next entry");
            using var report = JsonDocument.Parse(second.StdOut);
            var killed = report.RootElement.GetProperty("killed_survivors").EnumerateArray().ToList();
            Assert.Contains(killed, k => k.GetProperty("pid").GetInt32() == grandchild && k.GetProperty("role").GetString() == "health_check");
            Assert.False(File.Exists(layout.ProcessRecordFile));
        }
        finally
        {
            foreach (var pid in pids.Concat(new[] { ReadPid(checkPidFile), ReadPid(grandchildPidFile) }.OfType<int>()).Where(IsAlive))
            {
                Kill9(pid);
            }
        }
    }

    private static int? ReadPid(string file) =>
        File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;

    /// <summary>Alive and not a zombie (a zombie has died; it only waits to be reaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Kill9(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-KILL {pid}") { UseShellExecute = false, RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 60 s for {what}");
            }

            Thread.Sleep(50);
        }
    }
}
