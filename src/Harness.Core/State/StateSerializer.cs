using System.Text.Json;
using Harness.Core.Errors;
using Harness.Core.Json;
using Harness.Core.Json.Converters;

namespace Harness.Core.State;

/// <summary>
/// Maps state.json to <see cref="HarnessState"/> and back. People and the seed's scripts edit the
/// file, so reading validates it first (every problem, with line and column), then the
/// source-generated deserializer builds the state.
/// </summary>
internal static class StateSerializer
{
    internal static string RepairAdvice(string path, string backupPath) =>
        File.Exists(backupPath)
            ? $"The file was left unchanged. Repair it by hand, or restore the last good copy: copy '{backupPath}' over it."
            : $"The file was left unchanged. Repair it by hand, or delete it to start again from START (history is lost).";

    public static HarnessState Parse(JsonFile file, string backupPath)
    {
        var fix = RepairAdvice(file.Path, backupPath);
        Validate(file, fix);
        return HarnessJson.Deserialize(file, HarnessJsonContext.Default.HarnessState, ErrorIds.StateFileInvalid, fix);
    }

    /// <summary>The file's bytes: the known fields in docs/formats.md's order, then every field this version does not know, as read.</summary>
    public static byte[] ToBytes(HarnessState state) => HarnessJson.FileBytes(state, HarnessJsonContext.Default.HarnessState);

    private static void Validate(JsonFile file, string fix)
    {
        var v = new JsonValidator(file);
        if (v.Object(file.Root, "$", required: true) is { } root)
        {
            Enum<SessionState>(v, root, "state", required: true, "$");
            Date(v, root, "entered_at", "$");
            Enum<HealthStatus>(v, root, "health_status", required: false, "$");
            v.Boolean(root, "dirty", "$");
            v.Integer(root, "iteration", "$", 0);
            v.String(root, "session_id", "$");
            v.String(root, "current_feature", "$");
            v.String(root, "last_action", "$");
            Date(v, root, "timestamp", "$");
            Date(v, root, "checkpoint_at", "$");
            Date(v, root, "last_entry_at", "$");
            Date(v, root, "health_checked_at", "$");
            History(v, root);
        }

        v.ThrowIfProblems(ErrorIds.StateFileInvalid, "state.json", fix);
    }

    private static void Date(JsonValidator v, JsonElement o, string name, string parent)
    {
        if (v.String(o, name, parent) is { } text && !Timestamps.TryParse(text, out _))
        {
            v.Report(JsonPaths.Child(parent, name), $"expected an ISO 8601 date and time ({Timestamps.Example})", o.GetProperty(name));
        }
    }

    private static void History(JsonValidator v, JsonElement root)
    {
        if (JsonValidator.Property(root, "history") is not { } node)
        {
            return;
        }

        if (node.ValueKind != JsonValueKind.Array)
        {
            v.Report("$.history", "expected an array of {from, to, at, reason}", node);
            return;
        }

        var i = 0;
        foreach (var element in node.EnumerateArray())
        {
            var path = JsonPaths.Index("$.history", i++);
            if (v.Object(element, path, required: true) is { } item)
            {
                Enum<SessionState>(v, item, "from", required: true, path);
                Enum<SessionState>(v, item, "to", required: true, path);
                Date(v, item, "at", path);
                v.String(item, "reason", path);
            }
        }
    }

    private static void Enum<T>(JsonValidator v, JsonElement o, string name, bool required, string parent)
        where T : struct, System.Enum
    {
        // Names only: Enum.TryParse would also take "3" or "START, INIT".
        if (v.String(o, name, parent, required) is { } text && EnumNames<T>.Declared.Find(text) is null)
        {
            v.Report(JsonPaths.Child(parent, name), $"expected one of {string.Join(", ", EnumNames<T>.Declared.All)}", o.GetProperty(name));
        }
    }
}
