namespace Harness.Core.Features;

/// <summary>A feature list as read from its file, with its counts and validation problems.</summary>
public sealed class FeatureList
{
    public FeatureList(string filePath, FeatureListFormat format, IReadOnlyList<Feature> features)
    {
        FilePath = filePath;
        Format = format;
        Features = features;
        Counts = FeatureCounts.Of(features);
        Problems = FeatureValidation.Validate(features);
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
}

/// <summary>Checks a list for what makes it ambiguous or unreadable to the harness.</summary>
public static class FeatureValidation
{
    public const string DuplicateId = "duplicate_id";
    public const string UnknownStatus = "unknown_status";
    public const string MissingId = "missing_id";

    public static IReadOnlyList<FeatureProblem> Validate(IReadOnlyList<Feature> features)
    {
        var problems = new List<FeatureProblem>();

        var duplicates = features.GroupBy(f => f.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (duplicates.Length > 0)
        {
            problems.Add(new FeatureProblem(DuplicateId, $"duplicate feature ids: {string.Join(", ", duplicates)}; give each feature its own id", duplicates));
        }

        var unknown = features.Where(f => !FeatureStatuses.IsKnown(f.Status)).ToArray();
        if (unknown.Length > 0)
        {
            var listed = string.Join(", ", unknown.Select(f => $"{f.Id} (\"{f.Status}\")"));
            problems.Add(new FeatureProblem(UnknownStatus, $"unknown statuses: {listed}; expected one of {string.Join(", ", FeatureStatuses.All)}", unknown.Select(f => f.Id).ToArray()));
        }

        return problems;
    }
}
