using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.State;

public class StateStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Missing_state_loads_as_null_and_update_creates_it_at_start()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;

        Assert.Null(StateStore.Load(layout));
        StateStore.Update(project, s => s.TransitionTo(SessionState.INIT, "no feature list", T0), T0);

        var state = StateStore.Load(layout)!;
        Assert.Equal(SessionState.INIT, state.State);
        Assert.Equal(T0, state.EnteredAt);
        var transition = Assert.Single(state.History);
        Assert.Equal(new StateTransition(SessionState.START, SessionState.INIT, T0, "no feature list"), transition);
    }

    [Fact]
    public void Round_trips_every_field()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        var state = HarnessState.CreateNew(T0, HealthStatus.HEALTHY);
        state.Dirty = true;
        state.Iteration = 7;
        state.SessionId = "s-7";
        state.CurrentFeature = "F012";
        state.LastAction = "implemented login";
        state.CheckpointAt = T0.AddMinutes(5);
        state.LastEntryAt = T0.AddMinutes(1);
        state.HealthCheckedAt = T0.AddMinutes(2);
        state.TransitionTo(SessionState.IMPLEMENT, "3 of 5 features remaining", T0.AddMinutes(1));

        StateStore.Save(project, state, T0.AddMinutes(9));
        var read = StateStore.Load(layout)!;

        Assert.Equal(SessionState.IMPLEMENT, read.State);
        Assert.Equal(HealthStatus.HEALTHY, read.HealthStatus);
        Assert.True(read.Dirty);
        Assert.Equal(7, read.Iteration);
        Assert.Equal("s-7", read.SessionId);
        Assert.Equal("F012", read.CurrentFeature);
        Assert.Equal("implemented login", read.LastAction);
        Assert.Equal(T0.AddMinutes(5), read.CheckpointAt);
        Assert.Equal(T0.AddMinutes(9), read.Timestamp);
        Assert.Equal(T0.AddMinutes(2), read.HealthCheckedAt);
        Assert.Single(read.History);
    }

    [Fact]
    public void Reads_the_seed_scripts_file()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteState(dir.Path, """
            {
              "state": "START",
              "entered_at": "2025-12-28T10:00:00+00:00",
              "health_status": "UNKNOWN",
              "history": []
            }
            """);

        var state = StateStore.Load(ProjectLayout.ForRoot(dir.Path))!;

        Assert.Equal(SessionState.START, state.State);
        Assert.Equal(new DateTimeOffset(2025, 12, 28, 10, 0, 0, TimeSpan.Zero), state.EnteredAt);
        Assert.False(state.Dirty);
    }

    [Fact]
    public void Write_keeps_the_previous_file_as_backup_and_leaves_no_temp_files()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        StateStore.Update(project, s => s.TransitionTo(SessionState.INIT, "first", T0), T0);
        var first = File.ReadAllBytes(layout.StateFile);

        StateStore.Update(project, s => s.TransitionTo(SessionState.IMPLEMENT, "second", T0), T0);

        Assert.Equal(first, File.ReadAllBytes(layout.StateBackupFile));
        Assert.Equal(SessionState.IMPLEMENT, StateStore.Load(layout)!.State);
        Assert.Equal([".gitignore", "harness.lock", "state.json", "state.json.bak"], Directory.GetFiles(layout.ProgressDirectory).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [Fact]
    public void Corrupt_file_is_reported_with_its_line_and_never_overwritten()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        StateStore.Update(project, s => s.TransitionTo(SessionState.INIT, "ok", T0), T0);
        StateStore.Update(project, s => s.Iteration = 1, T0);
        File.WriteAllText(layout.StateFile, "{\n  \"state\": \"IMPLEMENT\",\n  \"dirty\": tru\n}\n");
        var before = File.ReadAllBytes(layout.StateFile);

        var load = Assert.Throws<HarnessException>(() => StateStore.Load(layout));
        var update = Assert.Throws<HarnessException>(() => StateStore.Update(project, s => s.Iteration = 2));

        Assert.Equal(ErrorIds.StateFileInvalid, load.ErrorId);
        Assert.Equal(3, load.Line);
        Assert.Equal(layout.StateFile, load.FilePath);
        Assert.Contains(layout.StateBackupFile, load.Message);
        Assert.Equal(ErrorIds.StateFileInvalid, update.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(layout.StateFile));
    }

    [Fact]
    public void Hand_edited_unknown_state_names_line_and_allowed_values()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        File.Exists(ProjectFiles.WriteState(dir.Path, "{\n  \"health_status\": \"HEALTHY\",\n  \"state\": \"DONE\"\n}"));

        var error = Assert.Throws<HarnessException>(() => StateStore.Load(layout));

        Assert.Equal(3, error.Line);
        Assert.Equal("$.state", error.JsonPath);
        Assert.Contains("$.state: expected one of START, INIT, IMPLEMENT, TEST, FIX_BROKEN, COMPLETE (\"DONE\")", error.Message);
    }

    [Fact]
    public void Unknown_fields_survive_a_write()
    {
        using var dir = TempDirectory.Create();
        using var project = TestProject.Open(dir.Path, locked: true);
        var layout = project.Layout;
        ProjectFiles.WriteState(dir.Path, """{ "state": "INIT", "context_snapshot": { "files": ["a.py"] }, "pending_actions": ["x"] }""");

        StateStore.Update(project, s => s.Iteration = 3);

        var text = File.ReadAllText(layout.StateFile);
        Assert.Contains("\"context_snapshot\"", text);
        Assert.Contains("\"a.py\"", text);
        Assert.Contains("\"pending_actions\"", text);
        Assert.Equal(3, StateStore.Load(layout)!.Iteration);
    }

    [Fact]
    public void History_is_capped()
    {
        var state = HarnessState.CreateNew(T0, HealthStatus.UNKNOWN);
        for (var i = 0; i < HarnessState.MaxHistory + 20; i++)
        {
            state.TransitionTo(i % 2 == 0 ? SessionState.IMPLEMENT : SessionState.TEST, $"step {i}", T0.AddSeconds(i));
        }

        Assert.Equal(HarnessState.MaxHistory, state.History.Count);
        Assert.Equal($"step {HarnessState.MaxHistory + 19}", state.History[^1].Reason);
    }
}
