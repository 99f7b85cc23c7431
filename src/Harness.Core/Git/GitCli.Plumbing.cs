namespace Harness.Core.Git;

/// <summary>
/// The git plumbing checkpoints, autosaves and restores are built from. Same rules as the rest of
/// <see cref="GitCli"/>: GIT_OPTIONAL_LOCKS=0, timeouts, cancellation, answers for ordinary states (a revision
/// that does not exist is null, not an exception); git failing unexpectedly throws GitFailed.
/// </summary>
internal sealed partial class GitCli
{
    /// <summary>The identity of the commits the harness makes when the user has none configured (that commit only).</summary>
    public const string HarnessUserName = "Harness";

    public const string HarnessUserEmail = "harness@localhost";

    public string? ResolveCommit(string directory, string revision, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["rev-parse", "--quiet", "--verify", revision + "^{commit}"], cancellationToken));
        ThrowIfNotRun(result);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    public string? TreeOf(string directory, string revision, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["rev-parse", "--quiet", "--verify", revision + "^{tree}"], cancellationToken));
        ThrowIfNotRun(result);
        return result.Succeeded ? result.StandardOutput.Trim() : null;
    }

    /// <summary>Absolute path of a file in the git directory (<c>git rev-parse --git-path</c>), worktree-aware.</summary>
    public string GitPath(string directory, string name, CancellationToken cancellationToken = default)
    {
        var result = Succeed(Wait(_git.RunAsync(directory, ["rev-parse", "--git-path", name], cancellationToken)));
        return Path.GetFullPath(Path.Combine(directory, result.StandardOutput.Trim()));
    }

    public string WriteWorkTreeSnapshot(string directory, SnapshotExclusions excluded, CancellationToken cancellationToken = default)
    {
        // A private index: the agent's index, index.lock, HEAD and files are never touched. Seeded
        // with a copy of the real index so git can trust its stat data and not re-hash every file.
        using var scratch = new ScratchIndexFolder(GitPath(directory, "index", cancellationToken));
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = scratch.IndexPath };
        var add = new List<string> { "add", "--all", "--", ":/" };
        add.AddRange(excluded.ToPathspecs());
        Succeed(Wait(_git.RunAsync(directory, add, environment, cancellationToken)));
        return Succeed(Wait(_git.RunAsync(directory, ["write-tree"], environment, cancellationToken))).StandardOutput.Trim();
    }

    public GitCommitResult CommitTree(string directory, string tree, IReadOnlyList<string> parents, string message, bool harnessIdentity, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "commit-tree", tree };
        foreach (var parent in parents)
        {
            arguments.Add("-p");
            arguments.Add(parent);
        }

        arguments.Add("-m");
        arguments.Add(message);
        if (harnessIdentity)
        {
            arguments.Insert(1, "--no-gpg-sign");
            return new GitCommitResult(Succeed(Wait(_git.RunAsync(directory, [.. WithHarnessIdentity(arguments)], cancellationToken))).StandardOutput.Trim(), true);
        }

        var first = Wait(_git.RunAsync(directory, arguments, cancellationToken));
        ThrowIfNotRun(first);
        if (first.Succeeded)
        {
            return new GitCommitResult(first.StandardOutput.Trim(), false);
        }

        // No author configured (or one git refuses): this commit only, with the harness identity,
        // passed with -c so the user's config is never written.
        var retry = Wait(_git.RunAsync(directory, [.. WithHarnessIdentity(arguments)], cancellationToken));
        return retry.Succeeded ? new GitCommitResult(retry.StandardOutput.Trim(), true) : throw GitErrors.Failed(first);
    }

    public bool UpdateRef(string directory, string refName, string newValue, string? expectedOldValue, string reason, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "update-ref", "-m", reason, refName, newValue };
        if (expectedOldValue is not null)
        {
            arguments.Add(expectedOldValue);
        }

        var result = Wait(_git.RunAsync(directory, arguments, cancellationToken));
        ThrowIfNotRun(result);
        return result.Succeeded;
    }

    public void DeleteRefs(string directory, IReadOnlyList<string> refNames, CancellationToken cancellationToken = default)
    {
        foreach (var name in refNames)
        {
            var result = Wait(_git.RunAsync(directory, ["update-ref", "-d", name], cancellationToken));
            ThrowIfNotRun(result);
        }
    }

    public IReadOnlyList<GitRefRecord> ListRefs(string directory, string prefix, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var result = Wait(_git.RunAsync(directory, ["for-each-ref", "--format=%1e%(refname)%1f%(objectname)%1f%(parent)%1f%(contents)", prefix], cancellationToken));
        ThrowIfNotRun(result);
        if (!result.Succeeded)
        {
            return RepositoryLocation.IsNotARepository(result) ? [] : throw GitErrors.Failed(result);
        }

        var records = new List<GitRefRecord>();
        foreach (var record in result.StandardOutput.Split('\x1e', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.Split('\x1f', 4);
            if (fields.Length < 4)
            {
                continue;
            }

            var parents = fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            records.Add(new GitRefRecord(fields[0], fields[1], parents, fields[3].TrimEnd('\n')));
        }

        return records;
    }

    public void ResetHard(string directory, string commit, CancellationToken cancellationToken = default) =>
        Succeed(Wait(_git.RunAsync(directory, ["reset", "--hard", "--quiet", "--no-recurse-submodules", commit], cancellationToken)));

    public void ResetIndex(string directory, CancellationToken cancellationToken = default) =>
        Succeed(Wait(_git.RunAsync(directory, ["reset", "--quiet"], cancellationToken)));

    public IReadOnlyList<string> UntrackedFiles(string directory, CancellationToken cancellationToken = default)
    {
        var result = Succeed(Wait(_git.RunAsync(directory, ["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", ":/"], cancellationToken)));
        return result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    public IReadOnlyList<GitFileChange> DiffNames(string directory, string from, string? to, CancellationToken cancellationToken = default)
    {
        var arguments = new List<string> { "diff", "--name-status", "-z", "--no-renames", "--no-color", "--no-ext-diff", from };
        if (to is not null)
        {
            arguments.Add(to);
        }

        arguments.Add("--");
        var result = Succeed(Wait(_git.RunAsync(directory, arguments, cancellationToken)));
        var fields = result.StandardOutput.Split('\0');
        var changes = new List<GitFileChange>();
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if (fields[i].Length == 0)
            {
                break;
            }

            changes.Add(new GitFileChange(fields[i][0], fields[i + 1]));
        }

        return changes;
    }

    public IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, params string[] revisions) =>
        CommitsInRange(directory, maxCount, revisions, CancellationToken.None);

    public IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, IReadOnlyList<string> revisions, CancellationToken cancellationToken)
    {
        var log = Wait(_git.RunAsync(directory, GitLogParser.RangeArguments(maxCount, revisions), cancellationToken));
        ThrowIfNotRun(log);
        if (!log.Succeeded)
        {
            // Before the first commit, or a revision that no longer exists: no commits to show.
            return [];
        }

        return ParseOutputOrThrow(log, GitLogParser.Parse).Select(c => c.Commit).ToList();
    }

    public byte[]? ShowFile(string directory, string revision, string path, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["show", "--no-textconv", $"{revision}:./{path.Replace('\\', '/')}"], cancellationToken));
        ThrowIfNotRun(result);
        return result.Succeeded ? System.Text.Encoding.UTF8.GetBytes(result.StandardOutput) : null;
    }

    private static IEnumerable<string> WithHarnessIdentity(IEnumerable<string> arguments) =>
        new[] { "-c", $"user.name={HarnessUserName}", "-c", $"user.email={HarnessUserEmail}" }.Concat(arguments);

    private GitProcessResult Succeed(GitProcessResult result)
    {
        ThrowIfNotRun(result);
        return result.Succeeded ? result : throw GitErrors.Failed(result);
    }
}
