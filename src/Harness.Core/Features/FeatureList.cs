namespace Harness.Core.Features;

/// <summary>A feature list as read from its file, with its counts and validation problems.</summary>
public sealed class FeatureList
{
    public FeatureList(string filePath, FeatureListFormat format, IReadOnlyList<Feature> features)
    {
        FilePath = filePath;
        Format = format;
        Features = features;
        var heads = features.Select(f => (f.Id, f.Status)).ToArray();
        Counts = FeatureCounts.Of(heads);
        Problems = FeatureValidation.Validate(heads);
    }

    public string FilePath { get; }

    public FeatureListFormat Format { get; }

    public IReadOnlyList<Feature> Features { get; }

    public FeatureCounts Counts { get; }

    public IReadOnlyList<FeatureProblem> Problems { get; }

    /// <summary>
    /// The feature a session should take next: one in progress (finish what was started), else a
    /// pending one; of several, the lowest <see cref="Feature.Priority"/> (Ralph's), then the first in the file.
    /// </summary>
    public Feature? NextFeature =>
        Features.Where(f => f.Status == FeatureStatuses.InProgress).MinBy(f => Rank(f.Priority)) ??
        Features.Where(f => f.Status == FeatureStatuses.Pending).MinBy(f => Rank(f.Priority));

    /// <summary>How a priority orders the work: lowest first; none (or one that is not a number) after every number.</summary>
    internal static double Rank(double? priority) => priority ?? double.PositiveInfinity;

    public FeatureSummary ToSummary() => new()
    {
        Path = FilePath,
        Format = Format,
        Counts = Counts,
        NextFeature = NextFeature,
        Problems = Problems,
    };
}

/// <summary>What the entry needs of a feature list: where, which format, counts, next feature, problems.</summary>
public sealed record FeatureSummary
{
    /// <summary>The summary of a project that has no feature list.</summary>
    public static readonly FeatureSummary None = new() { Counts = new FeatureCounts() };

    /// <summary>Null when the project has no feature list.</summary>
    public string? Path { get; init; }

    public FeatureListFormat? Format { get; init; }

    public required FeatureCounts Counts { get; init; }

    /// <summary>What the next IMPLEMENT session should take: one in progress, else one pending; the lowest priority (Ralph's), then file order.</summary>
    public Feature? NextFeature { get; init; }

    public IReadOnlyList<FeatureProblem> Problems { get; init; } = [];
}

/// <summary>Checks a list for what makes it ambiguous or unreadable to the harness.</summary>
internal static class FeatureValidation
{
    public const string DuplicateId = "duplicate_id";
    public const string UnknownStatus = "unknown_status";
    public const string MissingId = "missing_id";

    public static IReadOnlyList<FeatureProblem> Validate(IReadOnlyList<(string Id, string Status)> features)
    {
        var problems = new List<FeatureProblem>();
        var seen = new HashSet<string>(features.Count, StringComparer.Ordinal);
        var duplicates = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<(string Id, string Status)>();
        var missing = new List<string>();
        for (var i = 0; i < features.Count; i++)
        {
            var (id, status) = features[i];
            if (IsPositionName(id))
            {
                missing.Add(id);
            }

            if (!seen.Add(id) && reported.Add(id))
            {
                duplicates.Add(id);
            }

            if (!FeatureStatuses.IsKnown(status))
            {
                unknown.Add((id, status));
            }
        }

        if (duplicates.Count > 0)
        {
            problems.Add(new FeatureProblem(DuplicateId, $"duplicate feature ids: {string.Join(", ", duplicates)}; give each feature its own id", duplicates));
        }

        if (missing.Count > 0)
        {
            problems.Add(new FeatureProblem(MissingId, $"features without an id, named by their position: {string.Join(", ", missing)}; give each an id (\"F004\", Ralph's \"US-004\") so the harness and the agent name the same feature when the list changes", missing));
        }

        if (unknown.Count > 0)
        {
            var listed = string.Join(", ", unknown.Select(f => $"{f.Id} (\"{f.Status}\")"));
            problems.Add(new FeatureProblem(UnknownStatus, $"unknown statuses: {listed}; expected one of {string.Join(", ", FeatureStatuses.All)}", unknown.Select(f => f.Id).ToArray()));
        }

        return problems;
    }

    /// <summary>
    /// The reader names a feature without an id (seed, Ralph) <c>#N</c> by its position; ids never
    /// start with '#' otherwise in practice. The quickstart's features have no ids by design: theirs are F001, ...
    /// </summary>
    private static bool IsPositionName(string id) =>
        id.Length > 1 && id[0] == '#' && id.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
