using System.Runtime.CompilerServices;
using System.Text;
using Harness.Core.Checkpoints;
using Harness.Core.Guard;
using Harness.Core.Json;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Summaries;
using Harness.TestKit;

namespace Harness.Core.Tests.Json;

/// <summary>
/// Pins, byte for byte, every JSON document the harness writes: the fronts' <c>--json</c> output
/// and the files under <c>.claude/</c>. The expected bytes were taken from the field-by-field
/// writers before the move to source-generated serialization.
/// </summary>
public class ContractGoldenTests
{
    private static void Matches(string name, byte[] actual, [CallerFilePath] string testFile = "") =>
        Matches(name, Encoding.UTF8.GetString(actual), testFile);

    private static void Matches(string name, string actual, [CallerFilePath] string testFile = "") =>
        Assert.Equal(GoldenFile.Expected(name, actual, testFile), actual);

    [Fact]
    public void Entry_report_with_every_field_set() =>
        Matches("entry-report-full.json", HarnessJson.Serialize(ContractSamples.FullEntryReport()));

    [Fact]
    public void Entry_report_with_nulls_and_empty_lists() =>
        Matches("entry-report-minimal.json", HarnessJson.Serialize(ContractSamples.MinimalEntryReport()));

    [Fact]
    public void Feature_list_output() =>
        Matches("features.json", HarnessJson.Serialize([ContractSamples.Feature("F001", "pending", notes: null), ContractSamples.Feature("F002", "blocked", "waits for an API key")]));

    [Fact]
    public void Init_output_with_and_without_hooks() =>
        Matches("init.json", HarnessJson.Serialize(ContractSamples.Init(hooks: true)) + "\n" + HarnessJson.Serialize(ContractSamples.Init(hooks: false)));

    [Fact]
    public void Checkpoint_outputs() =>
        Matches("checkpoints.json", HarnessJson.Serialize(ContractSamples.Checkpoint()) + "\n" + HarnessJson.Serialize([ContractSamples.Checkpoint(), ContractSamples.BareCheckpoint()]));

    [Fact]
    public void Restore_output() => Matches("restore.json", HarnessJson.Serialize(ContractSamples.Restore()));

    [Fact]
    public void Summary_output() => Matches("summary.json", HarnessJson.Serialize(ContractSamples.Summary()));

    [Fact]
    public void Handoff_outputs() =>
        Matches("handoff.json", HarnessJson.Serialize(ContractSamples.Handoff()) + "\n" + HarnessJson.Serialize(new HandoffResult { SessionId = "s7", AlreadyDone = true }));

    [Fact]
    public void Metrics_outputs()
    {
        var aggregate = MetricsAggregate.Of([ContractSamples.Metrics(), ContractSamples.SparseMetrics()], skipped: 1);
        Matches("metrics-aggregate.json", HarnessJson.Serialize(aggregate, withSessions: true) + "\n" + HarnessJson.Serialize(aggregate, withSessions: false));
    }

    [Fact]
    public void Loop_events_one_per_line() =>
        Matches("loop-events.jsonl", string.Concat(ContractSamples.LoopEvents().Select(e => HarnessJson.SerializeLine(e) + "\n")));

    [Fact]
    public void Loop_result_and_plan() =>
        Matches("loop-result-and-plan.json", HarnessJson.Serialize(ContractSamples.LoopResult()) + "\n" + HarnessJson.Serialize(ContractSamples.LoopPlan()));

    [Fact]
    public void State_file_after_a_write_keeps_unknown_fields_after_the_known_ones()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteState(dir.Path, ContractSamples.HandEditedState);
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;

        StateStore.Update(project, s => s.TransitionTo(SessionState.TEST, "all features tested", ContractSamples.Later), ContractSamples.Later);

        Matches("state-after-write.json", File.ReadAllBytes(layout.StateFile));
    }

    [Fact]
    public void State_file_created_fresh()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;

        StateStore.Save(project, HarnessState.CreateNew(ContractSamples.Time, HealthStatus.UNKNOWN), ContractSamples.Time);

        Matches("state-new.json", File.ReadAllBytes(layout.StateFile));
    }

    [Fact]
    public void Checkpoint_file() => Matches("checkpoint-file.json", CheckpointFile.ToBytes(ContractSamples.Checkpoint()));

    [Fact]
    public void Metrics_lines_appended()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;

        MetricsStore.Append(project, ContractSamples.Metrics());
        MetricsStore.Append(project, ContractSamples.SparseMetrics());

        Matches("metrics.jsonl", File.ReadAllBytes(layout.MetricsFile));
    }

    [Fact]
    public void Lock_file() =>
        Matches("harness.lock", new LockInfo(4242, "build-7", ContractSamples.Time, "session entry").ToBytes());

    [Fact]
    public void Session_start_file()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        Directory.CreateDirectory(layout.ProgressDirectory);

        new SessionBaseline("s7", ContractSamples.Time, "3f2c5e0d", new Dictionary<string, string> { ["F001"] = "pending", ["F-é+"] = "completed" }).Save(layout);

        Matches("session-start.json", File.ReadAllBytes(SessionBaseline.PathFor(layout)));
    }

    [Fact]
    public void Hook_settings_for_the_loop() =>
        Matches("hook-settings.json", HookSettings.SettingsJson(HookSettings.ResolveCommand("/opt/harness/harness guard")) + "\n" + HookSettings.SettingsJson(HookSettings.ResolveCommand("dotnet \"/opt/harness é/harness.dll\" guard")));

    [Fact]
    public void Hook_settings_merged_into_an_existing_file()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        ProjectFiles.Write(layout.ClaudeSettingsFile, """
            {
              "permissions": { "allow": ["Bash(npm test)"] },
              "hooks": {
                "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "./my-hook.sh" } ] } ],
                "SessionStart": [ { "hooks": [ { "type": "command", "command": "harness guard", "timeout": 30 } ] } ]
              },
              "model": "sonnet"
            }
            """);

        // The stale bare `harness guard` (it fails open off PATH) is rewritten in place; the user's own hook is kept.
        HookSettings.Install(layout, "/opt/harness/harness guard");

        Matches("settings-merged.json", File.ReadAllBytes(layout.ClaudeSettingsFile));
    }

    [Fact]
    public void Session_start_hook_output() =>
        Matches("session-start-hook.json", SessionContext.HookOutput("Harness session facts:\n- project: /work/café + \"x\"\n- state: IMPLEMENT\n"));

    [Fact]
    public void Starter_project_files()
    {
        var text = new StringBuilder();
        foreach (var type in new[] { "node", "python", null })
        {
            text.Append(Encoding.UTF8.GetString(StarterConfig.ToBytes(type)));
        }

        Matches("starter-project.json", text.ToString());
    }
}
