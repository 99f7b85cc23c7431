using Harness.Core.Entry;
using Harness.Core.Features;
using Harness.Core.State;

namespace Harness.Core.Tests.Entry;

public class NextStateRulesTests
{
    private static FeatureList List(params string[] statuses) =>
        new("/p/feature-list.json", FeatureListFormat.Seed, statuses.Select((s, i) => new Feature { Id = $"F{i}", Name = $"n{i}", Status = s, Index = i }).ToArray());

    [Theory]
    [InlineData(HealthStatus.BROKEN, null, SessionState.FIX_BROKEN)]
    [InlineData(HealthStatus.BROKEN, "completed", SessionState.FIX_BROKEN)]
    [InlineData(HealthStatus.HEALTHY, null, SessionState.INIT)]
    [InlineData(HealthStatus.UNKNOWN, null, SessionState.INIT)]
    [InlineData(HealthStatus.HEALTHY, "pending", SessionState.IMPLEMENT)]
    [InlineData(HealthStatus.HEALTHY, "in_progress", SessionState.IMPLEMENT)]
    [InlineData(HealthStatus.UNKNOWN, "pending", SessionState.IMPLEMENT)]
    [InlineData(HealthStatus.HEALTHY, "completed", SessionState.COMPLETE)]
    [InlineData(HealthStatus.HEALTHY, "tested", SessionState.COMPLETE)]
    [InlineData(HealthStatus.HEALTHY, "blocked", SessionState.COMPLETE)]
    public void Decides_like_the_seed(HealthStatus health, string? onlyStatus, SessionState expected)
    {
        var list = onlyStatus is null ? null : List(onlyStatus, "completed").ToSummary();

        var (next, reason) = NextStateRules.Decide(health, "exit 1", list);

        Assert.Equal(expected, next);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void An_empty_list_means_init_not_complete()
    {
        var (next, reason) = NextStateRules.Decide(HealthStatus.HEALTHY, "", List().ToSummary());

        Assert.Equal(FeatureListStatus.NO_FEATURE_LIST, NextStateRules.FeatureStatusOf(List().ToSummary()));
        Assert.Equal(SessionState.INIT, next);
        Assert.Contains("has no features", reason);
    }

    [Fact]
    public void Reasons_carry_the_counts()
    {
        Assert.Equal("2 of 3 features remaining", NextStateRules.Decide(HealthStatus.HEALTHY, "", List("pending", "in_progress", "completed").ToSummary()).Reason);
        Assert.Equal("no feature left to do: 1 of 2 done, 1 blocked", NextStateRules.Decide(HealthStatus.HEALTHY, "", List("completed", "blocked").ToSummary()).Reason);
        Assert.Equal("health check failed (exit 3)", NextStateRules.Decide(HealthStatus.BROKEN, "exit 3", List("pending").ToSummary()).Reason);
    }

    [Theory]
    [InlineData(SessionState.INIT, "initialization/")]
    [InlineData(SessionState.IMPLEMENT, "implementation/")]
    [InlineData(SessionState.TEST, "testing/")]
    [InlineData(SessionState.FIX_BROKEN, "enforcement/")]
    [InlineData(SessionState.COMPLETE, "context-graph/")]
    [InlineData(SessionState.START, "orchestrator/")]
    public void Skill_table_is_the_seeds(SessionState state, string skill) => Assert.Equal(skill, NextStateRules.SkillFor(state));
}
