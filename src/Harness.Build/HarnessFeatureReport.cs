using System.Globalization;
using Harness.Core.Features;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Harness.Build;

/// <summary>
/// The project's features (<c>harness features</c>, <c>Get-HarnessFeature</c>) as items: the item
/// spec is the feature id, with Id, Name, Status, Category, Attempts and Description metadata.
/// </summary>
public sealed class HarnessFeatureReport : HarnessTask
{
    /// <summary>Only features with this status (pending, in_progress, tested, completed, blocked); empty: all.</summary>
    public string? Status { get; set; }

    [Output] public ITaskItem[] Features { get; private set; } = [];

    /// <summary>False when the project has no feature list yet.</summary>
    [Output] public bool Exists { get; private set; }

    [Output] public string FeatureListFile { get; private set; } = "";

    [Output] public int TotalFeatures { get; private set; }

    /// <summary>Pending and in progress.</summary>
    [Output] public int PendingFeatures { get; private set; }

    /// <summary>Tested and completed.</summary>
    [Output] public int CompletedFeatures { get; private set; }

    protected override void Run(IHarnessHost host, CancellationToken cancellationToken)
    {
        using var project = OpenProject(host, cancellationToken);
        var layout = project.Layout;
        var list = project.ReadFeatures();
        if (list is null)
        {
            host.WriteVerbose($"No feature list: {layout.FeatureListFile} does not exist (an INIT session creates it)");
            return;
        }

        Exists = true;
        FeatureListFile = list.FilePath;
        TotalFeatures = list.Counts.Total;
        PendingFeatures = list.Counts.Remaining;
        CompletedFeatures = list.Counts.Done;
        var wanted = NullIfEmpty(Status);
        Features = list.Features
            .Where(f => wanted is null || string.Equals(f.Status, wanted, StringComparison.OrdinalIgnoreCase))
            .Select(ToItem)
            .ToArray();
        foreach (var problem in list.Problems)
        {
            host.WriteWarning($"{list.FilePath}: {problem.Message}");
        }
    }

    private static ITaskItem ToItem(Feature feature)
    {
        var item = new TaskItem(feature.Id);
        item.SetMetadata("Id", feature.Id);
        item.SetMetadata("Name", feature.Name);
        item.SetMetadata("Status", feature.Status);
        item.SetMetadata("Category", feature.Category ?? "");
        item.SetMetadata("Attempts", feature.Attempts.ToString(CultureInfo.InvariantCulture));
        item.SetMetadata("Description", feature.Description ?? "");
        return item;
    }
}
