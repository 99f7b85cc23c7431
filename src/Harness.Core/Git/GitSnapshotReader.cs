namespace Harness.Core.Git;

/// <summary>
/// The entry hot path: rev-parse, status and log run side by side (three processes, one round
/// trip), and each result is read in the light of the others instead of by matching error text.
/// </summary>
internal sealed class GitSnapshotReader(GitProcess git)
{
    public async Task<GitSnapshot> ReadAsync(string directory, int commitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(commitCount);
        if (!Directory.Exists(directory))
        {
            return NotARepository(directory);
        }

        var locationTask = git.RunAsync(directory, RepositoryLocation.RevParseArguments, cancellationToken);
        var statusTask = git.RunAsync(directory, PorcelainStatusParser.StatusArguments, cancellationToken);
        var logTask = commitCount == 0 ? null : git.RunAsync(directory, GitLogParser.LogArguments(commitCount, withFiles: true), cancellationToken);
        await Task.WhenAll(new[] { locationTask, statusTask, logTask }.OfType<Task<GitProcessResult>>()).ConfigureAwait(false);

        if (locationTask.Result.ExitCode is null)
        {
            var error = locationTask.Result.Describe(git.Timeout);
            return new GitSnapshot
            {
                Repository = GitRepositoryInfo.NotARepository with { Error = error },
                Warnings = [$"git could not be run, so there is no git context: {error}"],
            };
        }

        var location = GitCli.ParseOrThrow(locationTask.Result, RepositoryLocation.Parse);
        if (location is null)
        {
            return NotARepository(directory);
        }

        var warnings = new List<string>();
        var status = statusTask.Result;
        if (!status.Succeeded)
        {
            // Without status there is no HEAD either; a timeout is reported, anything else is a real failure.
            if (status.ExitCode is not null)
            {
                throw GitErrors.Failed(status);
            }

            var error = status.Describe(git.Timeout);
            return new GitSnapshot
            {
                Repository = GitCli.ToInfo(location, new HeadState(null, null, false)) with { Error = error },
                Warnings = [$"git status did not finish, so there is no status or history: {error}"],
            };
        }

        var (head, entries) = GitCli.ParseOutputOrThrow(status, PorcelainStatusParser.Parse);
        var repository = GitCli.ToInfo(location, head);
        var commits = ReadCommits(logTask?.Result, repository, warnings);
        AddHistoryWarnings(repository, commits.Count, commitCount, warnings);

        return new GitSnapshot
        {
            Repository = repository,
            RecentCommits = commits.Select(c => c.Commit).ToList(),
            RecentFiles = GitCli.DistinctFiles(repository.IsShallow ? GitCli.WithoutShallowBoundaryFiles(commits, repository.GitDirectory) : commits),
            Status = entries,
            Warnings = warnings,
        };
    }

    private IReadOnlyList<CommitWithFiles> ReadCommits(GitProcessResult? log, GitRepositoryInfo repository, List<string> warnings)
    {
        if (log is null || !repository.HasCommits)
        {
            // Before the first commit git log fails by design; its result says nothing more.
            return [];
        }

        if (log.Succeeded)
        {
            return GitCli.ParseOutputOrThrow(log, GitLogParser.Parse);
        }

        if (log.ExitCode is not null)
        {
            throw GitErrors.Failed(log);
        }

        warnings.Add($"recent commits are missing: {log.Describe(git.Timeout)}");
        return [];
    }

    internal static void AddHistoryWarnings(GitRepositoryInfo repository, int found, int asked, List<string> warnings)
    {
        if (!repository.HasCommits)
        {
            warnings.Add(repository.Branch is null
                ? "repository has no commits yet"
                : $"repository has no commits yet (branch '{repository.Branch}' is unborn)");
        }
        else if (found < asked && repository.IsShallow)
        {
            warnings.Add($"shallow clone: history has only {found} commit(s); fetch with fetch-depth: 0 (or a depth of at least {asked}) for full context");
        }
    }

    internal static GitSnapshot NotARepository(string directory) => new()
    {
        Repository = GitRepositoryInfo.NotARepository,
        Warnings = [$"'{directory}' is not inside a git work tree, so there is no git context"],
    };
}
