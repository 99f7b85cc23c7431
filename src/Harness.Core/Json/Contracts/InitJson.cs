using System.Text.Json.Serialization;
using Harness.Core.Project;

namespace Harness.Core.Json.Contracts;

/// <summary><c>harness init --json</c>; <c>hooks</c> only with <c>--hooks</c>.</summary>
internal sealed record InitResultJson(
    string Directory, string? ProjectType, IReadOnlyList<string> Created, IReadOnlyList<string> Existing, bool DryRun,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] InitHooksJson? Hooks)
{
    public static InitResultJson From(InitResult r) => new(
        r.Directory, r.ProjectType, r.Created, r.Existing, r.DryRun,
        r.Hooks is { } h ? new InitHooksJson(h.Path, h.Command, h.Added, h.Existing, h.Updated, h.Created) : null);
}

/// <summary>What <c>harness init --hooks</c> did to <c>.claude/settings.json</c>; <c>updated</c>: events whose older guard command (a bare <c>harness guard</c>) was rewritten.</summary>
internal sealed record InitHooksJson(string Path, string Command, IReadOnlyList<string> Added, IReadOnlyList<string> Existing, IReadOnlyList<string> Updated, bool Created);
