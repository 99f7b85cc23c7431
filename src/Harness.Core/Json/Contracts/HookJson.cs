using System.Text.Json.Serialization;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// One entry the harness adds to Claude Code's <c>hooks.&lt;event&gt;</c> array in <c>.claude/settings.json</c>
/// (the rest of that file is Claude Code's and is kept as it is): <c>{matcher, hooks: [{type, command, timeout}]}</c>.
/// </summary>
internal sealed record HookEntryJson(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Matcher,
    IReadOnlyList<HookCommandJson> Hooks);

internal sealed record HookCommandJson(string Type, string Command, int Timeout);

/// <summary>
/// What the SessionStart hook prints, in Claude Code's camelCase names:
/// <c>{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"..."}}</c>.
/// </summary>
internal sealed record SessionStartHookOutputJson([property: JsonPropertyName("hookSpecificOutput")] SessionStartHookSpecificJson HookSpecificOutput);

internal sealed record SessionStartHookSpecificJson(
    [property: JsonPropertyName("hookEventName")] string HookEventName,
    [property: JsonPropertyName("additionalContext")] string AdditionalContext);
