using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// The repository features libgit2 opens without complaint but would answer wrongly for: the
/// repository is then served by the git CLI (docs/git.md names each). Features libgit2 refuses
/// outright (reftable, partial clones, SHA-256, unknown extensions) fail at open and fall back too.
/// </summary>
internal static class LibGit2Compatibility
{
    /// <summary>Null when libgit2 answers as git does in <paramref name="repository"/>, else why not.</summary>
    public static string? Check(LibGit2Repository repository)
    {
        var repo = repository.Repo;
        var config = repository.Config;
        if (config.Find(@"^includeif\.").Any())
        {
            return "the config has includeIf sections, which LibGit2Sharp's stand-alone config reader does not evaluate";
        }

        if (repository.ConfigBool("extensions.worktreeConfig", false))
        {
            return "extensions.worktreeConfig is set: LibGit2Sharp reads no per-worktree config (config.worktree)";
        }

        if (repository.ConfigBool("core.sparseCheckout", false))
        {
            return "core.sparseCheckout is set: libgit2 ignores skip-worktree entries, so their files would look deleted";
        }

        try
        {
            // Split and sparse indexes fail here ("unsupported mandatory extension").
            _ = repo.Index.Count;
        }
        catch (LibGit2SharpException ex)
        {
            return $"libgit2 cannot read the index: {ex.Message}";
        }

        // A filter driver (git-lfs and the like) runs as a program libgit2 cannot start, and
        // working-tree-encoding is a conversion libgit2 does not make: hashing or checking out such a
        // file would give other bytes than git.
        var filterDriverConfigured = config.Find(@"^filter\..+\.(clean|smudge|process)$").Any();
        foreach (var file in AttributeFiles(repository, filterDriverConfigured))
        {
            var used = AttributeUsed(file, filterDriverConfigured);
            if (used is not null)
            {
                return $"{file} sets '{used}', which libgit2 cannot apply as git does";
            }
        }

        return null;
    }

    /// <summary>
    /// The attribute files git reads: the global one, info/attributes, the top-level .gitattributes
    /// and, when a filter driver is configured (only then can a nested file's <c>filter=</c> apply),
    /// every tracked .gitattributes.
    /// </summary>
    private static IEnumerable<string> AttributeFiles(LibGit2Repository repository, bool withNested)
    {
        var global = repository.Config.GetValueOrDefault<string>("core.attributesFile");
        if (global is null)
        {
            var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            global = Path.Combine(xdg, "git", "attributes");
        }
        else if (global.StartsWith("~/", StringComparison.Ordinal))
        {
            global = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), global[2..]);
        }

        yield return global;
        yield return Path.Combine(repository.CommonDirectory, "info", "attributes");
        yield return Path.Combine(repository.TopLevel, ".gitattributes");
        if (withNested)
        {
            foreach (var entry in repository.Repo.Index)
            {
                if (entry.Path.EndsWith("/.gitattributes", StringComparison.Ordinal))
                {
                    yield return Path.Combine(repository.TopLevel, entry.Path);
                }
            }
        }
    }

    private static string? AttributeUsed(string file, bool filterDriverConfigured)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        foreach (var line in File.ReadLines(file))
        {
            var text = line.TrimStart();
            if (text.StartsWith('#'))
            {
                continue;
            }

            if (text.Contains("working-tree-encoding=", StringComparison.Ordinal))
            {
                return "working-tree-encoding";
            }

            if (filterDriverConfigured && text.Contains("filter=", StringComparison.Ordinal))
            {
                return "filter";
            }
        }

        return null;
    }
}
