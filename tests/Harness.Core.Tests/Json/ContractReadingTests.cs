using System.Text;
using System.Text.Json;
using Harness.Core.Agents;
using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.Loop;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Json;

/// <summary>
/// What the source-generated reading must keep accepting: every time format the harness (or the
/// seed, or a person) ever wrote, the nulls the validator allows, older spellings, and fields other
/// tools added, which survive the next write.
/// </summary>
public class ContractReadingTests
{
    [Fact]
    public void Times_in_every_form_the_harness_or_a_person_wrote_still_load()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteState(dir.Path, """
            {
              "state": "IMPLEMENT",
              "entered_at": "2026-01-15T12:11:12+02:00",
              "timestamp": "2026-01-15T10:11:12.1230000+00:00",
              "checkpoint_at": "2026-01-15T10:11:12Z",
              "last_entry_at": "2026-01-15T10:11:12.123Z",
              "health_checked_at": "2026-01-15T10:11:12"
            }
            """);

        var state = StateStore.Load(ProjectLayout.ForRoot(dir.Path))!;

        var at = new DateTimeOffset(2026, 1, 15, 10, 11, 12, TimeSpan.Zero);
        Assert.Equal(at, state.EnteredAt);
        Assert.Equal(at.AddMilliseconds(123), state.Timestamp);
        Assert.Equal(at, state.CheckpointAt);
        Assert.Equal(at.AddMilliseconds(123), state.LastEntryAt);
        Assert.Equal(at, state.HealthCheckedAt); // no zone: UTC
    }

    [Fact]
    public void Nulls_the_validation_allows_read_as_the_defaults()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        ProjectFiles.WriteState(dir.Path, """
            { "state": "INIT", "dirty": null, "iteration": null, "health_status": null,
              "history": [ { "from": "START", "to": "INIT", "at": null, "reason": null } ] }
            """);

        var state = StateStore.Load(layout)!;
        ProjectFiles.WriteState(dir.Path, """{ "state": "INIT", "history": null }""");
        var noHistory = StateStore.Load(layout)!;

        Assert.Equal((false, 0, HealthStatus.UNKNOWN), (state.Dirty, state.Iteration, state.HealthStatus));
        Assert.Equal(new StateTransition(SessionState.START, SessionState.INIT, DateTimeOffset.MinValue, ""), state.History.Single());
        Assert.Empty(noHistory.History);
    }

    [Fact]
    public void A_lock_file_in_the_old_round_trip_format_still_names_its_holder()
    {
        var bytes = Encoding.UTF8.GetBytes("""
            {
              "pid": 4242,
              "host": "build-7",
              "started_at": "2026-01-15T10:11:12.1234567\u002B00:00"
            }
            """);

        var holder = LockInfo.Parse(bytes);

        Assert.Equal(new LockInfo(4242, "build-7", new DateTimeOffset(2026, 1, 15, 10, 11, 12, TimeSpan.Zero).AddTicks(1234567), ""), holder);
    }

    [Fact]
    public void A_lock_written_now_reads_back_as_the_same_holder()
    {
        var mine = LockInfo.ForCurrentProcess("session entry");

        var read = LockInfo.Parse(mine.ToBytes());

        Assert.NotNull(read);
        Assert.True(read.SameHolder(mine), $"{read} is not {mine}");
        Assert.Null(LockInfo.Parse("""{ "pid": 4242, "started_at": "2026-01-15T10:11:12Z" }"""u8.ToArray()));
    }

    [Fact]
    public void Timed_out_is_the_one_spelling_and_the_loops_older_exit_reasons_read_as_it()
    {
        using var dir = TempDirectory.Create();
        dir.Write(".claude/progress/metrics.jsonl", """
            {"session_id":"old1","exit_reason":"timeout"}
            {"session_id":"old2","exit_reason":"crash"}
            {"session_id":"new","exit_reason":"timed_out"}
            {"session_id":"typed","exit_reason":"my own words"}

            """);

        var lines = MetricsStore.Read(ProjectLayout.ForRoot(dir.Path)).Lines;

        Assert.Equal("timed_out", AutonomousLoop.ExitReason(AgentOutcome.TimedOut));
        Assert.Equal("crashed", AutonomousLoop.ExitReason(AgentOutcome.Crashed));
        Assert.Equal("start_failed", AutonomousLoop.ExitReason(AgentOutcome.StartFailed));
        Assert.Equal(["timed_out", "crashed", "timed_out", "my own words"], lines.Select(l => l.ExitReason));
    }

    [Fact]
    public void Fields_another_tool_added_to_checkpoint_json_are_carried_into_the_next_one()
    {
        using var dir = TempDirectory.Create();
        var path = Path.Combine(dir.Path, "checkpoint.json");
        CheckpointFile.Write(path, ContractSamples.Checkpoint());
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"last_good\": true", "\"last_good\": true,\n  \"ci_run\": { \"id\": 77 }", StringComparison.Ordinal));

        CheckpointFile.Write(path, ContractSamples.BareCheckpoint());

        using var written = JsonDocument.Parse(File.ReadAllBytes(path));
        Assert.Equal("20260115T101112123Z-2", written.RootElement.GetProperty("name").GetString());
        Assert.Equal(77, written.RootElement.GetProperty("ci_run").GetProperty("id").GetInt32());
    }

    [Fact]
    public void A_broken_checkpoint_json_is_replaced_it_is_only_a_copy_of_the_ref()
    {
        using var dir = TempDirectory.Create();
        var path = dir.Write("checkpoint.json", "{ not json");

        CheckpointFile.Write(path, ContractSamples.Checkpoint());

        Assert.Equal(Encoding.UTF8.GetString(CheckpointFile.ToBytes(ContractSamples.Checkpoint())), File.ReadAllText(path));
    }

    [Fact]
    public void Metrics_lines_keep_other_tools_fields_and_the_seeds_lines_read_tokens_used()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        dir.Write(".claude/progress/metrics.jsonl", """
            {"session_id":"seed","started_at":"2026-01-15T10:00:00Z","ended_at":"2026-01-15T11:00:00Z","tokens_used":500,"health_status":"HEALTHY"}
            {"session_id":"s2","tokens_used":0,"input_tokens":null,"output_tokens":null,"succeeded":false,"ci":{"job":"build"}}
            {"session_id":"s3","cost_usd":"a lot"}
            {"no_session":true}

            """);

        var (lines, skipped) = MetricsStore.Read(layout);
        var json = HarnessJson.Serialize(MetricsAggregate.Of(lines, skipped), withSessions: true);

        Assert.Equal(["seed", "s2"], lines.Select(l => l.SessionId));
        Assert.Equal(2, skipped);
        Assert.Equal((500L, (long?)null), (lines[0].InputTokens!.Value, lines[1].InputTokens));
        Assert.Equal(3600, lines[0].DurationSeconds);
        Assert.False(lines[1].Succeeded);
        Assert.Contains("\"ci\": {\n        \"job\": \"build\"\n      }", json);
    }

    [Fact]
    public void Metrics_lines_read_back_the_refused_calls_the_estimate_and_the_stderr_tail()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        MetricsStore.Append(project, ContractSamples.Metrics());
        File.AppendAllText(project.Layout.MetricsFile, """
            {"session_id":"older","exit_reason":"completed"}
            {"session_id":"other","permission_denials":1,"denials":[{"target":"/x"}],"cost_estimated":null}

            """);

        var lines = MetricsStore.Read(project.Layout).Lines;

        var written = ContractSamples.Metrics();
        Assert.Equal((true, 3, written.StderrTail), (lines[0].CostEstimated, lines[0].PermissionDenials, lines[0].StderrTail));
        Assert.Equal(ContractSamples.Denials(), lines[0].Denials);
        Assert.Equal((false, 0, 0, (string?)null), (lines[1].CostEstimated, lines[1].PermissionDenials, lines[1].Denials.Count, lines[1].StderrTail));
        Assert.Equal(new PermissionDenial("?", "/x"), Assert.Single(lines[2].Denials));
    }

    [Fact]
    public void File_history_entries_in_either_form_newest_first_and_entries_without_a_path_skipped()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var git = new GitSnapshot { Repository = GitRepositoryInfo.NotARepository, RecentFiles = ["from-git.py"] };
        dir.Write(".claude/progress/file_history.json", """
            ["old.py", {"file": "b.py", "at": 1}, {"path": 5, "file": "c.py"}, {"path": "d.py", "file": "x"}, 7, null, [], {"other": "e.py"}, "", "new.py"]
            """);

        var (files, source, warning) = ContextLoader.RecentFiles(layout, git, 10);
        dir.Write(".claude/progress/file_history.json", """{ "files": ["a.py"] }""");
        var notArray = ContextLoader.RecentFiles(layout, git, 10);
        dir.Write(".claude/progress/file_history.json", "[\"a.py\", tru" + new string(' ', 5000) + "]");
        var broken = ContextLoader.RecentFiles(layout, git, 10);

        Assert.Equal(["new.py", "d.py", "c.py", "b.py", "old.py"], files);
        Assert.Equal(("file_history", (string?)null), (source, warning));
        Assert.Equal(["from-git.py"], notArray.Files);
        Assert.Equal("git", notArray.Source);
        Assert.EndsWith("file_history.json: expected an array of file paths; using git for recent files", notArray.Warning);
        Assert.Equal("git", broken.Source);
        Assert.True(broken.Warning!.Length < 500, broken.Warning);
    }

    [Fact]
    public void Project_config_blanks_and_nulls_fall_back_to_the_defaults_and_unknown_fields_are_listed()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            {
              "health_check": "  ",
              "timeout_seconds": { "health_check": null, "full_test": 900 },
              "agent": { "command": " ", "max_budget_usd": 2.5, "allowed_tools": null },
              "loop": null,
              "my_team_field": 1,
              "helth_check": "typo",
            }
            """);

        var config = ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path));

        Assert.Null(config.HealthCheck);
        Assert.Equal((5d, 60d, 900d), (config.Timeouts.HealthCheck, config.Timeouts.SmokeTest, config.Timeouts.FullTest));
        Assert.Equal(("claude", 2.5m), (config.Agent.Command, config.Agent.MaxBudgetUsd));
        Assert.Empty(config.Agent.AllowedTools);
        Assert.Equal(new LoopSettings(), config.Loop);
        Assert.Equal(["my_team_field", "helth_check"], config.UnknownFields);
    }
}
