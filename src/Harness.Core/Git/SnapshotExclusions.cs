using Harness.Core.Guard;

namespace Harness.Core.Git;

/// <summary>
/// The paths a work-tree snapshot leaves as the index has them: project-relative globs ('/'
/// separators, '*' within one folder, a trailing '/' for a folder) matched at any depth of the
/// repository, so they also cover a project nested below the repository top.
/// <see cref="Project.HarnessFiles"/> derives them from its table's rows.
/// </summary>
internal sealed class SnapshotExclusions
{
    private readonly string[] _anywhere;

    public SnapshotExclusions(IEnumerable<string> patterns)
    {
        Patterns = [.. patterns];
        _anywhere = Patterns.Select(p => "**/" + (p.EndsWith('/') ? p + "**" : p)).ToArray();
    }

    /// <summary>The globs as the table gives them.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>True when <paramref name="topRelativePath"/> (relative to the repository top) is left out; case-sensitive, as git's pathspecs are.</summary>
    public bool Excludes(string topRelativePath)
    {
        foreach (var pattern in _anywhere)
        {
            if (GlobMatcher.IsMatch(pattern, topRelativePath))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The same rules as git exclude pathspecs for <c>git add</c>. Glob magic: git refuses a
    /// literal exclude pathspec that names a file a .gitignore ignores, and accepts the glob form.
    /// </summary>
    internal IEnumerable<string> ToPathspecs() => _anywhere.Select(p => ":(exclude,glob)" + p);
}
