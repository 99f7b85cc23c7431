using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Project;

namespace Harness.Core.Features;

/// <summary>Finds, reads and updates a project's feature list, in the seed, the quickstart or Ralph's format.</summary>
internal static partial class FeatureStore
{
    /// <summary>
    /// The first of these that exists, else null: the seed file (the harness's own, and what
    /// <c>harness init --import</c> writes, so an import wins over its source), the quickstart's
    /// <c>feature_list.json</c>, Ralph's <c>prd.json</c> at the root, Ralph's <c>scripts/ralph/prd.json</c>.
    /// </summary>
    public static (string Path, FeatureListFormat Format)? Locate(ProjectLayout layout)
    {
        foreach (var (path, format) in Candidates(layout))
        {
            if (File.Exists(path))
            {
                return (path, format);
            }
        }

        return null;
    }

    /// <summary>Where a feature list may be, in the order <see cref="Locate"/> tries them.</summary>
    public static IEnumerable<(string Path, FeatureListFormat Format)> Candidates(ProjectLayout layout)
    {
        yield return (layout.FeatureListFile, FeatureListFormat.Seed);
        yield return (layout.QuickstartFeatureListFile, FeatureListFormat.Quickstart);
        yield return (layout.RalphFeatureListFile, FeatureListFormat.Ralph);
        yield return (layout.RalphScriptsFeatureListFile, FeatureListFormat.Ralph);
    }

    /// <summary>The project's feature list, or null when it has none. Throws naming the line when the file is invalid.</summary>
    public static FeatureList? Load(ProjectLayout layout) =>
        Read(layout) is { } file ? FeatureListReader.ReadList(file.Path, file.Bytes, file.Format) : null;

    /// <summary>
    /// Counts, problems and the next feature, without building a record per feature: what the
    /// entry needs, fast on lists of thousands. Null when the project has no feature list; throws
    /// exactly as <see cref="Load"/> does for an invalid file.
    /// </summary>
    public static FeatureSummary? LoadSummary(ProjectLayout layout) =>
        Read(layout) is { } file ? FeatureListReader.ReadSummary(file.Path, file.Bytes, file.Format) : null;

    private static (string Path, FeatureListFormat Format, byte[] Bytes)? Read(ProjectLayout layout)
    {
        if (Locate(layout) is not { } found)
        {
            return null;
        }

        // Deleted between Locate and the read: the same as not there.
        return IO.FileBytes.ReadIfExists(found.Path) is { } bytes ? (found.Path, found.Format, bytes) : null;
    }

    /// <summary>
    /// Sets the status of the features named in <paramref name="ids"/> (and optionally their notes)
    /// in one atomic write. Every id must name exactly one feature; otherwise nothing is written.
    /// Safe against concurrent writers (see <see cref="FeatureListWriter"/>).
    /// </summary>
    /// <returns>The updated features, in the order asked.</returns>
    public static IReadOnlyList<Feature> SetStatus(ProjectLayout layout, IReadOnlyList<string> ids, string status, string? notes = null) =>
        SetStatus(layout, ids, status, notes, FeatureListWriter.Default);

    internal static IReadOnlyList<Feature> SetStatus(ProjectLayout layout, IReadOnlyList<string> ids, string status, string? notes, FeatureListWriter writer)
    {
        if (!FeatureStatuses.IsKnown(status))
        {
            throw new HarnessException(ErrorIds.FeatureStatusInvalid, HarnessErrorCategory.InvalidArgument,
                $"\"{status}\" is not a feature status; use one of {string.Join(", ", FeatureStatuses.All)}.");
        }

        return writer.Edit(layout, ids, (item, _, format) =>
        {
            WriteStatus(item, format, status);
            if (notes is not null)
            {
                item["notes"] = notes;
            }
        });
    }

    /// <summary>
    /// Counts one failed session on a feature (the loop calls it when a session on the feature ended
    /// without finishing it): <c>attempts</c> goes up by one, unless the agent already raised it in
    /// that session, and at <paramref name="limit"/> the feature is marked <c>blocked</c> with a note.
    /// </summary>
    public static Feature RecordFailedAttempt(ProjectLayout layout, string id, int attemptsBefore, int limit, string reason)
    {
        // The edit runs on the feature as it is in the file now, so an agent's raise of attempts is seen.
        return FeatureListWriter.Default.Edit(layout, [id], (item, feature, format) =>
        {
            var attempts = Math.Max(feature.Attempts, attemptsBefore + 1);
            item["attempts"] = attempts;
            var note = string.IsNullOrWhiteSpace(feature.Notes) ? reason : $"{feature.Notes}\n{reason}";
            if (attempts >= limit && !FeatureStatuses.IsDone(feature.Status))
            {
                WriteStatus(item, format, FeatureStatuses.Blocked);
                note += $"\nBlocked by the harness after {attempts} failed attempts; set it back to pending to try again.";
            }

            item["notes"] = note;
        })[0];
    }

    private static void WriteStatus(JsonObject item, FeatureListFormat format, string status) =>
        FeatureListShape.Of(format).WriteStatus(item, status);
}
