using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.State;

/// <summary>Maps state.json to <see cref="HarnessState"/> and back, validating on the way in.</summary>
internal static class StateSerializer
{
    internal static string RepairAdvice(string path, string backupPath) =>
        File.Exists(backupPath)
            ? $"The file was left unchanged. Repair it by hand, or restore the last good copy: copy '{backupPath}' over it."
            : $"The file was left unchanged. Repair it by hand, or delete it to start again from START (history is lost).";

    public static HarnessState Parse(JsonFile file, string backupPath)
    {
        var fix = RepairAdvice(file.Path, backupPath);
        var v = new JsonValidator(file);
        var root = v.Object(file.Root, "$", required: true);
        if (root is null)
        {
            v.ThrowIfProblems(ErrorIds.StateFileInvalid, "state.json", fix);
        }

        var state = new HarnessState
        {
            Document = root,
            State = Enum(v, root!, "state", SessionState.START, required: true),
            EnteredAt = Date(v, root!, "entered_at"),
            HealthStatus = Enum(v, root!, "health_status", HealthStatus.UNKNOWN, required: false),
            Dirty = v.Boolean(root!, "dirty", "$") ?? false,
            Iteration = v.Integer(root!, "iteration", "$", 0) ?? 0,
            SessionId = v.String(root!, "session_id", "$"),
            CurrentFeature = v.String(root!, "current_feature", "$"),
            LastAction = v.String(root!, "last_action", "$"),
            Timestamp = Date(v, root!, "timestamp"),
            CheckpointAt = Date(v, root!, "checkpoint_at"),
            LastEntryAt = Date(v, root!, "last_entry_at"),
            HealthCheckedAt = Date(v, root!, "health_checked_at"),
            History = History(v, root!),
        };
        v.ThrowIfProblems(ErrorIds.StateFileInvalid, "state.json", fix);
        return state;
    }

    public static JsonObject ToJson(HarnessState state)
    {
        // Start from the file as read, so unknown fields keep their place and value.
        var o = state.Document?.DeepClone() as JsonObject ?? new JsonObject();
        o["state"] = state.State.ToString();
        o["entered_at"] = Format(state.EnteredAt);
        o["health_status"] = state.HealthStatus.ToString();
        o["dirty"] = state.Dirty;
        o["iteration"] = state.Iteration;
        o["session_id"] = state.SessionId;
        o["current_feature"] = state.CurrentFeature;
        o["last_action"] = state.LastAction;
        o["timestamp"] = Format(state.Timestamp);
        o["checkpoint_at"] = Format(state.CheckpointAt);
        o["last_entry_at"] = Format(state.LastEntryAt);
        o["health_checked_at"] = Format(state.HealthCheckedAt);
        var history = new JsonArray();
        foreach (var t in state.History)
        {
            history.Add((JsonNode)new JsonObject
            {
                ["from"] = t.From.ToString(),
                ["to"] = t.To.ToString(),
                ["at"] = Format(t.At),
                ["reason"] = t.Reason,
            });
        }

        o["history"] = history;
        return o;
    }

    internal static string? Format(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static T Enum<T>(JsonValidator v, JsonObject o, string name, T fallback, bool required)
        where T : struct, System.Enum
    {
        var text = v.String(o, name, "$", required);
        if (text is null)
        {
            return fallback;
        }

        if (System.Enum.TryParse<T>(text, ignoreCase: false, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0]))
        {
            return value;
        }

        v.Report(JsonPaths.Child("$", name), $"expected one of {string.Join(", ", System.Enum.GetNames<T>())}, found \"{text}\"");
        return fallback;
    }

    private static DateTimeOffset? Date(JsonValidator v, JsonObject o, string name, string parent = "$")
    {
        var text = v.String(o, name, parent);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        v.Report(JsonPaths.Child(parent, name), $"expected an ISO 8601 date and time (2025-12-28T10:00:00Z), found \"{text}\"");
        return null;
    }

    private static List<StateTransition> History(JsonValidator v, JsonObject root)
    {
        var list = new List<StateTransition>();
        var node = root["history"];
        if (node is null)
        {
            return list;
        }

        if (node is not JsonArray array)
        {
            v.Report("$.history", $"expected an array of {{from, to, at, reason}}, found {JsonValidator.Describe(node)}");
            return list;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = JsonPaths.Index("$.history", i);
            if (v.Object(array[i], path, required: true) is not { } item)
            {
                continue;
            }

            var from = ParseState(v, item, "from", path);
            var to = ParseState(v, item, "to", path);
            var at = Date(v, item, "at", path);
            var reason = v.String(item, "reason", path) ?? "";
            if (from is { } f && to is { } t)
            {
                list.Add(new StateTransition(f, t, at ?? DateTimeOffset.MinValue, reason));
            }
        }

        return list;
    }

    private static SessionState? ParseState(JsonValidator v, JsonObject o, string name, string parent)
    {
        var text = v.String(o, name, parent, required: true);
        if (text is null)
        {
            return null;
        }

        if (System.Enum.TryParse<SessionState>(text, false, out var s) && System.Enum.IsDefined(s) && !char.IsDigit(text[0]))
        {
            return s;
        }

        v.Report(JsonPaths.Child(parent, name), $"expected one of {string.Join(", ", System.Enum.GetNames<SessionState>())}, found \"{text}\"");
        return null;
    }
}
