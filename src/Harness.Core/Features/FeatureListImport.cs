using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Project;

namespace Harness.Core.Features;

/// <summary>
/// <c>harness init --import</c>: a feature list to bring into the project in another format.
/// <paramref name="SourcePath"/> is relative to the project root unless it is absolute; its format
/// is told by its shape. The list is written where the harness reads that format (the seed's
/// <c>.claude/progress/feature-list.json</c>, the quickstart's <c>feature_list.json</c>, Ralph's
/// <c>prd.json</c> at the root), never over an existing file.
/// </summary>
public sealed record FeatureListImport(string SourcePath, FeatureListFormat Target = FeatureListFormat.Seed);

/// <summary>What an import wrote (or, in a dry run, would write).</summary>
public sealed record FeatureListImportResult
{
    public required string SourcePath { get; init; }

    public required FeatureListFormat SourceFormat { get; init; }

    public required string TargetPath { get; init; }

    public required FeatureListFormat TargetFormat { get; init; }

    /// <summary>How many features the new list holds.</summary>
    public int Features { get; init; }

    /// <summary>
    /// The fields the target format has no place for, kept under their own names, as JSON paths to
    /// where they now are (<c>$.branchName</c>, <c>$.features[*].priority</c>): the harness reads past them and every writer keeps them.
    /// </summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    /// <summary>
    /// True when the new list is the one the harness reads; false when a list it prefers
    /// (FeatureStore's order: seed, quickstart, Ralph) is already there, which keeps winning.
    /// </summary>
    public bool ReadByHarness { get; init; }

    public override string ToString() => $"{Features} features from {SourcePath} ({SourceFormat}) into {TargetPath} ({TargetFormat})";
}

/// <summary>Plans an import before anything is written (the source reads, every field has a place, the target is free), then writes it.</summary>
internal static class FeatureListImporter
{
    /// <summary>The new list's bytes and what the result will say; throws when the import cannot be done, having written nothing.</summary>
    public static (FeatureListImportResult Result, byte[] Bytes) Plan(ProjectLayout layout, FeatureListImport request)
    {
        var source = Path.GetFullPath(Path.Combine(layout.Root, request.SourcePath));
        var bytes = FileBytes.ReadIfExists(source) ?? throw new HarnessException(ErrorIds.FeatureListMissing, HarnessErrorCategory.ObjectNotFound,
            $"{source}: no such file to import. Name the feature list to import (a prd.json, feature_list.json or feature-list.json).")
        {
            FilePath = source,
        };

        var target = TargetPathFor(layout, request.Target);
        RequireAbsent(target);
        var (sourceFormat, output, count, kept) = FeatureListConversion.Convert(source, bytes, request.Target);
        var read = FeatureStore.Candidates(layout).First(c => PathsEqual(c.Path, target) || File.Exists(c.Path)).Path;
        return (new FeatureListImportResult
        {
            SourcePath = source,
            SourceFormat = sourceFormat,
            TargetPath = target,
            TargetFormat = request.Target,
            Features = count,
            Kept = kept,
            ReadByHarness = PathsEqual(read, target),
        }, output);
    }

    /// <summary>Writes the planned list; fails, replacing nothing, when a file appeared there meanwhile.</summary>
    public static void Write(string target, byte[] bytes)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);

            // CreateNew, not an atomic rename: a rename would replace a list another process created meanwhile.
            using var stream = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException) when (File.Exists(target))
        {
            throw Exists(target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.CannotWrite(target, ex);
        }
    }

    /// <summary>Where the harness reads a list of <paramref name="format"/> (Ralph's: the root's prd.json).</summary>
    public static string TargetPathFor(ProjectLayout layout, FeatureListFormat format) => format switch
    {
        FeatureListFormat.Seed => layout.FeatureListFile,
        FeatureListFormat.Quickstart => layout.QuickstartFeatureListFile,
        FeatureListFormat.Ralph => layout.RalphFeatureListFile,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a feature-list format"),
    };

    private static void RequireAbsent(string target)
    {
        if (File.Exists(target))
        {
            throw Exists(target);
        }
    }

    private static HarnessException Exists(string target) =>
        new(ErrorIds.FeatureListExists, HarnessErrorCategory.InvalidOperation,
            $"{target}: a feature list is already there; an import never overwrites one. Nothing was written.")
        {
            FilePath = target,
            Fix = "Move or delete that list first (it is in git, or keep a copy), or import into another format.",
        };

    private static bool PathsEqual(string a, string b) =>
        string.Equals(a, b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
