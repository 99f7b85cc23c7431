using Harness.Core.Metrics;
using Harness.TestKit;

namespace Harness.Core.Tests.Metrics;

public class MetricsStoreTests
{
    [Fact]
    public void A_torn_metrics_line_is_skipped_and_the_next_append_starts_a_fresh_line()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        var t = DateTimeOffset.Parse("2026-01-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        MetricsStore.Append(project, new SessionMetrics { SessionId = "a", StartedAt = t, EndedAt = t.AddMinutes(5), CostUsd = 0.5, InputTokens = 100, OutputTokens = 50, FeaturesCompleted = 2 });
        File.AppendAllText(layout.MetricsFile, "{\"session_id\": \"torn\", \"started_");
        MetricsStore.Append(project, new SessionMetrics { SessionId = "b", StartedAt = t, EndedAt = t.AddMinutes(1), CostUsd = 0.25, ExitReason = "error", Succeeded = false });

        var aggregate = MetricsStore.Aggregate(layout);

        Assert.Equal(2, aggregate.Sessions);
        Assert.Equal(1, aggregate.SkippedLines);
        Assert.Equal(0.75, aggregate.TotalCostUsd);
        Assert.Equal(150, aggregate.TotalTokens);
        Assert.Equal(1.0, aggregate.FeaturesPerSession);
        Assert.Equal(0.5, aggregate.FailureRate);
        Assert.EndsWith("\n", File.ReadAllText(layout.MetricsFile));
    }

    [Fact]
    public void An_append_needs_the_project_lock()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path);

        Assert.Throws<InvalidOperationException>(() => MetricsStore.Append(project, new SessionMetrics { SessionId = "a", StartedAt = DateTimeOffset.UnixEpoch, EndedAt = DateTimeOffset.UnixEpoch }));
        Assert.False(File.Exists(project.Layout.MetricsFile));
    }
}
