namespace Harness.TestKit;

/// <summary>
/// The repository the tests were built from. Tests find docs, golden files and the module through it,
/// never through the compiled source paths alone: a CI build (CI=true sets ContinuousIntegrationBuild)
/// maps the repository root to <c>/_/</c> in every [CallerFilePath].
/// </summary>
public static class SourceTree
{
    private static readonly Lazy<string> RootValue = new(FindRoot);

    /// <summary>The folder holding HarnessPS.sln, found above the test assembly.</summary>
    public static string Root => RootValue.Value;

    /// <summary>A source path as the compiler recorded it, on disk: a path under the mapped root <c>/_/</c> is taken under <see cref="Root"/>.</summary>
    public static string OnDisk(string compiledPath)
    {
        foreach (var mapped in new[] { "/_/", "\\_\\" })
        {
            if (compiledPath.StartsWith(mapped, StringComparison.Ordinal))
            {
                var relative = compiledPath[mapped.Length..].Replace('\\', '/');
                return Path.Combine(Root, relative);
            }
        }

        return compiledPath;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HarnessPS.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no HarnessPS.sln above {AppContext.BaseDirectory}");
    }
}
