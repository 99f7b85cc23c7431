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

    /// <summary>The feature a session should take next: the first in progress (finish what was started), else the first pending.</summary>
    public Feature? NextFeature =>
        Features.FirstOrDefault(f => f.Status == FeatureStatuses.InProgress) ??
        Features.FirstOrDefault(f => f.Status == FeatureStatuses.Pending);

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

    /// <summary>What the next IMPLEMENT session should take: the first in progress, else the first pending.</summary>
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
        for (var i = 0; i < features.Count; i++)
        {
            var (id, status) = features[i];
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

        if (unknown.Count > 0)
        {
            var listed = string.Join(", ", unknown.Select(f => $"{f.Id} (\"{f.Status}\")"));
            problems.Add(new FeatureProblem(UnknownStatus, $"unknown statuses: {listed}; expected one of {string.Join(", ", FeatureStatuses.All)}", unknown.Select(f => f.Id).ToArray()));
        }

        return problems;
    }
}
