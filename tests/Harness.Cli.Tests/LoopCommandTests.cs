using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Cli.Tests;

public class LoopCommandTests
{
    private static readonly string FakeAgentDll = Path.Combine(AppContext.BaseDirectory, "Harness.FakeAgent.dll");

    [Fact]
    public void Sigint_kills_the_agent_hands_off_and_leaves_the_project_clean()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        using var scratch = TempDirectory.Create();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var record = Path.Combine(scratch.Path, "agent.json");
        var shim = Shim(scratch, new JsonObject { ["steps"] = new JsonArray(new JsonObject { ["action"] = "hang" }) }, record);
        var layout = ProjectLayout.ForRoot(repo.Path);

        var cli = CliRunner.Start(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health", "--json");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(record) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
        }

        Assert.True(File.Exists(record), "the agent never started");
        Assert.True(StateStore.Load(layout)!.Dirty);
        Thread.Sleep(300);
        cli.Signal("INT");
        var result = cli.WaitAndCollect();

        Assert.Equal(130, result.ExitCode);
        Assert.False(StateStore.Load(layout)!.Dirty);
        Assert.Equal("cancelled", MetricsStore.Read(layout).Lines.Single().ExitReason);
        var agentPid = JsonNode.Parse(File.ReadAllText(record))!["pid"]!.GetValue<int>();
        Assert.False(Directory.Exists($"/proc/{agentPid}") && !File.ReadAllText($"/proc/{agentPid}/stat").Contains(") Z", StringComparison.Ordinal), $"agent {agentPid} survived");
        var last = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using var stopped = JsonDocument.Parse(last);
        Assert.Equal("stopped", stopped.RootElement.GetProperty("event").GetString());
        Assert.Equal("cancelled", stopped.RootElement.GetProperty("result").GetProperty("stop_reason").GetString());
        Assert.False(File.Exists(layout.LockFile));
    }

    [Fact]
    public void A_finished_project_exits_0_and_a_loop_stopped_short_exits_4()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var repo = TempGitRepo.Init();
        using var scratch = TempDirectory.Create();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"), ("F2", "pending"));
        repo.Commit("features");
        var shim = Shim(scratch, new JsonObject { ["steps"] = new JsonArray(new JsonObject { ["action"] = "complete_features", ["count"] = 1 }) }, null);

        var short1 = CliRunner.Run(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health", "--max-iterations", "1");
        var rest = CliRunner.Run(repo.Path, "loop", "--agent-command", shim, "--continue-delay", "0", "--no-health");

        Assert.Equal(4, short1.ExitCode);
        Assert.Contains("Stopped: MaxIterations", short1.StdOut);
        Assert.Equal(0, rest.ExitCode);
        Assert.Contains("Stopped: Complete (all 2 features done)", rest.StdOut);
    }

    [Fact]
    public void An_api_outage_past_the_outage_budget_exits_5_with_the_feature_uncharged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var project = new FakeAgentProject(["F1"], new JsonArray(new JsonObject { ["action"] = "api_error", ["status"] = 529 }), """{ "loop": { "outage_budget": 1, "retry_base_delay": 0.4 } }""");
        var repo = project.Repo;

        var result = project.Loop("--json");

        Assert.Equal(5, result.ExitCode);
        using var stopped = JsonDocument.Parse(result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        var loop = stopped.RootElement.GetProperty("result");
        Assert.Equal("outage", loop.GetProperty("stop_reason").GetString());
        Assert.Contains("loop.outage_budget", loop.GetProperty("message").GetString());
        Assert.Contains("API overloaded (529)", loop.GetProperty("sessions")[0].GetProperty("outage").GetString());
        var feature = Harness.Core.Features.FeatureStore.Load(ProjectLayout.ForRoot(repo.Path))!.Features.Single();
        Assert.Equal((Harness.Core.Features.FeatureStatuses.Pending, 0), (feature.Status, feature.Attempts));
    }

    [Fact]
    public void A_feature_marked_done_by_another_features_session_is_restored_and_built_by_its_own_session()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var steps = new JsonArray(new JsonObject { ["action"] = "complete_features", ["count"] = 1 }, new JsonObject { ["action"] = "set_status", ["id"] = "F2", ["status"] = "tested" });
        using var project = new FakeAgentProject(["F1", "F2"], steps);
        var repo = project.Repo;

        var result = project.Loop();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(1 list edits undone)", result.StdOut);
        var violation = Assert.Single(MetricsStore.Read(ProjectLayout.ForRoot(repo.Path)).Lines[0].IntegrityViolations);
        Assert.Equal("F2 had its status changed from pending to tested (a session on F1 may change only F1's status); restored", violation);
        Assert.Contains("Stopped: Complete (all 2 features done). 2 sessions", result.StdOut);
        Assert.True(File.Exists(Path.Combine(repo.Path, "features", "F2.txt")), "F2 was never built");
    }

    [Fact]
    public void A_loop_that_only_blocks_features_stops_stalled_after_stall_limit_sessions_with_exit_4()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var project = new FakeAgentProject(["F1", "F2", "F3"], new JsonArray(new JsonObject { ["action"] = "text", ["text"] = "no luck" }));

        var result = project.Loop("--stall-limit", "3");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("Stopped: Stalled (no feature advanced in 3 consecutive sessions (stall_limit 3)). 3 sessions", result.StdOut);
    }

    [Fact]
    public void Dry_run_shows_the_plan_and_runs_nothing()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        var before = repo.Git("status", "--porcelain", "--untracked-files=all");

        var result = CliRunner.Run(repo.Path, "loop", "--dry-run", "--no-health", "--agent-command", "my-agent --task {prompt}");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Next session: IMPLEMENT", result.StdOut);
        Assert.Contains("Feature: F1 Feature F1", result.StdOut);
        Assert.Contains("my-agent", result.StdOut);
        Assert.Equal(before, repo.Git("status", "--porcelain", "--untracked-files=all"));
    }

    /// <summary>A git project with pending features (and a project.json when given) whose agent plays <c>steps</c> in every session.</summary>
    private sealed class FakeAgentProject : IDisposable
    {
        private readonly TempDirectory _scratch = TempDirectory.Create();
        private readonly string _shim;

        public FakeAgentProject(string[] features, JsonArray steps, string? config = null)
        {
            Repo = TempGitRepo.Init();
            ProjectFiles.WriteFeatures(Repo.Path, [.. features.Select(id => (id, "pending"))]);
            if (config is not null)
            {
                ProjectFiles.WriteConfig(Repo.Path, config);
            }

            Repo.Commit("features");
            _shim = Shim(_scratch, new JsonObject { ["steps"] = steps }, null);
        }

        public TempGitRepo Repo { get; }

        /// <summary><c>harness loop</c> with this agent, no health check, no delay, and <paramref name="args"/>.</summary>
        public CliRunner.Result Loop(params string[] args) => CliRunner.Run(Repo.Path, ["loop", "--agent-command", _shim, "--continue-delay", "0", "--no-health", .. args]);

        public void Dispose()
        {
            Repo.Dispose();
            _scratch.Dispose();
        }
    }

    /// <summary>An executable <c>claude</c> that runs the fake agent with <paramref name="scenario"/>.</summary>
    internal static string Shim(TempDirectory scratch, JsonObject scenario, string? record)
    {
        var scenarioPath = scratch.Write("scenario.json", scenario.ToJsonString());
        var dotnet = File.Exists("/usr/share/dotnet/dotnet") ? "/usr/share/dotnet/dotnet" : "dotnet";
        var env = record is null ? "" : $"HARNESS_FAKE_RECORD='{record}' ";
        var shim = scratch.Write("claude", $"#!/bin/sh\n{env}HARNESS_FAKE_SCENARIO='{scenarioPath}' exec '{dotnet}' '{FakeAgentDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return shim;
    }
}
