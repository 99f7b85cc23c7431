using Harness.Core.Agents;
using Harness.Core.Features;
using Harness.Core.Loop;
using Harness.Core.Loop.Outages;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.Tests.Git;
using static Harness.Core.Tests.Loop.LoopProject;

namespace Harness.Core.Tests.Loop;

/// <summary>429, 529, 5xx, connection failures and usage limits are waited out on a skipping clock, never charged to a feature, and end in Outage past the budget.</summary>
public class LoopOutageTests
{
    private static async Task<(LoopResult Result, List<LoopEvent> Events)> Run(LoopProject project, LoopOptions options, SkippingClock clock)
    {
        var events = new List<LoopEvent>();
        using var opened = TestProject.Open(project.Path, clock: clock);
        var result = await opened.RunLoopAsync(options, e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        return (result, events);
    }

    /// <summary>No autosave timer (it would spin on the skipping clock), no stall or breaker in the way, a 10 s first backoff.</summary>
    private static LoopOptions Options(LoopProject project, int maxIterations = 5) => project.Options(maxIterations) with
    {
        CheckpointInterval = TimeSpan.Zero,
        RetryBaseDelay = TimeSpan.FromSeconds(10),
        MaxRetries = 0,
        FeatureAttempts = 2,
        StallLimit = 5,
        CircuitBreaker = 5,
    };

    private static Feature F1(LoopProject project) => FeatureStore.Load(ProjectLayout.ForRoot(project.Path))!.Features[0];

    [UnixFact]
    public async Task Overloads_are_waited_out_with_growing_backoff_and_never_charge_the_feature()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("api_error", ("status", 529))],
            [Step("api_error", ("status", 529))],
            [Step("api_error", ("status", 529))],
            [Step("complete_features", ("count", 1))]);
        var clock = new SkippingClock();

        var (result, events) = await Run(project, Options(project), clock);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var session = Assert.Single(result.Sessions);
        Assert.Equal((AgentOutcome.Completed, 0), (session.Outcome, session.Retries));
        Assert.Equal(4, project.AgentRuns);
        var waits = events.Where(e => e.Kind == LoopEventKind.Waiting).ToList();
        Assert.Equal(3, waits.Count);
        Assert.All(waits, w => Assert.StartsWith("waiting", w.Message));
        Assert.Contains("rate limit: API overloaded (529); failure 1 of this outage", waits[0].Message);
        var seconds = waits.Select(w => w.Wait!.Value.TotalSeconds).ToList();
        Assert.InRange(seconds[0], 7.5, 12.5);
        Assert.InRange(seconds[1], 15, 25);
        Assert.InRange(seconds[2], 30, 50);
        Assert.Equal((FeatureStatuses.Completed, 0), (F1(project).Status, F1(project).Attempts));
    }

    [UnixFact]
    public async Task Server_errors_past_the_outage_budget_stop_the_loop_with_outage_and_the_feature_keeps_its_attempts()
    {
        using var project = Create(("F1", "pending"), ("F2", "pending")).Script([Step("api_error", ("status", 500))]);
        var clock = new SkippingClock();

        var (result, _) = await Run(project, Options(project) with { OutageBudget = TimeSpan.FromMinutes(10) }, clock);

        Assert.Equal(LoopStopReason.Outage, result.StopReason);
        Assert.Contains("API server error (500)", result.Message);
        Assert.Contains("loop.outage_budget (10 min 0 s)", result.Message);
        Assert.Contains("No feature was charged", result.Message);
        var session = Assert.Single(result.Sessions);
        Assert.Equal(AgentOutcome.ApiError, session.Outcome);
        Assert.NotNull(session.Outage);
        Assert.Null(session.BlockedFeature);
        Assert.Equal((FeatureStatuses.Pending, 0), (F1(project).Status, F1(project).Attempts));
        Assert.True(clock.Waits.Sum(w => w.TotalSeconds) <= 600);
        Assert.True(project.AgentRuns >= 4, $"{project.AgentRuns} runs");
        var metrics = MetricsStore.Read(ProjectLayout.ForRoot(project.Path)).Lines.Single();
        Assert.Equal("api_error", metrics.ExitReason);
    }

    [UnixFact]
    public async Task An_outage_wait_never_runs_past_the_wall_time_budget()
    {
        using var project = Create(("F1", "pending")).Script([Step("api_error", ("status", 529))]);
        var clock = new SkippingClock();

        var (result, _) = await Run(project, Options(project) with { OutageBudget = TimeSpan.FromDays(1), MaxWallTime = TimeSpan.FromMinutes(5) }, clock);

        Assert.Equal(LoopStopReason.Outage, result.StopReason);
        Assert.Contains("wall-time budget (max_wall_time)", result.Message);
        Assert.Contains("No feature was charged", result.Message);
        Assert.True(clock.Waits.Sum(w => w.TotalSeconds) <= 300, $"waited {clock.Waits.Sum(w => w.TotalSeconds)} s of a 300 s budget");
        Assert.Equal((FeatureStatuses.Pending, 0), (F1(project).Status, F1(project).Attempts));
    }

    [UnixFact]
    public async Task The_servers_retry_after_from_the_api_retry_events_is_the_shortest_wait()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("api_retry", ("status", 529), ("delay_ms", 120_000), ("error", "overloaded")), Step("api_error", ("status", 529))],
            [Step("complete_features", ("count", 1))]);
        var clock = new SkippingClock();

        var (result, events) = await Run(project, Options(project) with { RetryBaseDelay = TimeSpan.FromSeconds(1) }, clock);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var wait = Assert.Single(events, e => e.Kind == LoopEventKind.Waiting);
        Assert.Equal(120, wait.Wait!.Value.TotalSeconds, 3);
    }

    [UnixFact]
    public async Task A_subscription_usage_limit_waits_until_its_reset_in_its_time_zone()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("usage_limit", ("text", "You've hit your limit · resets 5pm (Europe/Vilnius)"))],
            [Step("complete_features", ("count", 1))]);
        var clock = new SkippingClock();
        var before = clock.GetUtcNow();

        var (result, events) = await Run(project, Options(project) with { MaxRateLimitWait = TimeSpan.FromDays(1), OutageBudget = TimeSpan.FromDays(2) }, clock);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        var vilnius = TimeZoneInfo.FindSystemTimeZoneById("Europe/Vilnius");
        var local = TimeZoneInfo.ConvertTime(before, vilnius);
        var fivePm = local.Date.AddHours(17);
        if (fivePm <= local.DateTime)
        {
            fivePm = fivePm.AddDays(1);
        }

        var reset = new DateTimeOffset(fivePm, vilnius.GetUtcOffset(fivePm));
        var wait = Assert.Single(events, e => e.Kind == LoopEventKind.Waiting);
        Assert.Contains("usage limit: You've hit your limit · resets 5pm (Europe/Vilnius)", wait.Message);
        Assert.InRange((before + wait.Wait!.Value - reset).TotalSeconds, -5, 5);
        Assert.Equal(0, F1(project).Attempts);
    }

    [UnixFact]
    public async Task A_usage_limit_that_resets_after_the_longest_wait_stops_the_loop_at_once_naming_the_reset()
    {
        using var project = Create(("F1", "pending")).Script([Step("usage_limit", ("text", "You've hit your weekly limit · resets Mon 9am (UTC)"))]);
        var clock = new SkippingClock();

        var (result, _) = await Run(project, Options(project) with { MaxRateLimitWait = TimeSpan.FromSeconds(30) }, clock);

        Assert.Equal(LoopStopReason.Outage, result.StopReason);
        Assert.Contains("You've hit your weekly limit", result.Message);
        Assert.Contains("beyond loop.max_rate_limit_wait (30 s)", result.Message);
        Assert.Contains(" 09:00:00Z", result.Message);
        Assert.Equal(1, project.AgentRuns);
        Assert.Empty(clock.Waits);
        Assert.Equal(0, F1(project).Attempts);
    }

    [UnixFact]
    public async Task Connection_failures_are_waited_out_even_with_no_retries_left()
    {
        using var project = Create(("F1", "pending")).Script(
            [Step("connection_error")],
            [Step("connection_error")],
            [Step("complete_features", ("count", 1))]);
        var clock = new SkippingClock();

        var (result, events) = await Run(project, Options(project), clock);

        Assert.Equal(LoopStopReason.Complete, result.StopReason);
        Assert.Equal(0, Assert.Single(result.Sessions).Retries);
        Assert.Equal(2, events.Count(e => e.Kind == LoopEventKind.Waiting && e.Message!.Contains("API outage: API connection failure", StringComparison.Ordinal)));
        Assert.Equal(0, F1(project).Attempts);
    }

    [UnixFact]
    public Task An_error_without_a_status_that_is_not_about_the_connection_is_charged_so_a_refused_key_fails_fast() =>
        AssertChargedWithoutWaiting(Step("unanswered_error"));

    [UnixFact]
    public Task A_limit_quoted_by_a_tool_is_not_a_usage_limit_the_api_error_after_it_is_charged() =>
        AssertChargedWithoutWaiting(
            Step("tool", ("name", "Read"), ("output", "README: You've hit your limit · resets 5pm (Europe/Vilnius). Our 5-hour limit reached notice.")),
            Step("api_error", ("status", 400)));

    /// <summary>Not an outage: one session, an API error charged to F1, no wait.</summary>
    private static async Task AssertChargedWithoutWaiting(params System.Text.Json.Nodes.JsonObject[] steps)
    {
        using var project = Create(("F1", "pending")).Script(steps);
        var clock = new SkippingClock();

        var (result, _) = await Run(project, Options(project, maxIterations: 1), clock);

        var session = Assert.Single(result.Sessions);
        Assert.Null(session.Outage);
        Assert.Equal(AgentOutcome.ApiError, session.Outcome);
        Assert.Equal(1, F1(project).Attempts);
        Assert.Empty(clock.Waits);
    }

    [Theory]
    [InlineData("You've hit your limit · resets 5pm (Europe/Vilnius)", "2026-12-02T15:00:00Z")]
    [InlineData("You've hit your session limit · resets 5:30pm (America/New_York)", "2026-12-02T22:30:00Z")]
    [InlineData("You've hit your limit · resets 9am (Europe/Vilnius)", "2026-12-03T07:00:00Z")]
    [InlineData("You've hit your weekly limit · resets Dec 8, 9am (Europe/Vilnius)", "2026-12-08T07:00:00Z")]
    [InlineData("You've hit your weekly limit · resets Mon 9am (UTC)", "2026-12-07T09:00:00Z")]
    [InlineData("You've hit your weekly limit · resets Jan 2 at 9am (UTC)", "2027-01-02T09:00:00Z")]
    [InlineData("Session limit reached ∙ resets 10pm (UTC)", "2026-12-02T22:00:00Z")]
    [InlineData("Claude AI usage limit reached|1796230800", "2026-12-02T17:00:00Z")]
    public void Usage_limit_messages_give_their_reset_time(string text, string expected)
    {
        var now = DateTimeOffset.Parse("2026-12-02T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var limit = UsageLimitMessage.Recognise(text, now);

        Assert.NotNull(limit);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), limit.ResetsAt);
    }

    [Theory]
    [InlineData("API Error: 400 invalid request")]
    [InlineData("The rate limit of this endpoint is documented in the README")]
    [InlineData("")]
    public void Other_errors_are_not_usage_limits(string text) =>
        Assert.Null(UsageLimitMessage.Recognise(text, DateTimeOffset.UtcNow));

    [Fact]
    public void A_limit_in_an_unknown_time_zone_is_recognised_without_a_reset_time()
    {
        var limit = UsageLimitMessage.Recognise("You've hit your limit · resets 5pm (Mars/Olympus_Mons)", DateTimeOffset.UtcNow);

        Assert.NotNull(limit);
        Assert.Null(limit.ResetsAt);
    }
}
