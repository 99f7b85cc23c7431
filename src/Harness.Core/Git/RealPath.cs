namespace Harness.Core.Git;

/// <summary>
/// A folder's path with every symbolic link on the way resolved, as git and libgit2 report work
/// trees and git directories (realpath), so paths from both sides compare as strings.
/// </summary>
internal static class RealPath
{
    public static string Of(string path) => Resolve(Path.GetFullPath(path), depth: 0);

    private static string Resolve(string full, int depth)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);

            // A loop of links resolves to nothing; the path is then left as it is, and git would fail on it too.
            var target = depth < 40 ? TryResolveLink(next) : null;
            current = target is null ? next : Resolve(target, depth + 1);
        }

        return Path.TrimEndingDirectorySeparator(current.Length == 0 ? full : current);
    }

    private static string? TryResolveLink(string path)
    {
        try
        {
            var info = new DirectoryInfo(path);
            return info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
