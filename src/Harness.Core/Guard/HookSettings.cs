using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;
using Harness.Core.Project;

namespace Harness.Core.Guard;

/// <summary>What installing the hooks did to <c>.claude/settings.json</c>.</summary>
public sealed record HookSettingsResult
{
    public required string Path { get; init; }

    public required string Command { get; init; }

    /// <summary>Hook events an entry was added for ("PreToolUse", "SessionStart"); empty when all were there.</summary>
    public IReadOnlyList<string> Added { get; init; } = [];

    /// <summary>Hook events that already ran the command; left as they were.</summary>
    public IReadOnlyList<string> Existing { get; init; } = [];

    /// <summary>Hook events whose guard entry ran an older form of the command (e.g. the bare <c>harness guard</c>, which fails open off PATH); rewritten to <see cref="Command"/>.</summary>
    public IReadOnlyList<string> Updated { get; init; } = [];

    public bool Created { get; init; }

    public bool DryRun { get; init; }

    public bool Changed => Added.Count > 0 || Updated.Count > 0;
}

/// <summary>
/// The Claude Code hook entries that run <c>harness guard</c>: merged into <c>.claude/settings.json</c>
/// by <c>harness init --hooks</c> / <c>Initialize-HarnessProject -Hooks</c>, and the same entries for
/// the loop to pass with <c>--settings</c>. One behaviour, one place. The command is always one that
/// fails closed (<see cref="HookCommand"/>).
/// </summary>
internal static class HookSettings
{
    /// <summary>What the command defaults to, for help texts.</summary>
    public const string DefaultCommandDescription = "this harness by its absolute path: '<path>/harness guard || exit 2'";

    /// <summary>The tools the PreToolUse entry sends to the guard.</summary>
    public const string PreToolUseMatcher = "Write|Edit|MultiEdit|NotebookEdit|Bash";

    /// <summary>Seconds Claude Code waits for the hook; the guard needs milliseconds, SessionStart runs git.</summary>
    public const int TimeoutSeconds = 30;

    private const string Fix = "Fix the file (it must be a JSON object; see https://docs.claude.com/en/docs/claude-code/settings), then run the command again. Nothing was changed.";

    /// <summary>The command the hooks run: <paramref name="command"/> made to fail closed, or <see cref="HookCommand.ForThisHarness"/>.</summary>
    public static string ResolveCommand(string? command) =>
        string.IsNullOrWhiteSpace(command) ? HookCommand.ForThisHarness() : HookCommand.FailClosed(command);

    public static HookSettingsResult Install(ProjectLayout layout, string? command = null, bool dryRun = false)
    {
        command = ResolveCommand(command);
        var path = layout.ClaudeSettingsFile;
        JsonObject root;
        var created = false;
        var original = IO.FileBytes.ReadIfExists(path);

        if (original is null)
        {
            root = [];
            created = true;
        }
        else
        {
            var node = JsonFile.ParseNode(path, original, ErrorIds.SettingsFileInvalid, Fix);
            root = node as JsonObject ?? throw Invalid(path, original, "$", "the file is not a JSON object");
        }

        var (added, existing, updated) = Merge(root, command, path, original);
        if ((added.Count > 0 || updated.Count > 0) && !dryRun)
        {
            AtomicFile.Write(path, JsonFile.Serialize(root));
        }

        return new HookSettingsResult { Path = path, Command = command, Added = added, Existing = existing, Updated = updated, Created = created && added.Count > 0, DryRun = dryRun };
    }

    /// <summary>A settings document holding only the guard's hooks, for <c>claude --settings</c>; <paramref name="command"/> as <see cref="ResolveCommand"/> makes it.</summary>
    public static string SettingsJson(string command)
    {
        var root = new JsonObject();
        Merge(root, command, "(settings)", null);
        return HarnessJson.Serialize(root);
    }

    /// <summary>The PreToolUse hook commands of a settings file that run the harness guard (<see cref="HookCommand.IsGuardCommand"/>); empty when the file is missing or has none.</summary>
    public static IReadOnlyList<string> GuardCommandsIn(string path)
    {
        if (IO.FileBytes.ReadIfExists(path) is not { } bytes)
        {
            return [];
        }

        var commands = new List<string>();
        if (JsonFile.ParseNode(path, bytes, ErrorIds.SettingsFileInvalid, Fix) is JsonObject { } root && root["hooks"] is JsonObject hooks && hooks["PreToolUse"] is JsonArray entries)
        {
            foreach (var hook in entries.OfType<JsonObject>().Select(e => e["hooks"]).OfType<JsonArray>().SelectMany(list => list.OfType<JsonObject>()))
            {
                if (hook["command"] is JsonValue v && v.TryGetValue<string>(out var text) && HookCommand.IsGuardCommand(text))
                {
                    commands.Add(text);
                }
            }
        }

        return commands;
    }

    private static (List<string> Added, List<string> Existing, List<string> Updated) Merge(JsonObject root, string command, string path, byte[]? bytes)
    {
        var added = new List<string>();
        var existing = new List<string>();
        var updated = new List<string>();
        JsonObject hooks;
        if (root["hooks"] is null)
        {
            hooks = [];
            root["hooks"] = hooks;
        }
        else
        {
            hooks = root["hooks"] as JsonObject ?? throw Invalid(path, bytes, "$.hooks", "\"hooks\" is not an object");
        }

        foreach (var (eventName, matcher) in new[] { ("PreToolUse", (string?)PreToolUseMatcher), ("SessionStart", null) })
        {
            JsonArray entries;
            if (hooks[eventName] is null)
            {
                entries = [];
                hooks[eventName] = entries;
            }
            else
            {
                entries = hooks[eventName] as JsonArray ?? throw Invalid(path, bytes, $"$.hooks.{eventName}", $"\"hooks.{eventName}\" is not an array");
            }

            if (RunsCommand(entries, command))
            {
                existing.Add(eventName);
                continue;
            }

            if (RewriteGuardCommands(entries, command))
            {
                updated.Add(eventName);
                continue;
            }

            entries.Add(JsonSerializer.SerializeToNode(new HookEntryJson(matcher, [new HookCommandJson("command", command, TimeoutSeconds)]), HarnessJsonContext.Default.HookEntryJson));
            added.Add(eventName);
        }

        return (added, existing, updated);
    }

    /// <summary>Points every guard hook of an older form (a bare <c>harness guard</c>, an old path) at <paramref name="command"/>; true when there was one.</summary>
    private static bool RewriteGuardCommands(JsonArray entries, string command)
    {
        var rewritten = false;
        foreach (var hook in entries.OfType<JsonObject>().Select(e => e["hooks"]).OfType<JsonArray>().SelectMany(list => list.OfType<JsonObject>()))
        {
            if (hook["command"] is JsonValue v && v.TryGetValue<string>(out var text) && HookCommand.IsGuardCommand(text))
            {
                hook["command"] = command;
                rewritten = true;
            }
        }

        return rewritten;
    }

    private static bool RunsCommand(JsonArray entries, string command)
    {
        foreach (var entry in entries)
        {
            if (entry is JsonObject o && o["hooks"] is JsonArray list)
            {
                foreach (var hook in list)
                {
                    if (hook is JsonObject h && h["command"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Trim() == command)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static HarnessException Invalid(string path, byte[]? bytes, string jsonPath, string problem)
    {
        var at = bytes is null ? null : JsonLocator.Find(JsonFile.SkipBom(bytes).Span, jsonPath);
        var where = at is { } p ? $"({p.Line},{p.Column})" : "";
        return new HarnessException(ErrorIds.SettingsFileInvalid, HarnessErrorCategory.InvalidData, $"{path}{where}: {problem}. {Fix}")
        {
            FilePath = path,
            Line = at?.Line,
            Column = at?.Column,
            JsonPath = jsonPath,
            Fix = Fix,
        };
    }
}
