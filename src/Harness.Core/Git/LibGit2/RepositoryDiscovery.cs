namespace Harness.Core.Git;

/// <summary>
/// Finds the work tree a folder is in as git does (setup.c): from the folder up, the first one with
/// a <c>.git</c> folder or <c>.git</c> file ("gitdir: ..."); a folder that is itself a git directory
/// (inside <c>.git</c>, or a bare repository) is in no work tree. Written out because
/// LibGit2Sharp's Repository.Discover returns nothing under Native AOT (its out-buffer is not
/// copied back), and the CLI is AOT.
/// </summary>
internal static class RepositoryDiscovery
{
    /// <summary>The top of the work tree holding <paramref name="realDirectory"/> (symbolic links resolved), or null when there is none.</summary>
    public static string? FindTopLevel(string realDirectory)
    {
        for (var directory = realDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            var dotGit = Path.Combine(directory, ".git");
            if (Directory.Exists(dotGit) ? IsGitDirectory(dotGit) : File.Exists(dotGit) && IsGitFile(directory, dotGit))
            {
                return directory;
            }

            if (IsGitDirectory(directory))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>git's is_git_directory: HEAD, and objects/ and refs/ here or in the common directory a linked worktree names.</summary>
    private static bool IsGitDirectory(string directory)
    {
        if (!File.Exists(Path.Combine(directory, "HEAD")))
        {
            return false;
        }

        var commonFile = Path.Combine(directory, "commondir");
        var common = File.Exists(commonFile) ? Path.GetFullPath(Path.Combine(directory, ReadFirstLine(commonFile))) : directory;
        return Directory.Exists(Path.Combine(common, "objects")) && Directory.Exists(Path.Combine(common, "refs"));
    }

    private static bool IsGitFile(string workTree, string file)
    {
        var line = ReadFirstLine(file);
        return line.StartsWith("gitdir: ", StringComparison.Ordinal) && IsGitDirectory(Path.GetFullPath(Path.Combine(workTree, line["gitdir: ".Length..])));
    }

    private static string ReadFirstLine(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            return (reader.ReadLine() ?? "").Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
