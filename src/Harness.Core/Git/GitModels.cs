namespace Harness.Core.Git;

public sealed record GitCommit(string Hash, string ShortHash, string Subject, string Author, DateTimeOffset Date);

/// <summary>One line of <c>git status</c>: X = index, Y = work tree, as in porcelain v1 (<c>??</c> untracked).</summary>
public sealed record GitStatusEntry(string Path, char IndexStatus, char WorkTreeStatus, string? OriginalPath = null)
{
    public bool IsUntracked => IndexStatus == '?' && WorkTreeStatus == '?';
}

/// <summary>Where a directory stands in git. Never throws for "not a repository" or "no commits".</summary>
public sealed record GitRepositoryInfo
{
    public static readonly GitRepositoryInfo NotARepository = new() { IsRepository = false };

    public bool IsRepository { get; init; }

    /// <summary>Set when git itself could not be run (not installed, timed out).</summary>
    public string? Error { get; init; }

    public string? TopLevel { get; init; }

    public string? GitDirectory { get; init; }

    /// <summary>Full hash of HEAD; null in a repository with no commits.</summary>
    public string? HeadCommit { get; init; }

    /// <summary>Branch name; null on a detached HEAD. Set (to the unborn branch) in a repository with no commits.</summary>
    public string? Branch { get; init; }

    public bool IsDetached { get; init; }

    public bool IsShallow { get; init; }

    public bool HasCommits => HeadCommit is not null;
}

/// <summary>Everything the entry protocol wants from git, gathered with as few processes as possible.</summary>
public sealed record GitSnapshot
{
    public required GitRepositoryInfo Repository { get; init; }

    /// <summary>Newest first; fewer than asked when the history (or a shallow clone) is shorter.</summary>
    public IReadOnlyList<GitCommit> RecentCommits { get; init; } = [];

    /// <summary>Distinct paths changed by <see cref="RecentCommits"/>, most recent first.</summary>
    public IReadOnlyList<string> RecentFiles { get; init; } = [];

    public IReadOnlyList<GitStatusEntry> Status { get; init; } = [];

    /// <summary>Human sentences about limits met on the way (shallow clone, fewer commits than asked, git missing).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>Git over the git CLI. Implementations never throw for ordinary repository states.</summary>
public interface IGit
{
    GitRepositoryInfo Inspect(string directory);

    IReadOnlyList<GitCommit> RecentCommits(string directory, int count);

    /// <summary>Distinct files changed in the last <paramref name="count"/> commits (works with fewer commits, and with one).</summary>
    IReadOnlyList<string> FilesChangedInRecentCommits(string directory, int count);

    IReadOnlyList<GitStatusEntry> Status(string directory);

    /// <summary>Repository info, recent commits, their files and status in one go (the entry hot path).</summary>
    GitSnapshot Snapshot(string directory, int commitCount);
}
