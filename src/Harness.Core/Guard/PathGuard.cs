using Harness.Core.Project;

namespace Harness.Core.Guard;

/// <summary>Where a path a tool wants to write lands, as far as the guard is concerned.</summary>
internal enum PathVerdict
{
    /// <summary>Inside the project, not one of the harness's own files.</summary>
    Inside,

    /// <summary>Outside the project root (after <c>..</c> and symbolic links are resolved).</summary>
    Outside,

    /// <summary>One of the files the harness owns (state, lock, checkpoint, metrics, config, hook settings, .git).</summary>
    HarnessFile,
}

/// <summary>The project boundary: resolves a path the way the kernel will (symbolic links included) and classifies it.</summary>
internal sealed class PathGuard
{
    private const int MaxLinks = 40;

    private static readonly bool IgnoreCase = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS();

    private static readonly StringComparison PathComparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    public PathGuard(string root)
    {
        LexicalRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        Root = Path.TrimEndingDirectorySeparator(RealPath(LexicalRoot));
    }

    /// <summary>The project root with symbolic links resolved.</summary>
    public string Root { get; }

    public string LexicalRoot { get; }

    /// <summary>Classifies <paramref name="path"/> (relative ones against <paramref name="baseDirectory"/>); <paramref name="relative"/> is its path from the root with '/' separators, when inside.</summary>
    public PathVerdict Classify(string path, string baseDirectory, out string resolved, out string relative)
    {
        var combined = Path.IsPathFullyQualified(path) ? path : Path.Combine(baseDirectory, path);
        resolved = RealPath(combined);
        relative = "";
        if (!IsUnder(resolved, Root, out relative))
        {
            return PathVerdict.Outside;
        }

        return HarnessFiles.AgentMayWrite(relative) ? PathVerdict.Inside : PathVerdict.HarnessFile;
    }

    public static bool IsProtected(IReadOnlyList<string> globs, string relative)
    {
        foreach (var glob in globs)
        {
            if (GlobMatcher.IsMatch(glob, relative, IgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnder(string path, string root, out string relative)
    {
        relative = "";
        if (path.Length == root.Length)
        {
            return path.Equals(root, PathComparison);
        }

        var rootWithSep = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!path.StartsWith(rootWithSep, PathComparison))
        {
            return false;
        }

        relative = path[rootWithSep.Length..].Replace(Path.DirectorySeparatorChar, '/');
        return true;
    }

    /// <summary>
    /// The path with every symbolic link of its existing prefix resolved and <c>.</c>/<c>..</c>
    /// applied after each link (as the kernel does: <c>link/..</c> is the parent of the link's
    /// target). The part that does not exist yet is appended as written.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.IsPathFullyQualified(path) ? path : Path.Combine(Directory.GetCurrentDirectory(), path);
        var pending = new Stack<string>();
        PushComponents(full, pending, out var current);
        var links = 0;
        var exists = true;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            if (exists)
            {
                string? target = null;
                try
                {
                    var info = new FileInfo(next);
                    target = info.LinkTarget;
                    if (target is null && !info.Exists && !Directory.Exists(next))
                    {
                        exists = false;
                    }
                }
                catch (IOException)
                {
                    exists = false;
                }
                catch (UnauthorizedAccessException)
                {
                    exists = false;
                }

                if (target is not null)
                {
                    if (++links > MaxLinks)
                    {
                        throw new IOException($"{path}: too many levels of symbolic links");
                    }

                    var absolute = Path.IsPathFullyQualified(target) ? target : Path.Join(current, target);
                    PushComponents(absolute, pending, out current);
                    continue;
                }
            }

            current = next;
        }

        return current;
    }

    private static void PushComponents(string absolute, Stack<string> pending, out string root)
    {
        root = Path.GetPathRoot(absolute) ?? "/";
        var parts = absolute[root.Length..].Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}
