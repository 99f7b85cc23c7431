using Harness.Core.Agents;
using Harness.Core.Ci;
using Harness.Core.Loop;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Ci;

/// <summary>What <c>harness loop</c> publishes in CI (<see cref="LoopCi"/>): exact output per system.</summary>
public class LoopCiTests
{
    private static readonly string Nl = Environment.NewLine;

    private static (ICiReporter Ci, StringWriter Log) Create(params (string Name, string Value)[] env)
    {
        var log = new StringWriter { NewLine = "\n" };
        var map = env.ToDictionary(e => e.Name, e => e.Value);
        return (CiEnvironment.CreateReporter(log, name => map.GetValueOrDefault(name)), log);
    }

    private static LoopSessionResult Session(int iteration, SessionState state, string? feature, string exitReason, int doneAfter, decimal cost, int seconds) => new()
    {
        Iteration = iteration,
        SessionId = $"s{iteration}",
        State = state,
        FeatureId = feature,
        Outcome = exitReason == "completed" ? AgentOutcome.Completed : AgentOutcome.Crashed,
        ExitReason = exitReason,
        Retries = exitReason == "completed" ? 0 : 3,
        CostUsd = cost,
        InputTokens = 1000 * iteration,
        OutputTokens = 200,
        Duration = TimeSpan.FromSeconds(seconds),
        FeaturesDoneBefore = doneAfter - 1,
        FeaturesDoneAfter = doneAfter,
        FeaturesTotal = 3,
    };

    /// <summary>Two sessions, the second one blocked F002 (with a pipe in its reason to prove the cells hold), then the stall stop.</summary>
    private static LoopResult StoppedShort() => new()
    {
        StopReason = LoopStopReason.Stalled,
        Message = "no feature advanced in 3 consecutive sessions (stall_limit 3)",
        Sessions =
        [
            Session(1, SessionState.IMPLEMENT, "F001", "completed", 1, 0.1234m, 65),
            Session(2, SessionState.IMPLEMENT, "F002", "crash|api", 1, 0.5m, 12) with { BlockedFeature = "F002", IntegrityViolations = ["F003 removed"] },
        ],
        TotalCostUsd = 0.6234m,
        TotalTokens = 3400,
        Duration = TimeSpan.FromSeconds(80),
        FeaturesDone = 1,
        FeaturesTotal = 3,
        BlockedFeatures = ["F002"],
    };

    private const string StoppedShortSummary =
        "### Harness loop: ⚠️ Stalled\n\n" +
        "no feature advanced in 3 consecutive sessions (stall_limit 3)\n\n" +
        "| # | State | Feature | Outcome | Retries | Cost | Tokens | Duration | Features done |\n" +
        "|--:|---|---|---|--:|--:|--:|--:|--:|\n" +
        "| 1 | IMPLEMENT | F001 | completed | 0 | $0.12 | 1200 | 65 s | 1/3 |\n" +
        "| 2 | IMPLEMENT | F002 | crash\\|api (F002 blocked) (1 list edits undone) | 3 | $0.50 | 2200 | 12 s | 1/3 |\n\n" +
        "| | |\n|---|---|\n" +
        "| Stop reason | Stalled |\n" +
        "| Finished | no |\n" +
        "| Sessions | 2 |\n" +
        "| Features | 1 of 3 done |\n" +
        "| Blocked | F002 |\n" +
        "| Cost | $0.62 |\n" +
        "| Tokens | 3400 |\n" +
        "| Duration | 80 s |\n";

    [Fact]
    public void Outputs_are_named_like_the_msbuild_properties()
    {
        Assert.Equal(
            [
                new("stop_reason", "Stalled"),
                new("finished", "false"),
                new("sessions", "2"),
                new("total_cost_usd", "0.6234"),
                new("features_done", "1"),
                new("features_total", "3"),
                new("blocked_features", "F002"),
            ],
            LoopCi.Outputs(StoppedShort()));
    }

    [Fact]
    public void GitHub_golden_for_a_loop_that_stopped_short()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        var summary = Path.Combine(dir.Path, "summary");
        var (ci, log) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", output), ("GITHUB_STEP_SUMMARY", summary));

        LoopCi.Publish(ci, StoppedShort());

        Assert.Equal(
            "::warning title=harness loop%3A stopped short::The loop stopped short (Stalled): no feature advanced in 3 consecutive sessions (stall_limit 3). " +
            "1 of 3 features done after 2 sessions. Blocked: F002 (set them back to pending to retry).\n",
            log.ToString());
        Assert.Equal(
            string.Join(Nl, "stop_reason=Stalled", "finished=false", "sessions=2", "total_cost_usd=0.6234", "features_done=1", "features_total=3", "blocked_features=F002") + Nl,
            File.ReadAllText(output));
        Assert.Equal(StoppedShortSummary, File.ReadAllText(summary).TrimEnd('\r', '\n') + "\n");
    }

    [Fact]
    public void GitHub_golden_for_a_finished_loop_has_no_annotation()
    {
        using var dir = TempDirectory.Create();
        var output = Path.Combine(dir.Path, "output");
        var summary = Path.Combine(dir.Path, "summary");
        var (ci, log) = Create(("GITHUB_ACTIONS", "true"), ("GITHUB_OUTPUT", output), ("GITHUB_STEP_SUMMARY", summary));
        var result = new LoopResult
        {
            StopReason = LoopStopReason.Complete,
            Message = "all 1 features are done",
            Sessions = [Session(1, SessionState.IMPLEMENT, "F001", "completed", 1, 0.05m, 3) with { FeaturesTotal = 1 }],
            TotalCostUsd = 0.05m,
            TotalTokens = 1200,
            Duration = TimeSpan.FromSeconds(4),
            FeaturesDone = 1,
            FeaturesTotal = 1,
        };

        LoopCi.Publish(ci, result);

        Assert.Equal("", log.ToString());
        Assert.Equal(
            string.Join(Nl, "stop_reason=Complete", "finished=true", "sessions=1", "total_cost_usd=0.05", "features_done=1", "features_total=1", "blocked_features=") + Nl,
            File.ReadAllText(output));
        Assert.StartsWith("### Harness loop: ✅ Complete\n\nall 1 features are done\n\n", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.Contains("| 1 | IMPLEMENT | F001 | completed | 0 | $0.05 | 1200 | 3 s | 1/1 |\n", File.ReadAllText(summary), StringComparison.Ordinal);
        Assert.Contains("| Blocked | none |\n", File.ReadAllText(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_golden_for_a_loop_that_stopped_short()
    {
        using var dir = TempDirectory.Create();
        var (ci, log) = Create(("TF_BUILD", "True"), ("AGENT_TEMPDIRECTORY", dir.Path));

        LoopCi.Publish(ci, StoppedShort());

        var lines = log.ToString().Split('\n');
        Assert.Equal(
            "##vso[task.logissue type=warning;]harness loop: stopped short: The loop stopped short (Stalled): no feature advanced in 3 consecutive sessions (stall_limit 3). " +
            "1 of 3 features done after 2 sessions. Blocked: F002 (set them back to pending to retry).",
            lines[0]);
        Assert.Equal(
            [
                "##vso[task.setvariable variable=stop_reason;isOutput=true;]Stalled",
                "##vso[task.setvariable variable=finished;isOutput=true;]false",
                "##vso[task.setvariable variable=sessions;isOutput=true;]2",
                "##vso[task.setvariable variable=total_cost_usd;isOutput=true;]0.6234",
                "##vso[task.setvariable variable=features_done;isOutput=true;]1",
                "##vso[task.setvariable variable=features_total;isOutput=true;]3",
                "##vso[task.setvariable variable=blocked_features;isOutput=true;]F002",
            ],
            lines[1..8]);
        Assert.StartsWith("##vso[task.uploadsummary]" + dir.Path, lines[8], StringComparison.Ordinal);
        Assert.Equal(StoppedShortSummary, File.ReadAllText(lines[8]["##vso[task.uploadsummary]".Length..]));
        Assert.Equal("##vso[task.complete result=SucceededWithIssues;]loop stopped short: Stalled", lines[9]);
        Assert.Equal(["", ], lines[10..]);
    }

    [Fact]
    public void Plain_publishes_nothing()
    {
        var (ci, log) = Create();

        LoopCi.Publish(ci, StoppedShort());

        Assert.Equal("", log.ToString());
    }
}
