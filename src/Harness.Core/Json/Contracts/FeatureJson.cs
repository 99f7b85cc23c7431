using System.Text.Json.Serialization;
using Harness.Core.Features;

namespace Harness.Core.Json.Contracts;

/// <summary>A feature in <c>harness features --json</c> and the entry report's <c>next_feature</c>; <c>priority</c> only when it has one (Ralph's lists).</summary>
internal sealed record FeatureJson(
    string Id, string Name, string? Description, string? Category, IReadOnlyList<string> Steps, string Status, int Attempts, string? Notes, int Index, string? Path,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Priority = null)
{
    public static FeatureJson From(Feature f) => new(f.Id, f.Name, f.Description, f.Category, f.Steps, f.Status, f.Attempts, f.Notes, f.Index, f.Path, f.Priority);
}

/// <summary>The entry report's <c>features</c>.</summary>
internal sealed record FeatureSummaryJson(string? Path, string? Format, FeatureCountsJson Counts, FeatureJson? NextFeature, IReadOnlyList<FeatureProblemJson> Problems)
{
    public static FeatureSummaryJson From(FeatureSummary f) => new(
        f.Path,
        WireText.Of(f.Format),
        FeatureCountsJson.From(f.Counts),
        f.NextFeature is { } next ? FeatureJson.From(next) : null,
        [.. f.Problems.Select(p => new FeatureProblemJson(p.Kind, p.Message, p.FeatureIds))]);
}

internal sealed record FeatureCountsJson(int Total, int Pending, int InProgress, int Tested, int Completed, int Blocked, int Unknown, int Done, int Remaining)
{
    public static FeatureCountsJson From(FeatureCounts c) => new(c.Total, c.Pending, c.InProgress, c.Tested, c.Completed, c.Blocked, c.Unknown, c.Done, c.Remaining);
}

internal sealed record FeatureProblemJson(string Kind, string Message, IReadOnlyList<string> FeatureIds);
