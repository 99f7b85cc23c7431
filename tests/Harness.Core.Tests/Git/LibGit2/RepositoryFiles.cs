using System.Security.Cryptography;

namespace Harness.Core.Tests.Git.LibGit2;

/// <summary>What an operation that must touch nothing could touch: the index, HEAD and refs, and every work-tree file.</summary>
internal static class RepositoryFiles
{
    /// <summary>
    /// One line per file of the work tree and of the git directory's index, HEAD and refs: path, size,
    /// hash, mode, and with <paramref name="exact"/> the write time; without it, the work tree only
    /// (to compare two copies of a fixture made a moment apart).
    /// </summary>
    public static string Capture(string topLevel, bool exact = true)
    {
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(topLevel, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(topLevel, path).Replace('\\', '/');
            if (relative.StartsWith(".git/objects", StringComparison.Ordinal) || relative.StartsWith(".git/logs", StringComparison.Ordinal) || (!exact && IsGitInternal(relative)))
            {
                // New objects are allowed (a snapshot writes blobs and trees); nothing that points at them is.
                continue;
            }

            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                lines.Add($"{relative} -> {info.LinkTarget}");
            }
            else if (info.Exists)
            {
                var mode = OperatingSystem.IsWindows() ? "" : info.UnixFileMode.ToString();
                lines.Add($"{relative} {info.Length} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))} {mode}{(exact ? $" {info.LastWriteTimeUtc.Ticks}" : "")}");
            }
            else
            {
                lines.Add(relative + "/");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static bool IsGitInternal(string relative) =>
        relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal) || relative.EndsWith("/.git", StringComparison.Ordinal) || relative.Contains("/.git/", StringComparison.Ordinal);
}
