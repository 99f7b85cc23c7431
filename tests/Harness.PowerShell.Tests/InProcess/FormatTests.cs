using Harness.TestKit;

namespace Harness.PowerShell.Tests.InProcess;

/// <summary>
/// The default views on a real project under a long path: every line fits 80 columns, no header
/// wraps (each column's label is whole on the header line), the path is shown whole at 200.
/// </summary>
public sealed class FormatTests
{
    private static readonly string[] Commands =
    [
        "Invoke-SessionEntry -SkipHealthCheck -WhatIf",
        "Get-HarnessState",
        "Get-HarnessFeature",
        "Initialize-HarnessProject -WhatIf",
        "Get-Checkpoint",
        "Get-Checkpoint | Restore-Checkpoint -WhatIf",
        "New-SessionSummary -WhatIf",
        "Get-HarnessMetrics",
        "Get-HarnessMetrics -Aggregate",
    ];

    [Fact]
    public void Every_default_table_fits_80_columns_with_whole_headers()
    {
        using var parent = TempDirectory.Create();
        var deep = Path.Combine(parent.Path, "a-rather-long-folder-name-for-projects", "customer-facing-web-application-with-api");
        Directory.CreateDirectory(deep);
        ProjectFiles.WriteFeatures(deep, ("user-authentication-flow", "pending"), ("F2", "in_progress"));
        using var session = new ModuleSession(deep);
        session.Run("git init --quiet; git -c user.name=t -c user.email=t@example.invalid commit --allow-empty --quiet -m init");
        session.Run("Invoke-SessionEntry -SkipHealthCheck; Save-Checkpoint -Reason 'before the long refactoring of the session store'; New-SessionSummary -Handoff -CostUsd 1.25 -ExitReason budget_exceeded");

        foreach (var command in Commands)
        {
            var narrow = (string)session.Run($"{command} | Out-String -Width 80")[0].BaseObject;
            var wide = (string)session.Run($"{command} | Out-String -Width 200")[0].BaseObject;

            var lines = narrow.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.All(lines, l => Assert.True(l.Length <= 80, $"{command}: {l.Length} columns: {l}"));
            var dashes = Array.FindIndex(lines, l => l.StartsWith("--", StringComparison.Ordinal));
            Assert.True(dashes > 0, $"{command}: no table:\n{narrow}");
            var header = lines[dashes - 1];
            var columns = lines[dashes].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var labels = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(columns.Length == labels.Length, $"{command}: a wrapped header:\n{narrow}");
            Assert.All(labels.Zip(columns), p => Assert.True(p.First.Length == p.Second.Length, $"{command}: header '{p.First}' cut:\n{narrow}"));
            Assert.Contains(deep, wide, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Entry_shows_the_next_state_and_what_remains()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"), ("F2", "pending"), ("F3", "completed"));
        using var session = new ModuleSession(repo.Path);

        var table = (string)session.Run("Invoke-SessionEntry -SkipHealthCheck | Out-String -Width 80")[0].BaseObject;
        var row = table.Split('\n').Single(l => l.StartsWith("START", StringComparison.Ordinal) || l.StartsWith("IMPLEMENT", StringComparison.Ordinal));

        Assert.Contains("Next", table, StringComparison.Ordinal);
        Assert.Contains("Remaining", table, StringComparison.Ordinal);
        Assert.Matches(@"IMPLEMENT\s+\S+\s+2\s", row);
    }

    [UnixFact]
    public void A_loop_s_sessions_then_its_PassThru_result_show_as_a_table_and_a_list_not_a_dump()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var outside = TempDirectory.Create();
        var agent = TestProjects.Agent(outside.Path, Path.Combine(outside.Path, "runs.log"));
        using var session = new ModuleSession();

        var text = (string)session.Run(
            "Start-AutonomousLoop -LiteralPath $args[0] -AgentCommand $args[1] -SkipHealthCheck -ContinueDelay 0 -PassThru | Out-String -Width 80",
            repo.Path,
            $"sh {agent} {{prompt_file}}")[0].BaseObject;

        Assert.Matches(@"(?m)^\s+1 IMPLEMENT\s+F1\s", text);
        Assert.Matches(@"(?m)^StopReason\s+: Complete", text);
        Assert.Matches(@"(?m)^Features\s+: 1 of 1 done", text);
        Assert.DoesNotContain("Harness.Core.Loop.LoopSessionResult", text, StringComparison.Ordinal);
        Assert.All(text.Split('\n'), l => Assert.True(l.TrimEnd('\r').Length <= 80, l));
    }

    [UnixFact]
    public void The_loop_reports_progress_with_sessions_features_done_and_cost()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"), ("F2", "pending"));
        using var outside = TempDirectory.Create();
        var agent = TestProjects.Agent(outside.Path, Path.Combine(outside.Path, "runs.log"));
        using var session = new ModuleSession();

        session.Run("Start-AutonomousLoop -LiteralPath $args[0] -AgentCommand $args[1] -SkipHealthCheck -ContinueDelay 0", out var streams, repo.Path, $"sh {agent} {{prompt_file}}");

        var statuses = streams.Progress.Select(p => p.StatusDescription).ToList();
        Assert.Contains(statuses, s => s.StartsWith("Session 2: IMPLEMENT F2 | 1/2 features done | $0.00", StringComparison.Ordinal));
        Assert.Contains(streams.Progress, p => p.PercentComplete == 50);
        Assert.Equal(System.Management.Automation.ProgressRecordType.Completed, streams.Progress[^1].RecordType);
    }

    [Fact]
    public void Objects_read_as_one_line_in_strings()
    {
        using var repo = TestProjects.WithFeatures(("F1", "pending"));
        using var session = new ModuleSession(repo.Path);

        var entry = (string)session.Run("\"$(Invoke-SessionEntry -SkipHealthCheck)\"")[0].BaseObject;
        var feature = (string)session.Run("\"$(Get-HarnessFeature)\"")[0].BaseObject;
        var state = (string)session.Run("\"$(Get-HarnessState)\"")[0].BaseObject;

        Assert.Equal($"{repo.Path}: START -> IMPLEMENT (health UNKNOWN, 1 feature(s) remaining, next F1)", entry);
        Assert.Equal("F1 [pending] Feature F1", feature);
        Assert.StartsWith("IMPLEMENT, health UNKNOWN", state, StringComparison.Ordinal);
    }
}
