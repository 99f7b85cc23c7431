using Harness.Core.Git;

namespace Harness.Core.Json.Contracts;

/// <summary>The entry report's <c>git</c>.</summary>
internal sealed record GitSnapshotJson(
    GitRepositoryJson Repository,
    IReadOnlyList<GitCommitJson> RecentCommits,
    IReadOnlyList<string> RecentFiles,
    IReadOnlyList<GitStatusJson> Status,
    IReadOnlyList<string> Warnings)
{
    public static GitSnapshotJson From(GitSnapshot git) => new(
        GitRepositoryJson.From(git.Repository),
        [.. git.RecentCommits.Select(GitCommitJson.From)],
        git.RecentFiles,
        [.. git.Status.Select(s => new GitStatusJson(s.Path, s.IndexStatus.ToString(), s.WorkTreeStatus.ToString(), s.OriginalPath))],
        git.Warnings);
}

internal sealed record GitRepositoryJson(
    bool IsRepository, string? Error, string? TopLevel, string? GitDirectory, string? HeadCommit, string? Branch, bool IsDetached, bool IsShallow, bool HasCommits)
{
    public static GitRepositoryJson From(GitRepositoryInfo r) =>
        new(r.IsRepository, r.Error, r.TopLevel, r.GitDirectory, r.HeadCommit, r.Branch, r.IsDetached, r.IsShallow, r.HasCommits);
}

/// <summary>A commit with its author and git's own date (in the author's zone, not a harness time).</summary>
internal sealed record GitCommitJson(string Hash, string ShortHash, string Subject, string Author, string Date)
{
    public static GitCommitJson From(GitCommit c) => new(c.Hash, c.ShortHash, c.Subject, c.Author, Timestamps.WithOffset(c.Date));
}

/// <summary>A commit as the checkpoint outputs list it: <c>{hash, short_hash, subject}</c>.</summary>
internal sealed record CommitSummaryJson(string Hash, string ShortHash, string Subject)
{
    public static IReadOnlyList<CommitSummaryJson> From(IReadOnlyList<GitCommit> commits) => [.. commits.Select(c => new CommitSummaryJson(c.Hash, c.ShortHash, c.Subject))];
}

/// <summary>One line of <c>git status</c>; the status letters are one-character strings.</summary>
internal sealed record GitStatusJson(string Path, string IndexStatus, string WorkTreeStatus, string? OriginalPath);

/// <summary>A changed path: <c>{status, path}</c> (M, A, D, ?).</summary>
internal sealed record FileChangeJson(string Status, string Path)
{
    public static IReadOnlyList<FileChangeJson> From(IReadOnlyList<GitFileChange> files) => [.. files.Select(f => new FileChangeJson(f.Status.ToString(), f.Path))];
}
