using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Core.State;

/// <summary>
/// Reads and writes state.json. A write keeps the previous good file as state.json.bak; a file
/// that does not parse is never overwritten (every write reads and validates first).
/// </summary>
internal static class StateStore
{
    /// <summary>The state, or null when the project has no state.json yet.</summary>
    public static HarnessState? Load(ProjectLayout layout)
    {
        var file = JsonFile.TryRead(layout.StateFile, ErrorIds.StateFileInvalid, StateSerializer.RepairAdvice(layout.StateFile, layout.StateBackupFile));
        return file is null ? null : StateSerializer.Parse(file, layout.StateBackupFile);
    }

    /// <summary>Writes <paramref name="state"/> atomically, stamping <see cref="HarnessState.Timestamp"/>.</summary>
    /// <remarks>The project must hold its lock. The current file is re-validated first so a hand-broken file is never replaced.</remarks>
    public static void Save(HarnessProject project, HarnessState state, DateTimeOffset now)
    {
        project.AssertLocked();
        var layout = project.Layout;
        if (File.Exists(layout.StateFile))
        {
            // Throws, leaving the file alone, if someone broke it since we read it.
            Load(layout);
        }

        state.Timestamp = now;
        AtomicFile.Write(layout.StateFile, StateSerializer.ToBytes(state), layout.StateBackupFile);
    }

    /// <summary>The state as state.json holds it, unknown fields included.</summary>
    public static string ToJson(HarnessState state) => System.Text.Encoding.UTF8.GetString(StateSerializer.ToBytes(state)).TrimEnd('\n');

    /// <summary>Load (or create at START), change, save: the one read-modify-write for state.json.</summary>
    public static HarnessState Update(HarnessProject project, Action<HarnessState> change, DateTimeOffset? now = null)
    {
        var at = now ?? project.Clock.GetUtcNow();
        var state = Load(project.Layout) ?? HarnessState.CreateNew(at, HealthStatus.UNKNOWN);
        change(state);
        Save(project, state, at);
        return state;
    }
}
