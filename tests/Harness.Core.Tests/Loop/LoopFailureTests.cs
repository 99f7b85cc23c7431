using System.Text.Json.Nodes;
using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Json;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Summaries;
using Harness.Core.Tests.Git;
using Harness.TestKit;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Loop;

/// <summary>Failures are shown (denials, stderr, estimated cost) and an agent that never started is not charged to a feature.</summary>
public class LoopFailureTests
{
    private static async Task<(LoopResult Result, List<LoopEvent> Events)> Run(LoopProject project, LoopOptions options)
    {
        var events = new List<LoopEvent>();
        using var opened = TestProject.Open(project.Path);
        var result = await opened.RunLoopAsync(options, e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        return (result, events);
    }

    private static string WriteScript(LoopProject project, string name, string body)
    {
        var path = project.ScratchFile(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    /// <summary>Nothing of a session that never ran is left: no commit, no summary, no metrics line, state clean, the feature untouched.</summary>
    private static void AssertNothingRecorded(LoopProject project, string headBefore)
    {
        var layout = ProjectLayout.ForRoot(project.Path);
        Assert.Equal(headBefore, project.Repo.Git("rev-parse", "HEAD"));
        Assert.Empty(MetricsStore.Read(layout).Lines);
        Assert.False(Directory.Exists(layout.SessionsDirectory) && Directory.EnumerateFiles(layout.SessionsDirectory).Any());
        Assert.False(File.Exists(SessionBaseline.PathFor(layout)));
        var state = StateStore.Load(layout)!;
        Assert.False(state.Dirty);
        Assert.Equal(0, state.Iteration);
        var feature = FeatureStore.Load(layout)!.Features.Single();
        Assert.Equal((FeatureStatuses.Pending, 0), (feature.Status, feature.Attempts));
    }

    [UnixFact]
    public async Task An_agent_whose_program_is_not_found_exit_127_stops_the_loop_with_its_stderr_and_charges_nothing()
    {
        using var project = Create(("F1", "pending"));
        var agent = WriteScript(project, "claude", "exec /nonexistent/bin/claude-code \"$@\"\n");
        var head = project.Repo.Git("rev-parse", "HEAD");

        var (result, _) = await Run(project, project.Options() with { AgentCommand = agent, FeatureAttempts = 1 });

        Assert.Equal(LoopStopReason.AgentUnavailable, result.StopReason);
        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.StartFailed, AgentStartFailure.CommandNotRunnable), (session.Outcome, session.StartFailure));
        Assert.Contains("not found", session.StandardErrorTail);
        Assert.Contains("/nonexistent/bin/claude-code", result.Message);
        Assert.Contains("No feature was charged", result.Message);
        Assert.Null(session.CheckpointCommit);
        AssertNothingRecorded(project, head);
    }

    [UnixFact]
    public async Task A_cli_that_refuses_to_start_is_tried_once_more_then_the_loop_stops_with_its_words()
    {
        using var project = Create(("F1", "pending")).Script([Step("refuse_to_start", ("message", "--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons"))]);
        var head = project.Repo.Git("rev-parse", "HEAD");

        var (result, events) = await Run(project, project.Options() with { FeatureAttempts = 1 });

        Assert.Equal(LoopStopReason.AgentUnavailable, result.StopReason);
        Assert.Equal(2, project.AgentRuns);
        Assert.Contains(events, e => e.Kind == LoopEventKind.Retrying && e.Message!.StartsWith("the agent ended before its first turn", StringComparison.Ordinal));
        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentStartFailure.EndedBeforeFirstTurn, session.StartFailure);
        Assert.Contains("cannot be used with root/sudo privileges", result.Message);
        AssertNothingRecorded(project, head);
    }

    [UnixFact]
    public async Task A_refusal_that_passes_on_the_second_try_runs_the_session_normally()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("refuse_to_start")],
            [Step("complete_features", ("count", 1))]);

        var (result, _) = await Run(project, project.Options());

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.Completed, 1), (session.Outcome, session.Retries));
    }

    [UnixFact]
    public async Task Work_done_before_a_command_was_not_found_is_handed_off_but_not_charged_to_the_feature()
    {
        using var project = Create(("F1", "pending"));
        var agent = WriteScript(project, "agent.sh", "echo 'half of F1' > half.txt\nharness-that-is-not-installed features set F1 --status tested\n");

        var (result, _) = await Run(project, project.Options() with { AgentCommand = $"sh {agent} {{prompt_file}}", FeatureAttempts = 1 });

        Assert.Equal(LoopStopReason.AgentUnavailable, result.StopReason);
        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentStartFailure.CommandNotRunnable, session.StartFailure);
        Assert.NotNull(session.CheckpointCommit);
        Assert.Contains("half.txt", project.Repo.Git("show", "--name-only", "--format=", session.CheckpointCommit!));
        var feature = FeatureStore.Load(ProjectLayout.ForRoot(project.Path))!.Features.Single();
        Assert.Equal((FeatureStatuses.Pending, 0), (feature.Status, feature.Attempts));
    }

    [UnixFact]
    public async Task Refused_tool_calls_make_a_session_not_completed_and_show_everywhere()
    {
        using var project = Create(("F1", "pending")).Script([Step("permission_denied"), Step("text", ("text", "I could not update the feature list."))]);

        var (result, events) = await Run(project, project.Options() with { StallLimit = 2, CircuitBreaker = 5, FeatureAttempts = 10 });

        Assert.Equal(LoopStopReason.Stalled, result.StopReason);
        Assert.Contains("The last session had 1 tool call(s) refused: Write ", result.Message);
        var session = result.Sessions[0];
        Assert.Equal((AgentOutcome.PermissionDenied, "permission_denied", 1), (session.Outcome, session.ExitReason, session.PermissionDenials));
        var denial = Assert.Single(session.Denials);
        Assert.Equal("Write", denial.ToolName);
        Assert.EndsWith(".claude/progress/feature-list.json", denial.Target);

        var ended = events.First(e => e.Kind == LoopEventKind.SessionEnded);
        Assert.Contains("1 tool call(s) refused: Write ", ended.Message);
        var json = JsonNode.Parse(HarnessJson.SerializeLine(ended))!["session"]!;
        Assert.Equal(1, (int)json["permission_denials"]!);
        Assert.Equal("Write", (string?)json["denials"]![0]!["tool"]);
        Assert.Equal("permission_denied", (string?)json["outcome"]);

        var layout = ProjectLayout.ForRoot(project.Path);
        var metrics = MetricsStore.Read(layout).Lines[0];
        Assert.False(metrics.Succeeded);
        Assert.Equal(1, metrics.PermissionDenials);
        Assert.Equal(denial, Assert.Single(metrics.Denials));
        var summary = File.ReadAllText(session.SummaryPath!);
        Assert.Contains("- Refused tool calls: 1", summary);
        Assert.Contains($"  - Write: {denial.Target}", summary);
    }

    [UnixFact]
    public async Task A_session_killed_before_its_result_is_charged_the_priced_usage_of_its_stream_and_budgets_see_it()
    {
        // Two API messages (1000 input tokens, 1 output each, claude-sonnet-4-6), then the agent dies without a result.
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script([Step("tool", ("name", "Bash")), Step("tool", ("name", "Read")), Step("crash", ("exit_code", 137))]);

        var (result, _) = await Run(project, project.Options() with { MaxRetries = 0, MaxCostUsd = 0.006m });

        var expected = ((2 * 1000 * 3m) + (2 * 1 * 15m)) / 1_000_000m;
        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.Crashed, session.Outcome);
        Assert.True(session.CostEstimated);
        Assert.Equal(expected, session.CostUsd);
        Assert.Equal(LoopStopReason.CostBudget, result.StopReason);
        Assert.Equal(expected, result.TotalCostUsd);
        var metrics = MetricsStore.Read(ProjectLayout.ForRoot(project.Path)).Lines.Single();
        Assert.True(metrics.CostEstimated);
        Assert.Equal((double)expected, metrics.CostUsd);
        Assert.Contains("(estimated from the usage", File.ReadAllText(session.SummaryPath!));
    }

    [UnixFact]
    public async Task The_agents_stderr_tail_goes_with_the_session_bounded_to_its_last_20_lines()
    {
        var steps = Enumerable.Range(1, 25).Select(i => Step("stderr", ("text", $"stderr line {i}"))).Append(Step("crash", ("exit_code", 1), ("message", "THE-REAL-REASON"))).ToArray();
        using var project = Create(("F1", "pending")).Script(steps);

        var (result, events) = await Run(project, project.Options(maxIterations: 1) with { MaxRetries = 0 });

        var session = Assert.Single(result.Sessions);
        var lines = session.StandardErrorTail.Split('\n');
        Assert.Equal(20, lines.Length);
        Assert.Equal("stderr line 7", lines[0]);
        Assert.Equal("THE-REAL-REASON", lines[^1]);
        var metrics = MetricsStore.Read(ProjectLayout.ForRoot(project.Path)).Lines.Single();
        Assert.EndsWith("THE-REAL-REASON", metrics.StderrTail);
        Assert.Contains("    THE-REAL-REASON", File.ReadAllText(session.SummaryPath!));
        var ended = events.Single(e => e.Kind == LoopEventKind.SessionEnded);
        Assert.EndsWith("THE-REAL-REASON", (string?)JsonNode.Parse(HarnessJson.SerializeLine(ended))!["session"]!["stderr_tail"]);
    }

    [UnixFact]
    public async Task A_project_hook_that_cannot_run_the_guard_stops_the_loop_before_any_session()
    {
        using var project = Create(("F1", "pending")).Script([Step("complete_features")]);
        project.Repo.WriteFile(".claude/settings.json", """{"hooks":{"PreToolUse":[{"matcher":"Write|Edit|Bash","hooks":[{"type":"command","command":"/nonexistent/bin/harness guard"}]}]}}""");

        var (result, _) = await Run(project, project.Options());

        Assert.Equal(LoopStopReason.GuardUnavailable, result.StopReason);
        Assert.Contains("'/nonexistent/bin/harness guard'", result.Message);
        Assert.Contains("exit code 127", result.Message);
        Assert.Contains("init with hooks", result.Message);
        Assert.Empty(result.Sessions);
        Assert.Equal(0, project.AgentRuns);
    }

    [UnixFact]
    public async Task The_loops_own_hook_is_probed_and_an_unresolvable_one_names_the_fix()
    {
        using var project = Create(("F1", "pending")).Script([Step("complete_features")]);

        var (result, _) = await Run(project, project.Options() with { UseGuardHooks = true, GuardCommand = "/nonexistent/bin/harness guard" });

        Assert.Equal(LoopStopReason.GuardUnavailable, result.StopReason);
        Assert.Contains("'/nonexistent/bin/harness guard || exit 2' (the loop's --settings)", result.Message);
        Assert.Contains("a guard command that runs", result.Message);
        Assert.Equal(0, project.AgentRuns);
    }

    [Fact]
    public void Bypass_permissions_as_root_is_refused_before_a_session_unless_IS_SANDBOX_is_1()
    {
        var claude = new ClaudeCodeAgent();
        var bypass = new AgentSettings { PermissionMode = "bypassPermissions" };
        var noSandbox = new Dictionary<string, string?> { ["IS_SANDBOX"] = null };

        var refusal = LoopPreflight.RefusesRoot(claude, bypass, noSandbox, isRoot: true);

        Assert.NotNull(refusal);
        Assert.Contains("IS_SANDBOX=1", refusal);
        Assert.Null(LoopPreflight.RefusesRoot(claude, bypass, new Dictionary<string, string?> { ["IS_SANDBOX"] = "1" }, isRoot: true));
        Assert.Null(LoopPreflight.RefusesRoot(claude, bypass, noSandbox, isRoot: false));
        Assert.Null(LoopPreflight.RefusesRoot(claude, bypass with { PermissionMode = "acceptEdits" }, noSandbox, isRoot: true));
        Assert.NotNull(LoopPreflight.RefusesRoot(claude, new AgentSettings { ExtraArgs = ["--dangerously-skip-permissions"] }, noSandbox, isRoot: true));
    }

    [UnixFact]
    public async Task The_loop_running_as_root_with_the_starter_config_says_how_to_opt_in()
    {
        using var project = Create(("F1", "pending")).Script([Step("complete_features")]);
        using (var opened = TestProject.Open(project.Path))
        {
            await opened.InitializeAsync("unknown");
        }

        var (result, _) = await Run(project, project.Options() with { AgentEnvironment = new Dictionary<string, string?> { ["IS_SANDBOX"] = null } });

        if (LoopPreflight.IsRoot())
        {
            Assert.Equal(LoopStopReason.AgentUnavailable, result.StopReason);
            Assert.Contains("IS_SANDBOX=1", result.Message);
            Assert.Equal(0, project.AgentRuns);
        }
        else
        {
            Assert.Equal(LoopStopReason.Complete, result.StopReason);
        }
    }
}
