using System.Text.Json.Nodes;
using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Tests.Git;
using Harness.TestKit;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Loop;

public class AutonomousLoopTests
{
    private static async Task<LoopResult> Run(LoopProject project, LoopOptions options, List<LoopEvent>? events = null)
    {
        using var opened = TestProject.Open(project.Path);
        return await opened.RunLoopAsync(options, e =>
        {
            lock (events ?? [])
            {
                events?.Add(e);
            }
        });
    }

    [UnixFact]
    public async Task Runs_init_then_every_feature_then_stops_complete_without_another_agent_run()
    {
        using var project = Create().Script(
            [Step("init_features", ("count", 2))],
            [Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options());

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.True(result.Finished);
        Assert.Equal([SessionState.INIT, SessionState.IMPLEMENT, SessionState.IMPLEMENT], result.Sessions.Select(s => s.State));
        Assert.Equal(["F001", "F002"], result.Sessions.Skip(1).Select(s => s.FeatureId));
        Assert.All(result.Sessions, s => Assert.True(s.Advanced));
        Assert.Equal(3, project.AgentRuns);
        Assert.Equal((2, 2), (result.FeaturesDone, result.FeaturesTotal));
        var layout = ProjectLayout.ForRoot(project.Path);
        Assert.False(StateStore.Load(layout)!.Dirty);
        Assert.Equal(3, MetricsStore.Read(layout).Lines.Count);
        Assert.Equal(3, Directory.GetFiles(layout.SessionsDirectory, "*.md").Length);

        // Every byte of the agent's work is committed; what remains are the harness's own records of the last handoff.
        var leftovers = project.Repo.Git("status", "--porcelain").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[3..]).ToArray();
        Assert.All(leftovers, path => Assert.StartsWith(".claude/progress/", path));
        Assert.DoesNotContain(project.Repo.Git("ls-files"), ".claude/progress/harness.lock");
    }

    [UnixFact]
    public async Task Waits_between_sessions_show_the_progress_and_none_follows_the_session_that_finished_the_list()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script([Step("complete_features", ("count", 1))]);
        var events = new List<LoopEvent>();

        var result = await Run(project, project.Options() with { ContinueDelay = TimeSpan.FromMilliseconds(300) }, events);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var wait = Assert.Single(events, e => e.Kind == LoopEventKind.Waiting);
        Assert.Equal((1, 2), (wait.FeaturesDone, wait.FeaturesTotal));
        Assert.Equal(result.Sessions[0].CostUsd, wait.CostSoFar);
    }

    [UnixFact]
    public async Task A_crashed_session_is_retried_with_backoff_then_succeeds()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("crash", ("exit_code", 3))],
            [Step("complete_features", ("count", 1))]);
        var events = new List<LoopEvent>();

        var result = await Run(project, project.Options(), events);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.Completed, session.Outcome);
        Assert.Equal(1, session.Retries);
        Assert.Contains(events, e => e.Kind == LoopEventKind.Retrying && e.Message!.StartsWith("crashed; retry 1 of 3", StringComparison.Ordinal));
        Assert.Equal(2, project.AgentRuns);
        Assert.Equal(1, MetricsStore.Read(ProjectLayout.ForRoot(project.Path)).Lines.Single().Retries);
    }

    [UnixFact]
    public async Task A_hanging_agent_is_killed_at_the_timeout_with_its_whole_tree_and_counts_as_an_attempt()
    {
        using var project = Create(("F1", "pending"));
        var pidFile = project.ScratchFile("grandchild.pid");
        project.Script([Step("spawn_grandchild", ("seconds", 300), ("pid_file", pidFile)), Step("hang")]);

        var result = await Run(project, project.Options(maxIterations: 1) with { SessionTimeout = TimeSpan.FromSeconds(3) });

        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.TimedOut, session.Outcome);
        Assert.Equal("timed_out", session.ExitReason);
        Assert.Equal(LoopStopReason.MaxIterations, result.StopReason);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsAlive(grandchild), $"grandchild {grandchild} survived");
        var layout = ProjectLayout.ForRoot(project.Path);
        Assert.False(StateStore.Load(layout)!.Dirty);
        Assert.Equal(1, FeatureStore.Load(layout)!.Features.Single().Attempts);
    }

    [UnixFact]
    public async Task Max_turns_ends_the_session_normally_and_the_loop_goes_on()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("max_turns")],
            [Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options());

        Assert.Equal([AgentOutcome.MaxTurns, AgentOutcome.Completed], result.Sessions.Select(s => s.Outcome));
        Assert.Equal(0, result.Sessions[0].Retries);
        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.Equal(1, FeatureStore.Load(ProjectLayout.ForRoot(project.Path))!.Features.Single().Attempts);
    }

    [UnixFact]
    public async Task A_rate_limit_waits_until_the_reset_time_then_retries()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("rate_limited", ("resets_in_seconds", 3))],
            [Step("complete_features", ("count", 1))]);
        var events = new List<LoopEvent>();
        var started = DateTimeOffset.UtcNow;

        var result = await Run(project, project.Options(), events);

        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.Completed, session.Outcome);
        var wait = Assert.Single(events, e => e.Kind == LoopEventKind.Waiting && e.Message!.Contains("rate limit"));
        Assert.InRange(wait.Wait!.Value.TotalSeconds, 2, 5);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(2.5));
        Assert.Equal(0, session.Retries);
    }

    [UnixFact]
    public async Task No_progress_in_stall_limit_sessions_stops_the_loop()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script([Step("text", ("text", "thinking about it"))]);

        var result = await Run(project, project.Options() with { StallLimit = 2, FeatureAttempts = 10 });

        Assert.Equal(LoopStopReason.Stalled, result.StopReason);
        Assert.Equal(2, result.Sessions.Count);
        Assert.False(result.Finished);
    }

    [UnixFact]
    public async Task A_feature_that_uses_up_its_attempts_is_blocked_and_the_loop_moves_on()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script(
            [Step("text", ("text", "no luck"))],
            [Step("text", ("text", "no luck again"))],
            [Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options() with { FeatureAttempts = 2, StallLimit = 5 });

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.Equal(["F1", "F1", "F2"], result.Sessions.Select(s => s.FeatureId));
        Assert.Equal("F1", result.Sessions[1].BlockedFeature);
        Assert.Equal(["F1"], result.BlockedFeatures);
        Assert.False(result.Finished);
        var f1 = FeatureStore.Load(ProjectLayout.ForRoot(project.Path))!.Features[0];
        Assert.Equal((FeatureStatuses.Blocked, 2), (f1.Status, f1.Attempts));
        Assert.Contains("Blocked by the harness after 2 failed attempts", f1.Notes);
    }

    [UnixFact]
    public async Task The_cost_budget_stops_the_loop_before_the_next_session()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending"), ("F3", "pending")).Script([Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options() with { MaxCostUsd = 0.005m });

        Assert.Equal(LoopStopReason.CostBudget, result.StopReason);
        Assert.Single(result.Sessions);
        Assert.True(result.TotalCostUsd >= 0.005m);
    }

    [UnixFact]
    public async Task The_same_failure_again_and_again_trips_the_circuit_breaker()
    {
        using var project = Create(("F1", "pending")).Script([Step("api_error", ("status", 400))]);

        var result = await Run(project, project.Options() with { MaxRetries = 0, CircuitBreaker = 2, FeatureAttempts = 10 });

        Assert.Equal(LoopStopReason.CircuitBreaker, result.StopReason);
        Assert.Equal(2, result.Sessions.Count);
        Assert.All(result.Sessions, s => Assert.Equal("api_error", s.ExitReason));
    }

    [UnixFact]
    public async Task Feature_list_tampering_is_undone_keeping_the_status_changes()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending"), ("F3", "pending")).Script(
            [
                Step("delete_feature", ("id", "F2")),
                Step("rewrite_feature", ("id", "F3"), ("description", "something else entirely")),
                Step("add_feature", ("id", "F9")),
                Step("complete_features", ("count", 1)),
            ],
            [Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options());

        var first = result.Sessions[0];
        Assert.Equal(3, first.IntegrityViolations.Count);
        Assert.Contains(first.IntegrityViolations, v => v.StartsWith("F2 (Feature F2) was removed", StringComparison.Ordinal));
        Assert.Contains(first.IntegrityViolations, v => v == "F3 had its description rewritten");
        Assert.Contains(first.IntegrityViolations, v => v.StartsWith("F9", StringComparison.Ordinal));
        var layout = ProjectLayout.ForRoot(project.Path);
        var list = FeatureStore.Load(layout)!;
        Assert.Equal(["F1", "F2", "F3"], list.Features.Select(f => f.Id));
        Assert.Equal("Description of F3", list.Features[2].Description);
        Assert.Single(Harness.Core.Loop.Integrity.RejectedFeatureLists.List(layout, layout.FeatureListFile));
        Assert.Equal(3, MetricsStore.Read(layout).Lines[0].IntegrityViolations.Count);
        Assert.Contains("## Feature List Restored", File.ReadAllText(first.SummaryPath!));
        Assert.Equal(LoopStopReason.Complete, result.StopReason);
    }

    [UnixFact]
    public async Task Max_iterations_stops_the_loop()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending"), ("F3", "pending")).Script([Step("complete_features", ("count", 1))]);

        var result = await Run(project, project.Options(maxIterations: 2));

        Assert.Equal(LoopStopReason.MaxIterations, result.StopReason);
        Assert.Equal(2, result.Sessions.Count);
        Assert.Equal(2, project.AgentRuns);
    }

    [UnixFact]
    public async Task Cancellation_kills_the_agent_and_hands_off_cleanly()
    {
        using var project = Create(("F1", "pending")).Script([Step("hang")]);
        using var cancel = new CancellationTokenSource();
        using var opened = TestProject.Open(project.Path);
        var task = opened.RunLoopAsync(project.Options(), e =>
        {
            if (e.Kind == LoopEventKind.Agent && e.AgentEvent?.Kind == AgentEventKind.Init)
            {
                cancel.CancelAfter(500);
            }
        }, cancel.Token);

        var result = await task;
        opened.Dispose();

        Assert.Equal(LoopStopReason.Cancelled, result.StopReason);
        Assert.Equal(AgentOutcome.Cancelled, Assert.Single(result.Sessions).Outcome);
        var layout = ProjectLayout.ForRoot(project.Path);
        Assert.False(StateStore.Load(layout)!.Dirty);
        Assert.Equal("cancelled", MetricsStore.Read(layout).Lines.Single().ExitReason);
        Assert.False(File.Exists(layout.LockFile));
    }

    [UnixFact]
    public async Task A_complete_project_runs_no_agent()
    {
        using var project = Create(("F1", "completed")).Script([Step("complete_features")]);

        var result = await Run(project, project.Options());

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.Empty(result.Sessions);
        Assert.Equal(0, project.AgentRuns);
    }

    [UnixFact]
    public async Task A_missing_agent_stops_the_loop_before_any_session_naming_the_fix()
    {
        using var project = Create(("F1", "pending"));
        var head = project.Repo.Git("rev-parse", "HEAD");

        var result = await Run(project, project.Options() with { AgentCommand = "/nonexistent/claude" });

        Assert.Equal(LoopStopReason.AgentUnavailable, result.StopReason);
        Assert.Contains("/nonexistent/claude does not exist", result.Message);
        Assert.Contains("agent.command", result.Message);
        Assert.Empty(result.Sessions);
        var layout = ProjectLayout.ForRoot(project.Path);
        Assert.Null(StateStore.Load(layout));
        Assert.Equal(0, FeatureStore.Load(layout)!.Features.Single().Attempts);
        Assert.Equal(head, project.Repo.Git("rev-parse", "HEAD"));
    }

    [UnixFact]
    public async Task A_dry_run_plans_the_next_session_and_writes_nothing()
    {
        using var project = Create(("F1", "pending")).Script([Step("complete_features")]);
        var before = project.Repo.Git("status", "--porcelain", "--untracked-files=all");

        using var opened = TestProject.Open(project.Path);
        var plan = await opened.PlanLoopAsync(project.Options());

        Assert.Equal(SessionState.IMPLEMENT, plan.Entry.NextState);
        Assert.Contains("F1: Feature F1", plan.Prompt);
        Assert.Contains("--output-format=stream-json", plan.AgentArguments);
        Assert.Equal(before, project.Repo.Git("status", "--porcelain", "--untracked-files=all"));
        Assert.Equal(0, project.AgentRuns);
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        // A zombie (state Z) is dead but not yet reaped by its new parent.
        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() != 'Z';
    }
}
