using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.State;

/// <summary>Maps state.json to <see cref="HarnessState"/> and back, validating on the way in.</summary>
internal static class StateSerializer
{
    private static readonly string[] KnownFields =
    [
        "state", "entered_at", "health_status", "dirty", "iteration", "session_id", "current_feature", "last_action",
        "timestamp", "checkpoint_at", "last_entry_at", "health_checked_at", "history",
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static string RepairAdvice(string path, string backupPath) =>
        File.Exists(backupPath)
            ? $"The file was left unchanged. Repair it by hand, or restore the last good copy: copy '{backupPath}' over it."
            : $"The file was left unchanged. Repair it by hand, or delete it to start again from START (history is lost).";

    public static HarnessState Parse(JsonFile file, string backupPath)
    {
        var fix = RepairAdvice(file.Path, backupPath);
        var v = new JsonValidator(file);
        if (v.Object(file.Root, "$", required: true) is not { } root)
        {
            v.ThrowIfProblems(ErrorIds.StateFileInvalid, "state.json", fix);
            throw new InvalidOperationException("unreachable: a missing root is always a problem");
        }

        var state = new HarnessState
        {
            Source = root,
            State = Enum(v, root, "state", SessionState.START, required: true),
            EnteredAt = Date(v, root, "entered_at"),
            HealthStatus = Enum(v, root, "health_status", HealthStatus.UNKNOWN, required: false),
            Dirty = v.Boolean(root, "dirty", "$") ?? false,
            Iteration = v.Integer(root, "iteration", "$", 0) ?? 0,
            SessionId = v.String(root, "session_id", "$"),
            CurrentFeature = v.String(root, "current_feature", "$"),
            LastAction = v.String(root, "last_action", "$"),
            Timestamp = Date(v, root, "timestamp"),
            CheckpointAt = Date(v, root, "checkpoint_at"),
            LastEntryAt = Date(v, root, "last_entry_at"),
            HealthCheckedAt = Date(v, root, "health_checked_at"),
            History = History(v, root),
        };
        v.ThrowIfProblems(ErrorIds.StateFileInvalid, "state.json", fix);
        return state;
    }

    /// <summary>The file's bytes: DESIGN.md's fields in order, then every field this version does not know, as read.</summary>
    public static byte[] ToBytes(HarnessState state)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(w, state);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static void Write(Utf8JsonWriter w, HarnessState state)
    {
        w.WriteStartObject();
        w.WriteString("state", state.State.ToString());
        w.WriteString("entered_at", Format(state.EnteredAt));
        w.WriteString("health_status", state.HealthStatus.ToString());
        w.WriteBoolean("dirty", state.Dirty);
        w.WriteNumber("iteration", state.Iteration);
        w.WriteString("session_id", state.SessionId);
        w.WriteString("current_feature", state.CurrentFeature);
        w.WriteString("last_action", state.LastAction);
        w.WriteString("timestamp", Format(state.Timestamp));
        w.WriteString("checkpoint_at", Format(state.CheckpointAt));
        w.WriteString("last_entry_at", Format(state.LastEntryAt));
        w.WriteString("health_checked_at", Format(state.HealthCheckedAt));
        w.WriteStartArray("history");
        foreach (var t in state.History)
        {
            w.WriteStartObject();
            w.WriteString("from", t.From.ToString());
            w.WriteString("to", t.To.ToString());
            w.WriteString("at", Format(t.At));
            w.WriteString("reason", t.Reason);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (state.Source is { } source)
        {
            foreach (var property in source.EnumerateObject())
            {
                if (Array.IndexOf(KnownFields, property.Name) < 0)
                {
                    property.WriteTo(w);
                }
            }
        }

        w.WriteEndObject();
    }

    internal static string? Format(DateTimeOffset? value) =>
        value?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static T Enum<T>(JsonValidator v, JsonElement o, string name, T fallback, bool required)
        where T : struct, System.Enum => Enum(v, o, name, fallback, required, "$");

    private static DateTimeOffset? Date(JsonValidator v, JsonElement o, string name, string parent = "$")
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

    private static List<StateTransition> History(JsonValidator v, JsonElement root)
    {
        var list = new List<StateTransition>();
        if (JsonValidator.Property(root, "history") is not { } node)
        {
            return list;
        }

        if (node.ValueKind != JsonValueKind.Array)
        {
            v.Report("$.history", $"expected an array of {{from, to, at, reason}}, found {JsonValidator.Describe(node)}");
            return list;
        }

        var i = 0;
        foreach (var element in node.EnumerateArray())
        {
            var path = JsonPaths.Index("$.history", i++);
            if (v.Object(element, path, required: true) is not { } item)
            {
                continue;
            }

            var from = Enum(v, item, "from", SessionState.START, required: true, path);
            var to = Enum(v, item, "to", SessionState.START, required: true, path);
            var at = Date(v, item, "at", path);
            var reason = v.String(item, "reason", path) ?? "";
            list.Add(new StateTransition(from, to, at ?? DateTimeOffset.MinValue, reason));
        }

        return list;
    }

    private static T Enum<T>(JsonValidator v, JsonElement o, string name, T fallback, bool required, string parent)
        where T : struct, System.Enum
    {
        var text = v.String(o, name, parent, required);
        if (text is null)
        {
            return fallback;
        }

        // Names only: Enum.TryParse would also take "3" or "START, INIT".
        foreach (var value in System.Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        v.Report(JsonPaths.Child(parent, name), $"expected one of {string.Join(", ", System.Enum.GetNames<T>())}, found \"{text}\"");
        return fallback;
    }
}
