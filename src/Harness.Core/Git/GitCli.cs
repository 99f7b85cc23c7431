namespace Harness.Core.Git;

/// <summary>
/// <see cref="IGit"/> over the git command line. Ordinary states (not a repository, no commits,
/// short or shallow history, detached HEAD) are answers, not exceptions; a git that is missing or
/// times out shows up in <see cref="GitRepositoryInfo.Error"/>; only git failing unexpectedly throws
/// a <see cref="Errors.HarnessException"/> with <see cref="Errors.ErrorIds.GitFailed"/>.
/// </summary>
internal sealed partial class GitCli : IGit
{
    private readonly GitProcess _git;

    public GitCli(TimeSpan? commandTimeout = null, string gitExecutable = "git")
    {
        var timeout = commandTimeout ?? TimeSpan.FromSeconds(30);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(commandTimeout));
        ArgumentException.ThrowIfNullOrWhiteSpace(gitExecutable);
        _git = new GitProcess(gitExecutable, timeout);
    }

    public GitRepositoryInfo Inspect(string directory, CancellationToken cancellationToken = default) =>
        Wait(InspectAsync(directory, cancellationToken));

    public IReadOnlyList<GitCommit> RecentCommits(string directory, int count, CancellationToken cancellationToken = default) =>
        Wait(LogAsync(directory, count, withFiles: false, cancellationToken)).Select(c => c.Commit).ToList();

    public IReadOnlyList<string> FilesChangedInRecentCommits(string directory, int count, CancellationToken cancellationToken = default) =>
        DistinctFiles(Wait(LogAsync(directory, count, withFiles: true, cancellationToken)));

    public IReadOnlyList<GitStatusEntry> Status(string directory, CancellationToken cancellationToken = default) =>
        Wait(StatusAsync(directory, cancellationToken));

    public GitSnapshot Snapshot(string directory, int commitCount, CancellationToken cancellationToken = default) =>
        Wait(new GitSnapshotReader(_git).ReadAsync(directory, commitCount, cancellationToken));

    internal static IReadOnlyList<string> DistinctFiles(IEnumerable<CommitWithFiles> newestFirst) =>
        newestFirst.SelectMany(c => c.Files).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Drops the files of a shallow clone's boundary commits: git shows such a commit as having
    /// no parent, so --name-only lists every file of the tree for it, not what it changed.
    /// </summary>
    internal static IEnumerable<CommitWithFiles> WithoutShallowBoundaryFiles(IReadOnlyList<CommitWithFiles> commits, string? gitDirectory)
    {
        var shallowFile = gitDirectory is null ? null : Path.Combine(gitDirectory, "shallow");
        if (shallowFile is null || !File.Exists(shallowFile))
        {
            return commits;
        }

        var boundary = new HashSet<string>(File.ReadAllLines(shallowFile).Select(l => l.Trim()), StringComparer.OrdinalIgnoreCase);
        return commits.Select(c => boundary.Contains(c.Commit.Hash) ? c with { Files = [] } : c);
    }

    private async Task<GitRepositoryInfo> InspectAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return GitRepositoryInfo.NotARepository;
        }

        // Three cheap calls side by side instead of one status, which would stat every tracked file.
        var locationTask = _git.RunAsync(directory, RepositoryLocation.RevParseArguments, cancellationToken);
        var branchTask = _git.RunAsync(directory, ["symbolic-ref", "--quiet", "--short", "HEAD"], cancellationToken);
        var commitTask = _git.RunAsync(directory, ["rev-parse", "--quiet", "--verify", "HEAD^{commit}"], cancellationToken);
        await Task.WhenAll(locationTask, branchTask, commitTask).ConfigureAwait(false);

        var (location, notRunError) = ReadLocation(locationTask.Result);
        if (location is null)
        {
            return notRunError is null ? GitRepositoryInfo.NotARepository : GitRepositoryInfo.NotARepository with { Error = notRunError };
        }

        var headNotRun = new[] { branchTask.Result, commitTask.Result }.FirstOrDefault(r => r.ExitCode is null);
        if (headNotRun is not null)
        {
            return ToInfo(location, new HeadState(null, null, false)) with { Error = headNotRun.Describe(_git.Timeout) };
        }

        // symbolic-ref exits 1 on a detached HEAD; rev-parse --verify exits 1 before the first commit.
        var branch = RequireExit(branchTask.Result, 0, 1);
        var commit = RequireExit(commitTask.Result, 0, 1);
        return ToInfo(location, new HeadState(
            commit.Succeeded ? commit.StandardOutput.Trim() : null,
            branch.Succeeded ? branch.StandardOutput.Trim() : null,
            IsDetached: !branch.Succeeded));
    }

    private async Task<IReadOnlyList<CommitWithFiles>> LogAsync(string directory, int count, bool withFiles, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0 || !Directory.Exists(directory))
        {
            return [];
        }

        var log = await _git.RunAsync(directory, GitLogParser.LogArguments(count, withFiles), cancellationToken).ConfigureAwait(false);
        if (log.Succeeded)
        {
            return ParseOutputOrThrow(log, GitLogParser.Parse);
        }

        ThrowIfNotRun(log);

        // git log fails outside a repository and before the first commit; only a second look tells
        // those apart from a real failure without matching on its (version-dependent) message.
        var info = await InspectAsync(directory, cancellationToken).ConfigureAwait(false);
        return info.IsRepository && info.HasCommits ? throw GitErrors.Failed(log) : [];
    }

    private async Task<IReadOnlyList<GitStatusEntry>> StatusAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var status = await _git.RunAsync(directory, PorcelainStatusParser.StatusArguments, cancellationToken).ConfigureAwait(false);
        if (status.Succeeded)
        {
            return ParseOutputOrThrow(status, o => PorcelainStatusParser.Parse(o).Entries);
        }

        ThrowIfNotRun(status);
        return RepositoryLocation.IsNotARepository(status) ? [] : throw GitErrors.Failed(status);
    }

    /// <summary>The location, or null with the reason git could not be run (null reason: not a repository).</summary>
    internal (RepositoryLocation? Location, string? NotRunError) ReadLocation(GitProcessResult result) =>
        result.ExitCode is null ? (null, result.Describe(_git.Timeout)) : (ParseOrThrow(result, RepositoryLocation.Parse), null);

    internal static GitRepositoryInfo ToInfo(RepositoryLocation location, HeadState head) => new()
    {
        IsRepository = true,
        TopLevel = location.TopLevel,
        GitDirectory = location.GitDirectory,
        IsShallow = location.IsShallow,
        HeadCommit = head.Commit,
        Branch = head.Branch,
        IsDetached = head.IsDetached,
    };

    internal static T ParseOrThrow<T>(GitProcessResult result, Func<GitProcessResult, T> parse)
    {
        try
        {
            return parse(result);
        }
        catch (FormatException ex)
        {
            throw GitErrors.Failed(result, $"could not read the output of {result.CommandLine}: {ex.Message}");
        }
    }

    internal static T ParseOutputOrThrow<T>(GitProcessResult result, Func<string, T> parse) =>
        ParseOrThrow(result, r => parse(r.StandardOutput));

    private void ThrowIfNotRun(GitProcessResult result)
    {
        if (result.ExitCode is null)
        {
            throw GitErrors.NotRun(result, _git.Timeout);
        }
    }

    private static GitProcessResult RequireExit(GitProcessResult result, params int[] expected) =>
        result.ExitCode is { } code && expected.Contains(code) ? result : throw GitErrors.Failed(result);

    // The interface is synchronous; ConfigureAwait(false) throughout keeps this from deadlocking
    // on a host with a synchronization context (PowerShell, MSBuild tasks, UI threads).
    private static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();
}
