using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json;
using System.Text.RegularExpressions;
using Harness.TestKit;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>A stopped pipeline stops the agent at once and hands off (issue: the loop ran on to the end).</summary>
public sealed class StoppingTests
{
    [UnixFact]
    public void Select_Object_First_stops_the_loop_after_the_first_session_and_hands_off()
    {
        // Before: Select-Object -First stopped only the output; the agent ran for every feature.
        using var repo = TestProjects.WithFeatures(("F1", "pending"), ("F2", "pending"), ("F3", "pending"));
        using var outside = TempDirectory.Create();
        var runLog = Path.Combine(outside.Path, "runs.log");
        var agent = TestProjects.Agent(outside.Path, runLog);
        using var session = new ModuleSession();

        var clock = Stopwatch.StartNew();
        var first = session.Run(
            "Start-AutonomousLoop -LiteralPath $args[0] -AgentCommand $args[1] -SkipHealthCheck -ContinueDelay 30 | Select-Object -First 1",
            repo.Path,
            $"sh {agent} {{prompt_file}}");

        Assert.Single(first);
        Assert.Equal(1, TestProjects.Lines(runLog));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"waited out the continue delay: {clock.Elapsed}");
        using var state = JsonDocument.Parse(File.ReadAllText(ProjectFiles.StatePath(repo.Path)));
        Assert.False(state.RootElement.GetProperty("dirty").GetBoolean());
        Assert.Single(Regex.Matches(File.ReadAllText(ProjectFiles.FeatureListPath(repo.Path)), "\"tested\""));
    }

    [UnixFact]
    public void Stop_kills_the_agent_hands_the_session_off_and_returns()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var outside = TempDirectory.Create();
        var pidFile = Path.Combine(outside.Path, "agent.pid");
        var agent = TestProjects.HangingAgent(outside.Path, pidFile);
        using var session = new ModuleSession();
        using var ps = session.Create();
        ps.AddScript("Start-AutonomousLoop -LiteralPath $args[0] -AgentCommand $args[1] -SkipHealthCheck -ContinueDelay 0").AddArgument(repo.Path).AddArgument($"sh {agent}");

        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(pidFile) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.True(File.Exists(pidFile), "the agent never started");
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        ps.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Stop() took {clock.Elapsed}");
        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.False(Alive(pid), $"the agent (pid {pid}) still runs");

        // Stop() returns after the cmdlet did: the hand-off is on disk by then.
        using var state = JsonDocument.Parse(File.ReadAllText(ProjectFiles.StatePath(repo.Path)));
        Assert.False(state.RootElement.GetProperty("dirty").GetBoolean());
        var metrics = File.ReadAllLines(Path.Combine(repo.Path, ".claude", "progress", "metrics.jsonl"));
        Assert.Contains("\"cancelled\"", Assert.Single(metrics), StringComparison.Ordinal);
    }

    /// <summary>Running, not gone and not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
