using System.Text.RegularExpressions;
using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>
/// The HarnessEntry target of the packed package, in real <c>dotnet msbuild</c> / <c>dotnet build</c>
/// processes against real temporary git repositories.
/// </summary>
[Collection(MSBuildCollection.Name)]
public sealed class EntryTargetTests(PackageFeed feed)
{
    private static readonly string[] EntryProperties =
    [
        "HarnessNextState", "HarnessCurrentState", "HarnessHealthStatus", "HarnessSessionType", "HarnessFeatureStatus",
        "HarnessTotalFeatures", "HarnessPendingFeatures", "HarnessCompletedFeatures", "HarnessNextFeature",
        "HarnessLatestSummary", "HarnessProjectRoot",
    ];

    [Fact]
    public void Fresh_repository_is_init()
    {
        using var repo = BuildRepo.WithProject(feed);
        repo.Commit();

        var (result, p, _) = repo.MSBuild("HarnessEntry", EntryProperties);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("INIT", p["HarnessNextState"]);
        Assert.Equal("START", p["HarnessCurrentState"]);
        Assert.Equal("INIT", p["HarnessSessionType"]);
        Assert.Equal("NO_FEATURE_LIST", p["HarnessFeatureStatus"]);
        Assert.Equal("0", p["HarnessTotalFeatures"]);
        Assert.Equal("UNKNOWN", p["HarnessHealthStatus"]);
        Assert.Equal(Path.GetFullPath(repo.Root), p["HarnessProjectRoot"]);
        Assert.True(File.Exists(repo.StateFile), "the entry records its decision in state.json");
    }

    [Fact]
    public void Pending_features_are_implement_with_counts_feature_items_and_the_recorded_state()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "completed"), ("F2", "pending"), ("F3", "in_progress"), ("F4", "tested"));
        ProjectFiles.Write(Path.Combine(repo.Root, ".claude", "progress", "sessions", "20250101T000000Z.md"), "# Last session\nDid F1.\n");
        repo.Commit();

        var (result, p, items) = repo.MSBuild("TestReport", [.. EntryProperties, "TestRecordedState", "TestRecordedDirty"], ["TestFeature"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("IMPLEMENT", p["HarnessNextState"]);
        Assert.Equal("CONTINUE", p["HarnessSessionType"]);
        Assert.Equal("HAS_PENDING_FEATURES", p["HarnessFeatureStatus"]);
        Assert.Equal(("4", "2", "2"), (p["HarnessTotalFeatures"], p["HarnessPendingFeatures"], p["HarnessCompletedFeatures"]));
        Assert.Equal("F3", p["HarnessNextFeature"]); // in progress goes before pending
        Assert.Equal(Path.Combine(repo.Root, ".claude", "progress", "sessions", "20250101T000000Z.md"), p["HarnessLatestSummary"]);
        Assert.Equal("IMPLEMENT", p["TestRecordedState"]);
        Assert.Equal("false", p["TestRecordedDirty"], ignoreCase: true);
        var features = items!.Value.GetProperty("TestFeature").EnumerateArray()
            .Select(f => (f.GetProperty("Identity").GetString(), f.GetProperty("Name").GetString(), f.GetProperty("Status").GetString()))
            .ToArray();
        Assert.Equal(
            [("F1", "Feature F1", "completed"), ("F2", "Feature F2", "pending"), ("F3", "Feature F3", "in_progress"), ("F4", "Feature F4", "tested")],
            features);
    }

    [Fact]
    public void All_features_done_is_complete_and_a_dry_run_writes_nothing()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "completed"), ("F2", "tested"));
        repo.Commit();

        var (result, p, _) = repo.MSBuild("HarnessEntry", EntryProperties, extra: ["-p:HarnessDryRun=true"]);

        Assert.False(File.Exists(repo.StateFile), "HarnessDryRun=true must not create state.json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("COMPLETE", p["HarnessNextState"]);
        Assert.Equal("ALL_COMPLETE", p["HarnessFeatureStatus"]);
        Assert.Equal(("2", "0", "2"), (p["HarnessTotalFeatures"], p["HarnessPendingFeatures"], p["HarnessCompletedFeatures"]));
    }

    [Fact]
    public void Failing_health_check_is_fix_broken_and_does_not_fail_by_default()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteConfig(repo.Root, """{ "health_check": "echo compile error in app.py >&2; exit 3" }""");
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();

        var (result, p, _) = repo.MSBuild("HarnessEntry", EntryProperties);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("FIX_BROKEN", p["HarnessNextState"]);
        Assert.Equal("BROKEN", p["HarnessHealthStatus"]);
        Assert.DoesNotContain("error HARN", result.Output);
    }

    [Fact]
    public void Broken_project_with_fail_on_broken_fails_the_build_with_a_coded_error_carrying_the_health_output()
    {
        using var repo = BuildRepo.WithProject(feed);
        var config = ProjectFiles.WriteConfig(repo.Root, """{ "health_check": "echo compile error in app.py >&2; exit 3" }""");
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();

        var plain = repo.Build();
        Assert.True(plain.ExitCode == 0, "HarnessRunOnBuild is off by default: " + plain);
        Assert.DoesNotContain("Harness:", plain.Output);
        Assert.False(File.Exists(repo.StateFile), "without HarnessRunOnBuild a build runs no entry");
        File.Delete(Path.Combine(repo.Root, "bin", "Debug", "net10.0", "App.dll"));

        var result = repo.Build("-p:HarnessRunOnBuild=true", "-p:HarnessFailOnBroken=true");

        Assert.NotEqual(0, result.ExitCode);
        // The canonical MSBuild form CI turns into an annotation on project.json.
        Assert.Matches(new Regex($@"{Regex.Escape(config)}\s*: error HARN0100: the project is broken"), result.Output);
        Assert.Contains("compile error in app.py", result.Output);
        Assert.DoesNotContain("MSB4181", result.Output);
        Assert.False(File.Exists(Path.Combine(repo.Root, "bin", "Debug", "net10.0", "App.dll")), "the entry runs before compilation");
    }

    [Fact]
    public void Invalid_state_file_is_a_coded_error_at_its_line_and_column()
    {
        using var repo = BuildRepo.WithProject(feed);
        var state = ProjectFiles.WriteState(repo.Root, "{\n  \"state\": \"INIT\",\n  \"dirty\": tru\n}\n");
        repo.Commit();

        var (result, _, _) = repo.MSBuild("HarnessEntry", EntryProperties);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(new Regex($@"{Regex.Escape(state)}\(3,\d+\): error HARN0001: "), result.Output);
    }

    [Theory]
    [InlineData("tru", "\"2026-01-15T10:11:12.123Z\"")]
    [InlineData("false", "\"yesterday\"")]
    public void A_long_invalid_state_file_is_at_most_21_error_lines(string dirty, string at)
    {
        using var repo = BuildRepo.WithProject(feed);
        var state = ProjectFiles.WriteState(repo.Root, ProjectFiles.LongState(dirty, at));
        repo.Commit();

        var result = repo.Build("-p:HarnessRunOnBuild=true");

        // Before: 6,012 lines for the literal typo (the reader's message quoted the rest of the file,
        // 3,006 lines, and MSBuild's summary repeats them), 1,004 for 500 invalid times.
        var errors = result.Output.Split('\n').Count(line => line.Contains("error HARN0001", StringComparison.Ordinal));
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(errors is >= 1 and <= 21, $"{errors} error lines:\n{result.Output[..Math.Min(3000, result.Output.Length)]}");
        // At the first problem's line and column, which the message does not repeat.
        Assert.Matches(new Regex($@"{Regex.Escape(state)}\((5,12\): error HARN0001: \$\.dirty: not valid JSON|11,13\): error HARN0001: \$\.history\[0\]\.at: expected)"), result.Output);
        if (dirty == "false")
        {
            // The other problems are in the log, once, as plain lines under the error.
            Assert.Contains($"{state}(125,13): $.history[19].at: expected an ISO 8601 date and time", result.Output);
            Assert.Contains("... and 480 more problems in state.json.", result.Output);
        }
    }

    [Fact]
    public void Design_time_build_runs_nothing()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteConfig(repo.Root, """{ "health_check": "echo ran > health-ran.txt" }""");
        repo.Commit();

        // An IDE's build sets DesignTimeBuild=true; with HarnessRunOnBuild on, neither Build nor an
        // explicit HarnessEntry may run the entry.
        var (result, p, _) = repo.MSBuild(
            "Build;HarnessEntry", ["HarnessNextState", "HarnessCurrentState"], extra: ["-p:DesignTimeBuild=true", "-p:HarnessRunOnBuild=true"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", p["HarnessNextState"]);
        Assert.DoesNotContain("Harness: next state", result.Output);
        Assert.False(File.Exists(repo.StateFile), "a design-time build must not write state.json");
        Assert.False(File.Exists(Path.Combine(repo.Root, "health-ran.txt")), "a design-time build must not run the health check");
    }

    [Fact]
    public void Entry_runs_once_per_build_in_a_two_project_solution()
    {
        using var repo = BuildRepo.WithSolution(feed);
        ProjectFiles.WriteConfig(repo.Root, """{ "health_check": "echo run >> health-runs.txt" }""");
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();

        var result = repo.Build("Two.slnx", "-p:HarnessRunOnBuild=true", "-m:2");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summaries = Regex.Matches(result.Output, @"Harness: next state IMPLEMENT");
        Assert.True(summaries.Count == 1, $"expected one summary line, got {summaries.Count}:\n{result.Output}");
        Assert.Single(File.ReadAllLines(Path.Combine(repo.Root, "health-runs.txt")));
        Assert.True(File.Exists(Path.Combine(repo.Root, "A", "bin", "Debug", "net10.0", "A.dll")));
        Assert.True(File.Exists(Path.Combine(repo.Root, "B", "bin", "Debug", "net10.0", "B.dll")));
    }

    [Fact]
    public void Ci_variables_of_the_test_machine_do_not_reach_the_build()
    {
        using var repo = BuildRepo.WithProject(feed);
        ProjectFiles.WriteFeatures(repo.Root, ("F1", "pending"));
        repo.Commit();
        var githubOutput = Path.Combine(repo.Root, "github-output.txt");
        var machine = new Dictionary<string, string>(ChildEnvironment.Current())
        {
            ["CI"] = "true",
            ["GITHUB_ACTIONS"] = "true",
            ["GITHUB_OUTPUT"] = githubOutput,
            ["GITHUB_STEP_SUMMARY"] = githubOutput,
            ["TF_BUILD"] = "True",
            ["GITLAB_CI"] = "true",
        };

        var (result, p, _) = repo.MSBuild(
            "HarnessEntry", ["HarnessNextState", "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "TF_BUILD", "GITLAB_CI"], environment: feed.Environment(machine));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("IMPLEMENT", p["HarnessNextState"]);
        Assert.All(new[] { "CI", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "TF_BUILD", "GITLAB_CI" }, name => Assert.Equal("", p[name]));
        Assert.False(File.Exists(githubOutput), "nothing may write GitHub Actions outputs from a test build");
        Assert.DoesNotContain("::error", result.Output);
        Assert.DoesNotContain("##vso[", result.Output);
    }
}
