namespace Harness.Core.Features;

/// <summary>One feature of the list, in any of the three file formats.</summary>
public sealed record Feature
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Description { get; init; }

    public string? Category { get; init; }

    public IReadOnlyList<string> Steps { get; init; } = [];

    public required string Status { get; init; }

    public int Attempts { get; init; }

    public string? Notes { get; init; }

    /// <summary>
    /// Ralph's <c>priority</c>: the lowest number is taken first. Null when the feature has none or
    /// it is not a number (such features come after the numbered ones), and in the other formats,
    /// which are worked in file order.
    /// </summary>
    public double? Priority { get; init; }

    /// <summary>Position in the file (0-based): quickstart ids derive from it.</summary>
    public int Index { get; init; }

    /// <summary>The file it was read from, so pipelines carry it along (Set-HarnessFeature binds -Path to it).</summary>
    public string? Path { get; init; }

    // Value equality includes the steps' content, so two reads of the same file compare equal.
    public bool Equals(Feature? other) =>
        other is not null &&
        Id == other.Id && Name == other.Name && Description == other.Description && Category == other.Category &&
        Status == other.Status && Attempts == other.Attempts && Notes == other.Notes && Priority == other.Priority && Index == other.Index &&
        Path == other.Path && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => HashCode.Combine(Id, Status, Index, Path);

    /// <summary>One line for people: what PowerShell shows for <c>"$x"</c> and what logs print.</summary>
    public override string ToString() => $"{Id} [{Status}] {Name}";
}

/// <summary>Which file format a feature list uses.</summary>
public enum FeatureListFormat
{
    /// <summary><c>.claude/progress/feature-list.json</c>: <c>{ "features": [ {id, name, status, ...} ] }</c>.</summary>
    Seed,

    /// <summary>The Anthropic quickstart's <c>feature_list.json</c>: <c>[ {category, description, steps, passes} ]</c>.</summary>
    Quickstart,

    /// <summary>Ralph's <c>prd.json</c>: <c>{ "branchName", "userStories": [ {id, title, description, acceptanceCriteria, priority, passes, notes} ] }</c>.</summary>
    Ralph,
}

/// <summary>A problem found by validation. Problems are reported, not fatal: the list stays usable.</summary>
public sealed record FeatureProblem(string Kind, string Message, IReadOnlyList<string> FeatureIds);

/// <summary>Counts by status.</summary>
public sealed record FeatureCounts
{
    public int Total { get; init; }

    public int Pending { get; init; }

    public int InProgress { get; init; }

    public int Tested { get; init; }

    public int Completed { get; init; }

    public int Blocked { get; init; }

    /// <summary>Features whose status is none of the known ones.</summary>
    public int Unknown { get; init; }

    /// <summary>Tested or completed.</summary>
    public int Done => Tested + Completed;

    /// <summary>Pending or in progress: what keeps the project from COMPLETE.</summary>
    public int Remaining => Pending + InProgress;

    public static FeatureCounts Of(IEnumerable<Feature> features) => Of(features.Select(f => (f.Id, f.Status)).ToArray());

    // Plain loops on purpose: this runs over every feature at each entry, before tiered JIT warms up.
    public static FeatureCounts Of(IReadOnlyList<(string Id, string Status)> features)
    {
        int total = 0, pending = 0, inProgress = 0, tested = 0, completed = 0, blocked = 0, unknown = 0;
        for (var i = 0; i < features.Count; i++)
        {
            total++;
            switch (features[i].Status)
            {
                case FeatureStatuses.Pending: pending++; break;
                case FeatureStatuses.InProgress: inProgress++; break;
                case FeatureStatuses.Tested: tested++; break;
                case FeatureStatuses.Completed: completed++; break;
                case FeatureStatuses.Blocked: blocked++; break;
                default: unknown++; break;
            }
        }

        return new FeatureCounts
        {
            Total = total,
            Pending = pending,
            InProgress = inProgress,
            Tested = tested,
            Completed = completed,
            Blocked = blocked,
            Unknown = unknown,
        };
    }
}
