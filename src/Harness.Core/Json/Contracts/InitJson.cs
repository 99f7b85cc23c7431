using System.Text.Json.Serialization;
using Harness.Core.Project;

namespace Harness.Core.Json.Contracts;

/// <summary><c>harness init --json</c>; <c>hooks</c> only with <c>--hooks</c>, <c>import</c> only with <c>--import</c>.</summary>
internal sealed record InitResultJson(
    string Directory, string? ProjectType, IReadOnlyList<string> Created, IReadOnlyList<string> Existing, bool DryRun,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] InitHooksJson? Hooks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] InitImportJson? Import)
{
    public static InitResultJson From(InitResult r) => new(
        r.Directory, r.ProjectType, r.Created, r.Existing, r.DryRun,
        r.Hooks is { } h ? new InitHooksJson(h.Path, h.Command, h.Added, h.Existing, h.Updated, h.Created) : null,
        r.Import is { } i ? new InitImportJson(i.SourcePath, WireText.Of(i.SourceFormat)!, i.TargetPath, WireText.Of(i.TargetFormat)!, i.Features, i.Kept, i.ReadByHarness) : null);
}

/// <summary>What <c>harness init --import</c> wrote: formats as in the entry report's <c>features.format</c> (<c>Seed</c>, <c>Quickstart</c>, <c>Ralph</c>); <c>kept</c>: JSON paths of the fields the target format has no place for, kept under their own names.</summary>
internal sealed record InitImportJson(string Source, string SourceFormat, string Target, string TargetFormat, int Features, IReadOnlyList<string> Kept, bool ReadByHarness);

/// <summary>What <c>harness init --hooks</c> did to <c>.claude/settings.json</c>; <c>updated</c>: events whose older guard command (a bare <c>harness guard</c>) was rewritten.</summary>
internal sealed record InitHooksJson(string Path, string Command, IReadOnlyList<string> Added, IReadOnlyList<string> Existing, IReadOnlyList<string> Updated, bool Created);
