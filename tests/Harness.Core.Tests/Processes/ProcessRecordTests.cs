using System.Diagnostics;
using System.Text;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;
using Harness.Core.Processes;

namespace Harness.Core.Tests.Processes;

/// <summary>
/// The record of a running child's tree and the next run's crash recovery from it
/// (<see cref="ProcessRecord.KillSurvivors"/>), on real processes: a survivor is killed only when it is
/// the very process that was recorded and the harness that recorded it is gone.
/// </summary>
public sealed class ProcessRecordTests : IDisposable
{
    /// <summary>A pid no process has: past the kernel's maximum (2^22).</summary>
    private const int DeadHarnessPid = 99_999_999;

    private readonly TempDirectory _temp = new();
    private readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        _temp.Dispose();
    }

    [LinuxFact]
    public void A_recorded_survivor_of_a_dead_harness_is_killed_and_the_record_removed()
    {
        var survivor = Sleep();
        var record = Write(Line(survivor.Id, StartTicks(survivor.Id), "agent", "tree-a"));

        var result = ProcessRecord.KillSurvivors(record);

        Assert.Contains(result.Killed, k => k.Pid == survivor.Id && k.Name == "sleep" && k.Role == "agent");
        Assert.True(survivor.WaitForExit(5000), "the survivor is still running");
        Assert.False(File.Exists(record));
    }

    [LinuxFact]
    public void A_recycled_pid_is_never_killed()
    {
        // The pid is the one recorded, the start time is not: another process got the pid since.
        var stranger = Sleep();
        var record = Write(Line(stranger.Id, StartTicks(stranger.Id) - 1, "agent", "tree-a"));

        var result = ProcessRecord.KillSurvivors(record);

        Assert.Empty(result.Killed);
        Assert.True(ProcessTestSupport.IsAlive(stranger.Id));
    }

    [LinuxFact]
    public void A_process_started_after_the_last_record_is_found_by_its_tree_marker()
    {
        // Not in the record by pid, but it carries the recorded tree's marker (it inherited it).
        var late = Sleep(("HARNESS_PROCESS_TREE", "tree-b"));
        var record = Write(Line(DeadHarnessPid - 1, 12345, "health_check", "tree-b"));

        var result = ProcessRecord.KillSurvivors(record);

        Assert.Contains(result.Killed, k => k.Pid == late.Id && k.Role == "health_check");
        Assert.True(late.WaitForExit(5000), "the marked process is still running");
    }

    [LinuxFact]
    public void Nothing_is_killed_while_the_harness_that_recorded_it_lives()
    {
        var harness = Sleep();
        var child = Sleep();
        var line = Line(child.Id, StartTicks(child.Id), "agent", "tree-c");
        line.HarnessPid = harness.Id;
        line.HarnessStartTicks = StartTicks(harness.Id);
        var record = Write(line);

        var result = ProcessRecord.KillSurvivors(record);

        Assert.Empty(result.Killed);
        Assert.True(ProcessTestSupport.IsAlive(child.Id));
        Assert.True(File.Exists(record), "a live harness's record is its own");
    }

    [LinuxFact]
    public void No_record_reads_nothing_and_kills_nothing()
    {
        var result = ProcessRecord.KillSurvivors(_temp.File("processes.jsonl"));

        Assert.Same(SurvivorKill.None, result);
    }

    [LinuxFact]
    public async Task A_watched_child_is_recorded_while_it_runs_and_its_lines_go_when_it_ends()
    {
        var path = _temp.File("processes.jsonl");
        var pidFile = _temp.File("sleep.pid");
        var spec = new ProcessSpec
        {
            FileName = "/bin/sh",
            Arguments = ["-c", $"sleep 300 & echo $! > {pidFile}; wait"],
            WorkingDirectory = _temp.Path,
            WatchDescendants = true,
            DieWithHarness = true,
            Record = new ProcessRecord(path),
            RecordRole = "health_check",
        };

        var run = ProcessRunner.RunAsync(spec);
        ProcessTestSupport.WaitUntil(() => ProcessRecord.Read(path).Any(l => l.Name == "sleep"), "the child's child in the record");
        var lines = ProcessRecord.Read(path);
        ProcessTestSupport.KillQuietly(ProcessTestSupport.ReadPids(pidFile));
        var result = await run;

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(lines, l => l.Pid == result.ProcessId && l.StartTicks is not null);
        Assert.All(lines, l => Assert.Equal("health_check", l.Role));
        Assert.Single(lines.Select(l => l.Tree).Distinct());
        Assert.All(lines, l => Assert.Equal(Environment.ProcessId, l.HarnessPid));
        Assert.False(File.Exists(path), "a child that ended cleanly leaves no record");
    }

    private Process Sleep(params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("sleep", "300") { UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        _started.Add(process);
        return process;
    }

    private static long StartTicks(int pid) => ProcessTable.ReadOne(pid)!.Value.StartTime!.Value;

    private static ProcessRecordLineJson Line(int pid, long startTicks, string role, string tree) => new()
    {
        Pid = pid,
        StartTicks = startTicks,
        ParentPid = 1,
        Name = "sleep",
        Role = role,
        Tree = tree,
        HarnessPid = DeadHarnessPid,
        HarnessStartTicks = 1,
        BootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(),
        SeenAt = DateTimeOffset.UtcNow,
    };

    private string Write(params ProcessRecordLineJson[] lines)
    {
        var path = _temp.File("processes.jsonl");
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(Encoding.UTF8.GetString(HarnessJson.LineBytes(line, HarnessJsonContext.Default.ProcessRecordLineJson))).Append('\n');
        }

        File.WriteAllText(path, text.ToString());
        return path;
    }
}
