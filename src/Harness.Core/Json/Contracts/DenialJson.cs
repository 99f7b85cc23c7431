using Harness.Core.Agents;

namespace Harness.Core.Json.Contracts;

/// <summary>
/// One refused tool call, <c>{tool, target}</c>: each entry of <c>denials</c> in a loop session and a
/// metrics line (beside <c>permission_denials</c>, the count). Read leniently: a missing tool is "?".
/// </summary>
internal sealed record DenialJson(string? Tool, string? Target)
{
    public static IReadOnlyList<DenialJson> From(IReadOnlyList<PermissionDenial> denials) => [.. denials.Select(d => new DenialJson(d.ToolName, d.Target))];

    public static IReadOnlyList<PermissionDenial> ToDenials(IReadOnlyList<DenialJson?>? denials) =>
        denials is null ? [] : [.. denials.OfType<DenialJson>().Select(d => new PermissionDenial(d.Tool ?? "?", d.Target ?? ""))];
}
