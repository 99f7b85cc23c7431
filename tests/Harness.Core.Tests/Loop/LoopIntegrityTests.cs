using Harness.Core.Features;
using Harness.Core.Loop;
using Harness.Core.Loop.Integrity;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.Tests.Git;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Loop;

/// <summary>Feature integrity by session, rejected lists kept per violation, and stalls counted whatever gets blocked.</summary>
public class LoopIntegrityTests
{
    private static async Task<LoopResult> Run(LoopProject project, LoopOptions options)
    {
        using var opened = TestProject.Open(project.Path);
        return await opened.RunLoopAsync(options);
    }

    [UnixFact]
    public async Task A_session_on_F1_that_marks_F2_tested_is_undone_reported_and_the_loop_does_not_end_complete()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script(
            [Step("complete_features", ("count", 1)), Step("set_status", ("id", "F2"), ("status", "tested"))],
            [Step("text", ("text", "looking at F2"))]);

        var result = await Run(project, project.Options(maxIterations: 2));

        var first = result.Sessions[0];
        Assert.Equal("F1", first.FeatureId);
        var violation = Assert.Single(first.IntegrityViolations);
        Assert.Equal("F2 had its status changed from pending to tested (a session on F1 may change only F1's status); restored", violation);
        var layout = ProjectLayout.ForRoot(project.Path);
        var list = FeatureStore.Load(layout)!;
        Assert.Equal([FeatureStatuses.Completed, FeatureStatuses.Pending], list.Features.Select(f => f.Status));
        Assert.Equal("F2", result.Sessions[1].FeatureId);
        Assert.NotEqual(LoopStopReason.Complete, result.StopReason);
        Assert.Equal((1, 2), (result.FeaturesDone, result.FeaturesTotal));
        Assert.Equal([violation], MetricsStore.Read(layout).Lines[0].IntegrityViolations);
        Assert.Contains("tested", File.ReadAllText(Assert.Single(RejectedFeatureLists.List(layout, layout.FeatureListFile))));
    }

    [Fact]
    public void Each_session_state_may_make_only_its_documented_status_changes()
    {
        static Feature F(string id, string status) => new() { Id = id, Name = id, Status = status };
        static bool Allowed(SessionScope scope, string id, string from, string to) => StatusChangeRules.Refusal(scope, F(id, from), F(id, to)) is null;
        var onF1 = new SessionScope(Harness.Core.State.SessionState.IMPLEMENT, "F1");
        var test = new SessionScope(Harness.Core.State.SessionState.TEST, null);
        var fix = new SessionScope(Harness.Core.State.SessionState.FIX_BROKEN, null);
        var init = new SessionScope(Harness.Core.State.SessionState.INIT, null);

        Assert.True(Allowed(onF1, "F1", "pending", "tested"));
        Assert.True(Allowed(onF1, "F1", "pending", "blocked"));
        Assert.False(Allowed(onF1, "F2", "pending", "tested"));
        Assert.False(Allowed(onF1, "F2", "tested", "pending"));
        Assert.True(Allowed(onF1, "F2", "pending", "pending"));
        Assert.True(Allowed(test, "F2", "tested", "completed"));
        Assert.True(Allowed(test, "F2", "completed", "pending"));
        Assert.False(Allowed(test, "F2", "pending", "tested"));
        Assert.True(Allowed(fix, "F3", "tested", "pending"));
        Assert.False(Allowed(fix, "F3", "pending", "completed"));
        Assert.True(Allowed(init, "F1", "pending", "completed"));
        Assert.Contains("a FIX_BROKEN session may not mark features done", StatusChangeRules.Refusal(fix, F("F3", "pending"), F("F3", "completed")));
    }

    [UnixFact]
    public async Task Every_violation_keeps_its_own_rejected_list_and_only_the_last_ten_are_kept()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script([Step("add_feature", ("id", "F9"))]);
        var layout = ProjectLayout.ForRoot(project.Path);
        var listPath = layout.FeatureListFile;

        var result = await Run(project, project.Options(maxIterations: 12) with { StallLimit = 20, FeatureAttempts = 20, CircuitBreaker = 20 });

        Assert.Equal(12, result.Sessions.Count);
        Assert.All(result.Sessions, s => Assert.Single(s.IntegrityViolations));
        var kept = RejectedFeatureLists.List(layout, listPath);
        Assert.Equal(RejectedFeatureLists.Keep, kept.Count);
        Assert.All(kept, path => Assert.Matches(@"feature-list\.json\.\d{8}T\d{9}Z(-\d+)?\.rejected$", path));
        Assert.All(kept, path => Assert.Contains("\"F9\"", File.ReadAllText(path)));
        Assert.Equal(kept.Count, kept.Distinct().Count());
        Assert.False(File.Exists(listPath + ".rejected"));
        Assert.Equal(["F1", "F2"], FeatureStore.Load(layout)!.Features.Select(f => f.Id));
    }

    [UnixFact]
    public async Task No_progress_stops_the_loop_after_stall_limit_sessions_even_when_a_feature_gets_blocked()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending"), ("F3", "pending")).Script([Step("text", ("text", "no luck"))]);

        var result = await Run(project, project.Options(maxIterations: 20) with { StallLimit = 3, FeatureAttempts = 3, CircuitBreaker = 20 });

        Assert.Equal(LoopStopReason.Stalled, result.StopReason);
        Assert.Equal(3, result.Sessions.Count);
        Assert.Equal(3, project.AgentRuns);
        Assert.Equal("F1", result.Sessions[2].BlockedFeature);
        Assert.Contains("no feature advanced in 3 consecutive sessions", result.Message);
    }
}
