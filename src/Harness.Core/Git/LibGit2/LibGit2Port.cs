using Harness.Core.Errors;
using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// <see cref="IGit"/> in-process through libgit2 (LibGit2Sharp): no git process for the reads or
/// the checkpoint plumbing. Each repository is opened once, on first use, and kept until the port
/// is disposed (the <see cref="Project.HarnessProject"/> that owns the port disposes it).
/// A repository libgit2 cannot open, or would answer for differently than git (docs/git.md lists
/// each case), is served by <see cref="GitCli"/> instead: never a wrong answer, at the price of git
/// processes. Calls are serialised (a libgit2 repository is not thread-safe); cancellation is
/// checked between libgit2 calls, which themselves run to the end.
/// </summary>
internal sealed class LibGit2Port : IGit, IDisposable
{
    private readonly object _gate = new();
    private readonly GitCli _cli;
    private readonly Dictionary<string, LibGit2Repository> _repositories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _cliReasons = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _topLevelOf = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="cli">Serves the repositories libgit2 cannot (default: git on PATH).</param>
    public LibGit2Port(GitCli? cli = null)
    {
        _cli = cli ?? new GitCli();
    }

    /// <summary>Why a repository (by work-tree top) is served by the git CLI; empty while libgit2 serves all.</summary>
    public IReadOnlyDictionary<string, string> CliFallbacks
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_cliReasons, StringComparer.Ordinal);
            }
        }
    }

    public GitRepositoryInfo Inspect(string directory, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.Inspect(), cli => cli.Inspect(directory, cancellationToken), () => GitRepositoryInfo.NotARepository);

    public IReadOnlyList<GitCommit> RecentCommits(string directory, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Use(directory, cancellationToken, r => r.Log(count, withFiles: false, cancellationToken).Select(c => c.Commit).ToList(), cli => cli.RecentCommits(directory, count, cancellationToken), () => []);
    }

    public IReadOnlyList<string> FilesChangedInRecentCommits(string directory, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        // Unlike Snapshot, git log's own list: a shallow clone's boundary commit lists its whole tree (as GitCli gives it).
        return Use(directory, cancellationToken, r => GitCli.DistinctFiles(r.Log(count, withFiles: true, cancellationToken)), cli => cli.FilesChangedInRecentCommits(directory, count, cancellationToken), () => []);
    }

    public IReadOnlyList<GitStatusEntry> Status(string directory, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.Status(), cli => cli.Status(directory, cancellationToken), () => []);

    public GitSnapshot Snapshot(string directory, int commitCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commitCount);
        return Use(directory, cancellationToken, r => Snapshot(r, commitCount, cancellationToken), cli => cli.Snapshot(directory, commitCount, cancellationToken), () => GitSnapshotReader.NotARepository(directory));
    }

    public string? ResolveCommit(string directory, string revision, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.FindCommit(revision)?.Sha, cli => cli.ResolveCommit(directory, revision, cancellationToken), () => null);

    public string? TreeOf(string directory, string revision, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.FindTree(revision)?.Sha, cli => cli.TreeOf(directory, revision, cancellationToken), () => null);

    public string WriteWorkTreeSnapshot(string directory, SnapshotExclusions excluded, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.WriteWorkTreeSnapshot(excluded, cancellationToken), cli => cli.WriteWorkTreeSnapshot(directory, excluded, cancellationToken), () => throw LibGit2Errors.NotARepository(directory));

    public GitCommitResult CommitTree(string directory, string tree, IReadOnlyList<string> parents, string message, bool harnessIdentity, CancellationToken cancellationToken = default) =>
        Use(
            directory,
            cancellationToken,
            r => !harnessIdentity && r.ConfigBool("commit.gpgSign", false)
                ? _cli.CommitTree(directory, tree, parents, message, harnessIdentity, cancellationToken) // signing runs gpg: docs/git.md
                : r.CommitTree(tree, parents, message, harnessIdentity),
            cli => cli.CommitTree(directory, tree, parents, message, harnessIdentity, cancellationToken),
            () => throw LibGit2Errors.NotARepository(directory));

    public bool UpdateRef(string directory, string refName, string newValue, string? expectedOldValue, string reason, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.UpdateRef(refName, newValue, expectedOldValue, reason), cli => cli.UpdateRef(directory, refName, newValue, expectedOldValue, reason, cancellationToken), () => false);

    public void DeleteRefs(string directory, IReadOnlyList<string> refNames, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => Done(() => r.DeleteRefs(refNames)), cli => Done(() => cli.DeleteRefs(directory, refNames, cancellationToken)), () => true);

    public IReadOnlyList<GitRefRecord> ListRefs(string directory, string prefix, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.ListRefs(prefix), cli => cli.ListRefs(directory, prefix, cancellationToken), () => []);

    /// <summary>
    /// Always the git CLI (docs/git.md): libgit2's checkout compares with the HEAD tree, not the index,
    /// so it deletes files git leaves alone (a file removed from the index but still on disk, a
    /// submodule's folder when the target has no gitlink for it).
    /// </summary>
    public void ResetHard(string directory, string commit, CancellationToken cancellationToken = default) =>
        _cli.ResetHard(directory, commit, cancellationToken);

    public void ResetIndex(string directory, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => Done(r.ResetIndex), cli => Done(() => cli.ResetIndex(directory, cancellationToken)), () => throw LibGit2Errors.NotARepository(directory));

    public IReadOnlyList<string> UntrackedFiles(string directory, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.UntrackedFiles(), cli => cli.UntrackedFiles(directory, cancellationToken), () => throw LibGit2Errors.NotARepository(directory));

    public IReadOnlyList<GitFileChange> DiffNames(string directory, string from, string? to, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.DiffNames(from, to), cli => cli.DiffNames(directory, from, to, cancellationToken), () => throw LibGit2Errors.NotARepository(directory));

    public IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, params string[] revisions) =>
        CommitsInRange(directory, maxCount, revisions, CancellationToken.None);

    public IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, IReadOnlyList<string> revisions, CancellationToken cancellationToken) =>
        Use(directory, cancellationToken, r => r.CommitsInRange(maxCount, revisions, cancellationToken) ?? [], cli => cli.CommitsInRange(directory, maxCount, revisions, cancellationToken), () => []);

    public byte[]? ShowFile(string directory, string revision, string path, CancellationToken cancellationToken = default) =>
        Use(directory, cancellationToken, r => r.ShowFile(revision, TopRelative(r, directory, path)), cli => cli.ShowFile(directory, revision, path, cancellationToken), () => null);

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var repository in _repositories.Values)
            {
                repository.Dispose();
            }

            _repositories.Clear();
        }
    }

    private static GitSnapshot Snapshot(LibGit2Repository repository, int commitCount, CancellationToken cancellationToken)
    {
        var info = repository.Inspect();
        var status = repository.Status();
        cancellationToken.ThrowIfCancellationRequested();
        var commits = info.HasCommits ? repository.Log(commitCount, withFiles: true, cancellationToken) : [];
        var warnings = new List<string>();
        GitSnapshotReader.AddHistoryWarnings(info, commits.Count, commitCount, warnings);
        return new GitSnapshot
        {
            Repository = info,
            RecentCommits = commits.Select(c => c.Commit).ToList(),
            RecentFiles = RecentFiles(repository, commits),
            Status = status,
            Warnings = warnings,
        };
    }

    private static IReadOnlyList<string> RecentFiles(LibGit2Repository repository, IReadOnlyList<CommitWithFiles> commits) =>
        GitCli.DistinctFiles(repository.IsShallow ? GitCli.WithoutShallowBoundaryFiles(commits, repository.CommonDirectory) : commits);

    private static string TopRelative(LibGit2Repository repository, string directory, string path)
    {
        var prefix = Path.GetRelativePath(repository.TopLevel, RealPath.Of(directory)).Replace('\\', '/');
        var relative = path.Replace('\\', '/');
        return prefix == "." ? relative : $"{prefix}/{relative}";
    }

    private static bool Done(Action action)
    {
        action();
        return true;
    }

    /// <summary>
    /// Runs <paramref name="inProcess"/> on the repository that holds <paramref name="directory"/>,
    /// <paramref name="cli"/> when the git CLI serves it, <paramref name="outside"/> when the
    /// directory is in no work tree (missing, outside any repository, inside .git, a bare repository).
    /// </summary>
    private T Use<T>(string directory, CancellationToken cancellationToken, Func<LibGit2Repository, T> inProcess, Func<GitCli, T> cli, Func<T> outside)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!Directory.Exists(directory))
        {
            return outside();
        }

        string? reason;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var (isOutside, repository, cliReason) = Resolve(directory);
            if (isOutside)
            {
                return outside();
            }

            if (repository is not null)
            {
                try
                {
                    return inProcess(repository);
                }
                catch (LibGit2SharpException ex)
                {
                    throw LibGit2Errors.Failed($"{ex.Message} (in {repository.TopLevel})", ex);
                }
            }

            reason = cliReason;
        }

        // Outside the lock: a git process may take its time, and GitCli is safe to call concurrently.
        // When git cannot run either, the error says first why libgit2 was not used.
        try
        {
            return WithFallbackReason(cli(_cli), reason);
        }
        catch (HarnessException ex) when (ex.ErrorId == ErrorIds.GitFailed && reason is not null)
        {
            throw new HarnessException(ex.ErrorId, ex.Category, $"{FallbackSentence(reason)}: {ex.Message}", ex) { Fix = ex.Fix };
        }
    }

    private static T WithFallbackReason<T>(T answer, string? reason) => answer switch
    {
        _ when reason is null => answer,
        GitRepositoryInfo { Error: { } error } info => (T)(object)(info with { Error = $"{FallbackSentence(reason)}: {error}" }),
        GitSnapshot { Repository.Error: { } error } snapshot => (T)(object)(snapshot with { Repository = snapshot.Repository with { Error = $"{FallbackSentence(reason)}: {error}" } }),
        _ => answer,
    };

    private static string FallbackSentence(string reason) => $"git runs as a process for this repository ({reason})";

    private (bool Outside, LibGit2Repository? Repository, string? CliReason) Resolve(string directory)
    {
        // Read at every call: a PowerShell session may change the variables between two commands.
        if (GitConfigEnvironment.Apply() is { } environmentReason)
        {
            _cliReasons["(environment)"] = environmentReason;
            return (false, null, environmentReason);
        }

        var real = RealPath.Of(directory);
        if (!_topLevelOf.TryGetValue(real, out var topLevel))
        {
            topLevel = RepositoryDiscovery.FindTopLevel(real);
            if (topLevel is null)
            {
                // Outside any work tree, inside .git, or in a bare repository: not cached, a later git init counts.
                return (true, null, null);
            }

            _topLevelOf[real] = topLevel;
        }

        if (_cliReasons.TryGetValue(topLevel, out var known))
        {
            return (false, null, known);
        }

        if (!_repositories.TryGetValue(topLevel, out var repository))
        {
            var reason = Open(topLevel, out repository);
            if (reason is not null)
            {
                _cliReasons[topLevel] = reason;
                return (false, null, reason);
            }

            _repositories[topLevel] = repository!;
        }

        return (false, repository, null);
    }

    private static string? Open(string topLevel, out LibGit2Repository? repository)
    {
        repository = null;
        try
        {
            repository = LibGit2Repository.Open(topLevel);
            var reason = LibGit2Compatibility.Check(repository);
            if (reason is not null)
            {
                repository.Dispose();
                repository = null;
            }

            return reason;
        }
        catch (LibGit2SharpException ex)
        {
            // Reftable, partial clones, SHA-256 and other extensions libgit2 does not know; an unsafe owner.
            repository?.Dispose();
            repository = null;
            return $"libgit2 cannot open {topLevel}: {ex.Message}";
        }
    }
}
