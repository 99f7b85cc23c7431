using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.Core.Checkpoints;

/// <summary>
/// Maps git's paths (relative to the repository top) to the project and asks
/// <see cref="HarnessFiles"/> what they are: a restore keeps the harness's record of what
/// happened (state history, checkpoint.json, metrics, summaries, the lock) as it is, because
/// rolling back the code must not roll back that record.
/// </summary>
internal sealed class ProjectPaths
{
    private readonly string _prefix;

    public ProjectPaths(ProjectLayout layout, GitRepositoryInfo info)
    {
        TopLevel = info.TopLevel is { } top ? Path.GetFullPath(top) : layout.Root;
        var relative = Path.GetRelativePath(TopLevel, layout.Root).Replace('\\', '/');
        _prefix = relative == "." ? "" : relative.TrimEnd('/') + "/";
    }

    public string TopLevel { get; }

    /// <summary>True for a file of the harness's record (kept on restore) or one of its temporary files, given a path relative to the repository top.</summary>
    public bool IsBookkeeping(string topRelativePath) =>
        ProjectRelative(topRelativePath) is { } p && (HarnessFiles.IsKeptOnRestore(p) || HarnessFiles.IsTemporary(p));

    /// <summary>
    /// The bytes of the kept files among <paramref name="changedByRestore"/> (paths relative to the
    /// repository top that the reset will rewrite or delete): only those are at risk, so the
    /// harness never reads a gigabyte transcript that git leaves alone anyway.
    /// </summary>
    public Dictionary<string, byte[]> ReadKept(IEnumerable<string> changedByRestore)
    {
        var kept = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var topRelative in changedByRestore)
        {
            if (ProjectRelative(topRelative) is { } p && HarnessFiles.IsKeptOnRestore(p))
            {
                var full = Path.Combine(TopLevel, topRelative.Replace('/', Path.DirectorySeparatorChar));
                if (File.Exists(full))
                {
                    kept[full] = File.ReadAllBytes(full);
                }
            }
        }

        return kept;
    }

    /// <summary>Puts the files back as they were read (summaries the checkpoint had and the tree did not stay: they are history).</summary>
    public static void WriteKept(Dictionary<string, byte[]> kept)
    {
        foreach (var (path, bytes) in kept)
        {
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                IO.AtomicFile.Write(path, bytes);
            }
        }
    }

    private string? ProjectRelative(string topRelativePath) =>
        topRelativePath.StartsWith(_prefix, StringComparison.Ordinal) ? topRelativePath[_prefix.Length..] : null;
}
