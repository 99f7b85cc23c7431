using System.Text.Json;

namespace Harness.Core.Guard;

/// <summary>
/// The JSON Claude Code writes on a hook's stdin (<c>session_id</c>, <c>cwd</c>, <c>hook_event_name</c>,
/// <c>tool_name</c>, <c>tool_input</c>). Read with <see cref="JsonDocument"/> only: no serializer on the hot path.
/// </summary>
internal sealed class HookInput
{
    public string? HookEventName { get; init; }

    public string? ToolName { get; init; }

    public string? SessionId { get; init; }

    public string? Cwd { get; init; }

    /// <summary><c>tool_input.file_path</c> (Write, Edit, MultiEdit) or <c>tool_input.notebook_path</c> (NotebookEdit).</summary>
    public string? FilePath { get; init; }

    /// <summary><c>tool_input.command</c> (Bash).</summary>
    public string? Command { get; init; }

    /// <summary>The tool input held a field of the wrong type (a number where a path belongs).</summary>
    public string? Problem { get; init; }

    /// <summary>Parses the hook input; null with <paramref name="error"/> when it is not a JSON object.</summary>
    public static HookInput? Parse(ReadOnlySpan<byte> json, out string? error)
    {
        error = null;
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.Trim(" \t\r\n"u8).Length == 0)
        {
            error = "no hook input on stdin (expected the JSON object Claude Code sends)";
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json, Json.JsonFile.ReaderOptions);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                error = "the hook input on stdin holds more than one JSON value";
                return null;
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"the hook input on stdin is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object";
                return null;
            }

            string? problem = null;
            string? filePath = null, command = null;
            if (root.TryGetProperty("tool_input", out var tool) && tool.ValueKind == JsonValueKind.Object)
            {
                filePath = Str(tool, "file_path", ref problem) ?? Str(tool, "notebook_path", ref problem);
                command = Str(tool, "command", ref problem);
            }
            else if (root.TryGetProperty("tool_input", out tool) && tool.ValueKind != JsonValueKind.Null)
            {
                problem = "tool_input is not an object";
            }

            return new HookInput
            {
                HookEventName = Str(root, "hook_event_name", ref problem),
                ToolName = Str(root, "tool_name", ref problem),
                SessionId = Str(root, "session_id", ref problem),
                Cwd = Str(root, "cwd", ref problem),
                FilePath = filePath,
                Command = command,
                Problem = problem,
            };
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            error = $"the hook input on stdin is not valid JSON (line {line}, column {column})";
            return null;
        }
    }

    private static string? Str(JsonElement o, string name, ref string? problem)
    {
        if (!o.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problem ??= $"{name} is a {value.ValueKind.ToString().ToLowerInvariant()}, expected a string";
            return null;
        }

        return value.GetString();
    }
}
