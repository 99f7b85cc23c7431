namespace Harness.Core.Git;

/// <summary>
/// <see cref="IGitWorktrees"/> over the git command line: worktrees, in-memory merges
/// (<c>merge-tree --write-tree</c>, git 2.38 or later), trees edited through a private index, rebases
/// and fast-forwards. Paths given to git are <c>:(top)</c> pathspecs, so the folder a call runs
/// in does not change what they name.
/// </summary>
partial class GitCli : IGitWorktrees
{
    public Version? GitVersion(string directory, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["version"], cancellationToken));
        return result.Succeeded ? ParseVersion(result.StandardOutput) : null;
    }

    /// <summary>"git version 2.39.5" and "git version 2.45.1.windows.1" give 2.39.5 and 2.45.1.</summary>
    internal static Version? ParseVersion(string output)
    {
        var words = output.Trim().Split(' ');
        var numbers = words.Length < 3 ? [] : words[2].Split('.').TakeWhile(p => p.Length > 0 && p.All(char.IsAsciiDigit)).Take(3).ToArray();
        return numbers.Length >= 2 ? Version.Parse(string.Join('.', numbers)) : null;
    }

    public IReadOnlyList<GitWorktree> ListWorktrees(string directory, CancellationToken cancellationToken = default)
    {
        var result = Succeed(Wait(_git.RunAsync(directory, ["worktree", "list", "--porcelain", "-z"], cancellationToken)));
        return ParseWorktrees(result.StandardOutput);
    }

    /// <summary>Porcelain records, one attribute per NUL-terminated field, an empty field between records.</summary>
    internal static IReadOnlyList<GitWorktree> ParseWorktrees(string output)
    {
        var worktrees = new List<GitWorktree>();
        string? path = null, head = null, branch = null;
        var prunable = false;
        foreach (var field in output.Split('\0'))
        {
            if (field.Length == 0)
            {
                if (path is not null)
                {
                    worktrees.Add(new GitWorktree(Path.GetFullPath(path), head, branch, prunable));
                }

                (path, head, branch, prunable) = (null, null, null, false);
                continue;
            }

            var space = field.IndexOf(' ');
            var (key, value) = space < 0 ? (field, "") : (field[..space], field[(space + 1)..]);
            switch (key)
            {
                case "worktree": path = value; break;
                case "HEAD": head = value.Trim('0').Length == 0 ? null : value; break;
                case "branch": branch = value; break;
                case "prunable": prunable = true; break;
            }
        }

        return worktrees;
    }

    public void AddWorktree(string directory, string path, string branch, string commit, CancellationToken cancellationToken = default) =>
        Succeed(Wait(_git.RunAsync(directory, ["worktree", "add", "--force", "--quiet", "-B", branch, path, commit], cancellationToken)));

    public void ResetWorktree(string worktree, string branch, string commit, CancellationToken cancellationToken = default)
    {
        Succeed(Wait(_git.RunAsync(worktree, ["checkout", "--force", "--quiet", "-B", branch, commit], cancellationToken)));
        Succeed(Wait(_git.RunAsync(worktree, ["clean", "-d", "--force", "--quiet", "--", ":/"], cancellationToken)));
    }

    public void RemoveWorktree(string directory, string path, CancellationToken cancellationToken = default)
    {
        // Twice --force: also a locked worktree. A folder git no longer knows is removed by hand.
        var removed = Wait(_git.RunAsync(directory, ["worktree", "remove", "--force", "--force", path], cancellationToken));
        ThrowIfNotRun(removed);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Succeed(Wait(_git.RunAsync(directory, ["worktree", "prune"], cancellationToken)));
    }

    public bool IsAncestor(string directory, string ancestor, string descendant, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["merge-base", "--is-ancestor", ancestor, descendant], cancellationToken));
        return RequireExit(result, 0, 1).ExitCode == 0;
    }

    public GitMergeTree MergeTree(string directory, string ours, string theirs, CancellationToken cancellationToken = default)
    {
        // Exit 0: clean; 1: conflicts (the tree then holds conflict markers); anything else: git failed.
        var result = RequireExit(Wait(_git.RunAsync(directory, ["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", ours, theirs], cancellationToken)), 0, 1);
        var fields = result.StandardOutput.Split('\0');
        var conflicted = fields.Skip(1).Where(f => f.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return new GitMergeTree(fields[0].Trim(), result.ExitCode == 0 ? [] : conflicted);
    }

    public string ReplaceInTree(string directory, string tree, IReadOnlyList<GitTreeEntry> entries, CancellationToken cancellationToken = default)
    {
        // A private index that lives for three calls: read the tree, set the entries, write it back.
        var index = Path.Combine(Path.GetTempPath(), "harness-tree-index-" + Guid.NewGuid().ToString("N"));
        var environment = new Dictionary<string, string> { ["GIT_INDEX_FILE"] = index };
        try
        {
            Succeed(Wait(_git.RunAsync(directory, ["read-tree", tree], environment, cancellationToken)));
            if (entries.Count > 0)
            {
                var update = new List<string> { "update-index", "--add" };
                foreach (var entry in entries)
                {
                    update.Add("--cacheinfo");
                    update.Add($"{entry.Mode},{entry.Object},{entry.Path}");
                }

                Succeed(Wait(_git.RunAsync(directory, update, environment, cancellationToken)));
            }

            return Succeed(Wait(_git.RunAsync(directory, ["write-tree"], environment, cancellationToken))).StandardOutput.Trim();
        }
        finally
        {
            File.Delete(index);
        }
    }

    public GitTreeEntry? EntryAt(string directory, string revision, string path, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["ls-tree", "-z", "--full-tree", revision, "--", path], cancellationToken));
        ThrowIfNotRun(result);
        var line = result.Succeeded ? result.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
        if (line is null)
        {
            return null;
        }

        var tab = line.IndexOf('\t');
        var head = line[..tab].Split(' ');
        return head[1] == "blob" ? new GitTreeEntry(line[(tab + 1)..], head[0], head[2]) : null;
    }

    public IReadOnlyList<GitTreeEntry> Stage(string directory, IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        if (paths.Count == 0)
        {
            return [];
        }

        Succeed(Wait(_git.RunAsync(directory, ["add", "--", .. paths], cancellationToken)));
        var listed = Succeed(Wait(_git.RunAsync(directory, ["ls-files", "--stage", "-z", "--full-name", "--", .. paths], cancellationToken)));
        var entries = new List<GitTreeEntry>();
        foreach (var line in listed.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <object> <stage>\t<path>"
            var tab = line.IndexOf('\t');
            var head = line[..tab].Split(' ');
            entries.Add(new GitTreeEntry(line[(tab + 1)..], head[0], head[1]));
        }

        return entries;
    }

    public string? FastForward(string directory, string commit, CancellationToken cancellationToken = default)
    {
        var result = Wait(_git.RunAsync(directory, ["merge", "--ff-only", "--quiet", "--no-edit", commit], cancellationToken));
        ThrowIfNotRun(result);
        return result.Succeeded ? null : (result.StandardError + result.StandardOutput).Trim();
    }

    public GitRebase Rebase(string worktree, string onto, IReadOnlyCollection<string> takeOnto, CancellationToken cancellationToken = default)
    {
        // No editor may open: --continue keeps each commit's message. The replayed commits keep their
        // authors; their committer is the harness, which replays them (and needs no user identity).
        var environment = new Dictionary<string, string>
        {
            ["GIT_EDITOR"] = "true",
            ["GIT_COMMITTER_NAME"] = HarnessUserName,
            ["GIT_COMMITTER_EMAIL"] = HarnessUserEmail,
        };
        var step = Wait(_git.RunAsync(worktree, ["rebase", "--quiet", onto], environment, cancellationToken));
        while (true)
        {
            ThrowIfNotRun(step);
            if (step.Succeeded)
            {
                return new GitRebase(ResolveCommit(worktree, "HEAD", cancellationToken), []);
            }

            if (!InProgress(worktree, "rebase-merge", cancellationToken) && !InProgress(worktree, "rebase-apply", cancellationToken))
            {
                // It never started (a dirty tree, a bad revision): nothing to abort.
                throw GitErrors.Failed(step);
            }

            var conflicted = Succeed(Wait(_git.RunAsync(worktree, ["diff", "--name-only", "--diff-filter=U", "-z"], cancellationToken)))
                .StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            if (conflicted.Length == 0)
            {
                // The commit being replayed became empty once resolved: nothing of it is left to apply.
                step = Wait(_git.RunAsync(worktree, ["rebase", "--skip"], environment, cancellationToken));
                continue;
            }

            if (!conflicted.All(takeOnto.Contains))
            {
                Succeed(Wait(_git.RunAsync(worktree, ["rebase", "--abort"], cancellationToken)));
                return new GitRebase(null, conflicted);
            }

            // While rebasing, "ours" is the side being rebased onto.
            var pathspecs = conflicted.Select(p => ":(top)" + p).ToArray();
            Succeed(Wait(_git.RunAsync(worktree, ["checkout", "--ours", "--", .. pathspecs], cancellationToken)));
            Succeed(Wait(_git.RunAsync(worktree, ["add", "--", .. pathspecs], cancellationToken)));
            step = Wait(_git.RunAsync(worktree, ["rebase", "--continue"], environment, cancellationToken));
        }
    }

    public string CommitAll(string worktree, string message, CancellationToken cancellationToken = default)
    {
        Succeed(Wait(_git.RunAsync(worktree, ["add", "--all", "--", ":/"], cancellationToken)));
        var staged = RequireExit(Wait(_git.RunAsync(worktree, ["diff", "--cached", "--quiet"], cancellationToken)), 0, 1);
        if (staged.ExitCode == 1)
        {
            Succeed(Wait(_git.RunAsync(worktree,
                ["-c", "user.name=" + HarnessUserName, "-c", "user.email=" + HarnessUserEmail, "-c", "commit.gpgSign=false", "commit", "--quiet", "--no-verify", "-m", message],
                cancellationToken)));
        }

        return ResolveCommit(worktree, "HEAD", cancellationToken) ?? throw new Errors.HarnessException(Errors.ErrorIds.GitFailed, Errors.HarnessErrorCategory.InvalidOperation, $"{worktree}: HEAD does not name a commit after committing the worker's changes.");
    }

    public void DeleteBranches(string directory, IReadOnlyList<string> branches, CancellationToken cancellationToken = default)
    {
        var existing = branches.Where(b => ResolveCommit(directory, "refs/heads/" + b, cancellationToken) is not null).ToList();
        if (existing.Count > 0)
        {
            Succeed(Wait(_git.RunAsync(directory, ["branch", "--quiet", "-D", .. existing], cancellationToken)));
        }
    }

    public bool AbortInterruptedMerge(string worktree, CancellationToken cancellationToken = default)
    {
        if (InProgress(worktree, "rebase-merge", cancellationToken) || InProgress(worktree, "rebase-apply", cancellationToken))
        {
            Succeed(Wait(_git.RunAsync(worktree, ["rebase", "--abort"], cancellationToken)));
            return true;
        }

        if (File.Exists(GitPath(worktree, "MERGE_HEAD", cancellationToken)))
        {
            Succeed(Wait(_git.RunAsync(worktree, ["merge", "--abort"], cancellationToken)));
            return true;
        }

        return false;
    }

    private bool InProgress(string worktree, string marker, CancellationToken cancellationToken) =>
        Directory.Exists(GitPath(worktree, marker, cancellationToken));
}
