using System.Text;

namespace Harness.TestKit;

/// <summary>A throwaway git repository whose every git call ignores global and system git config.</summary>
public sealed class TempGitRepo : IDisposable
{
    private readonly TempDirectory _directory;
    private readonly bool _withCommitIdentity;

    private TempGitRepo(TempDirectory directory, bool withCommitIdentity)
    {
        _directory = directory;
        _withCommitIdentity = withCommitIdentity;
    }

    public string Path => _directory.Path;

    public static TempGitRepo Init(bool withCommitIdentity = true, string initialBranch = "main")
    {
        var repo = new TempGitRepo(TempDirectory.Create("harness-git"), withCommitIdentity);
        try
        {
            repo.Git("init", "--quiet", $"--initial-branch={initialBranch}");
            if (!withCommitIdentity)
            {
                // Without this git guesses a name from the user account and host, so "no identity"
                // would succeed on one machine and fail on another.
                repo.Git("config", "user.useConfigOnly", "true");
            }

            return repo;
        }
        catch
        {
            repo.Dispose();
            throw;
        }
    }

    /// <summary>Runs git in any folder (a submodule, a linked worktree, another fixture) with the isolated config and the test identity.</summary>
    public static string GitIn(string directory, params string[] args) => IsolatedGit.Run(directory, withIdentity: true, args);

    /// <summary>Runs git in the repository; returns stdout, throws with stderr on a non-zero exit.</summary>
    public string Git(params string[] args) => IsolatedGit.Run(Path, _withCommitIdentity, args);

    public string WriteFile(string rel, string content) => _directory.Write(rel, content);

    /// <summary>Writes the files, stages everything (<c>git add -A</c>), commits and returns the full hash.</summary>
    public string Commit(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            WriteFile(path, content);
        }

        Git("add", "-A");
        Git("commit", "--quiet", "--allow-empty", "--no-verify", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    /// <summary>
    /// Adds <paramref name="count"/> commits on the current branch, commit i adding
    /// <c>{prefix}-{i}.txt</c> with subject <c>{prefix} {i}</c> (1-based). One <c>git fast-import</c>
    /// process instead of two per commit keeps thousands of commits cheap. The work tree is reset
    /// to the new tip afterwards, so uncommitted changes are discarded.
    /// </summary>
    public void CommitMany(int count, string prefix = "commit")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        var branchRef = Git("symbolic-ref", "HEAD").Trim();
        var (parentExit, parent, _) = IsolatedGit.TryRun(Path, _withCommitIdentity, ["rev-parse", "--quiet", "--verify", "HEAD"]);
        var stream = new StringBuilder();

        // Past, strictly increasing times: log order then does not depend on same-second ties.
        var firstTime = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - count;
        for (var i = 1; i <= count; i++)
        {
            var identity = $"{IsolatedGit.AuthorName} <{IsolatedGit.AuthorEmail}> {firstTime + i} +0000";
            stream.Append($"commit {branchRef}\n");
            stream.Append($"author {identity}\ncommitter {identity}\n");
            AppendData(stream, $"{prefix} {i}\n");
            if (i == 1 && parentExit == 0)
            {
                stream.Append($"from {parent.Trim()}\n");
            }

            stream.Append($"M 100644 inline {prefix}-{i}.txt\n");
            AppendData(stream, $"{prefix} {i} content\n");
        }

        stream.Append("done\n");
        IsolatedGit.Run(Path, _withCommitIdentity, ["fast-import", "--quiet", "--done"], stream.ToString());
        Git("reset", "--quiet", "--hard", "HEAD");
    }

    /// <summary>Clones this repository with <c>--depth</c>; the caller disposes the clone.</summary>
    public TempGitRepo CloneShallow(int depth = 1)
    {
        var clone = new TempGitRepo(TempDirectory.Create("harness-clone"), _withCommitIdentity);
        try
        {
            // A plain path would take the local-clone shortcut, which ignores --depth.
            var url = new Uri(Path).AbsoluteUri;
            IsolatedGit.Run(clone.Path, _withCommitIdentity, ["clone", "--quiet", $"--depth={depth}", url, "."]);
            return clone;
        }
        catch
        {
            clone.Dispose();
            throw;
        }
    }

    public void DetachHead() => Git("checkout", "--quiet", "--detach", "HEAD");

    public void Dispose() => _directory.Dispose();

    // fast-import counts bytes, not characters.
    private static void AppendData(StringBuilder stream, string text) =>
        stream.Append($"data {Encoding.UTF8.GetByteCount(text)}\n{text}\n");
}
