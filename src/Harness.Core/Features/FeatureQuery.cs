using Harness.Core.Errors;
using Harness.Core.Hosting;
using Harness.Core.Project;

namespace Harness.Core.Features;

/// <summary>What <see cref="FeatureQuery.Find"/> found.</summary>
public sealed record FeatureQueryResult
{
    public required FeatureList List { get; init; }

    /// <summary>The features that match, in file order.</summary>
    public required IReadOnlyList<Feature> Features { get; init; }

    /// <summary>One error per asked id that names no feature; the features found are still returned.</summary>
    public IReadOnlyList<HarnessException> Errors { get; init; } = [];
}

/// <summary>Selects features of a project by status and id: the read side every front shares.</summary>
internal static class FeatureQuery
{
    /// <summary>
    /// The project's features, filtered by <paramref name="statuses"/> (any of) and <paramref name="ids"/>
    /// (any of; exact, ordinal). Empty or null filters select everything. The list's validation
    /// problems go to the host as warnings.
    /// </summary>
    /// <exception cref="HarnessException">A status is not a known one (InvalidArgument), the project has no feature list, or the list is invalid.</exception>
    public static FeatureQueryResult Find(ProjectLayout layout, IReadOnlyCollection<string>? statuses = null, IReadOnlyCollection<string>? ids = null, IHarnessHost? host = null)
    {
        host ??= NullHost.Instance;
        foreach (var status in statuses ?? [])
        {
            RequireKnownStatus(status);
        }

        var list = FeatureStore.Load(layout) ?? throw Missing(layout);
        host.WriteVerbose($"Feature list: {list.FilePath} ({list.Format}, {list.Counts.Total} features)");
        foreach (var problem in list.Problems)
        {
            host.WriteWarning($"{list.FilePath}: {problem.Message}");
        }

        var statusSet = statuses is { Count: > 0 } ? new HashSet<string>(statuses, StringComparer.Ordinal) : null;
        var idSet = ids is { Count: > 0 } ? new HashSet<string>(ids, StringComparer.Ordinal) : null;
        var features = list.Features
            .Where(f => (statusSet is null || statusSet.Contains(f.Status)) && (idSet is null || idSet.Contains(f.Id)))
            .ToArray();

        var errors = new List<HarnessException>();
        foreach (var id in ids ?? [])
        {
            if (!list.Features.Any(f => string.Equals(f.Id, id, StringComparison.Ordinal)))
            {
                errors.Add(new HarnessException(ErrorIds.FeatureNotFound, HarnessErrorCategory.ObjectNotFound,
                    $"{list.FilePath}: no feature with id \"{id}\".")
                {
                    FilePath = list.FilePath,
                });
            }
        }

        return new FeatureQueryResult { List = list, Features = features, Errors = errors };
    }

    /// <summary>Throws <see cref="ErrorIds.FeatureStatusInvalid"/> unless <paramref name="status"/> is one of <see cref="FeatureStatuses.All"/>.</summary>
    public static void RequireKnownStatus(string? status)
    {
        if (!FeatureStatuses.IsKnown(status))
        {
            throw new HarnessException(ErrorIds.FeatureStatusInvalid, HarnessErrorCategory.InvalidArgument,
                $"\"{status}\" is not a feature status; use one of {string.Join(", ", FeatureStatuses.All)}.");
        }
    }

    /// <summary>The error for a project without a feature list.</summary>
    public static HarnessException Missing(ProjectLayout layout) =>
        new(ErrorIds.FeatureListMissing, HarnessErrorCategory.ObjectNotFound,
            $"{layout.FeatureListFile}: the project has no feature list (nor the quickstart's feature_list.json or Ralph's prd.json at its root, nor scripts/ralph/prd.json). An INIT session creates it.")
        {
            FilePath = layout.FeatureListFile,
        };
}
