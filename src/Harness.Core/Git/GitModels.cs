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

/// <summary>
/// The harness's git port: <see cref="LibGit2Port"/> in-process (the git CLI only where libgit2
/// cannot do the job, docs/git.md), <see cref="GitCli"/> over the git command line. Implementations
/// never throw for ordinary repository states. Cancelling throws <see cref="OperationCanceledException"/>
/// (a running git process is killed with its tree; a libgit2 call is let finish first).
/// </summary>
internal interface IGit
{
    GitRepositoryInfo Inspect(string directory, CancellationToken cancellationToken = default);

    IReadOnlyList<GitCommit> RecentCommits(string directory, int count, CancellationToken cancellationToken = default);

    /// <summary>Distinct files changed in the last <paramref name="count"/> commits (works with fewer commits, and with one).</summary>
    IReadOnlyList<string> FilesChangedInRecentCommits(string directory, int count, CancellationToken cancellationToken = default);

    IReadOnlyList<GitStatusEntry> Status(string directory, CancellationToken cancellationToken = default);

    /// <summary>Repository info, recent commits, their files and status in one go (the entry hot path).</summary>
    GitSnapshot Snapshot(string directory, int commitCount, CancellationToken cancellationToken = default);

    // Plumbing for checkpoints, autosaves and restores (Checkpoints/).

    /// <summary>The full hash of <paramref name="revision"/> as a commit, or null when it does not name one.</summary>
    string? ResolveCommit(string directory, string revision, CancellationToken cancellationToken = default);

    /// <summary>The tree of <paramref name="revision"/>, or null when it does not name one.</summary>
    string? TreeOf(string directory, string revision, CancellationToken cancellationToken = default);

    /// <summary>
    /// The whole work tree (tracked and untracked, .gitignore respected; <paramref name="excluded"/>
    /// paths kept as the index has them) written as a tree object through a private index; the real
    /// index, HEAD and files are untouched.
    /// </summary>
    string WriteWorkTreeSnapshot(string directory, SnapshotExclusions excluded, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a commit object. <paramref name="harnessIdentity"/> false: the user's identity, falling
    /// back to the harness identity (for this commit only) when none is configured.
    /// </summary>
    GitCommitResult CommitTree(string directory, string tree, IReadOnlyList<string> parents, string message, bool harnessIdentity, CancellationToken cancellationToken = default);

    /// <summary>Points a ref at a commit; with <paramref name="expectedOldValue"/> ("" = must not exist) only if it still holds that. False when the check failed.</summary>
    bool UpdateRef(string directory, string refName, string newValue, string? expectedOldValue, string reason, CancellationToken cancellationToken = default);

    void DeleteRefs(string directory, IReadOnlyList<string> refNames, CancellationToken cancellationToken = default);

    /// <summary>Refs under <paramref name="prefix"/> with their commit's parents and message (one git call).</summary>
    IReadOnlyList<GitRefRecord> ListRefs(string directory, string prefix, CancellationToken cancellationToken = default);

    void ResetHard(string directory, string commit, CancellationToken cancellationToken = default);

    /// <summary><c>git reset --quiet</c>: the index to HEAD, files untouched.</summary>
    void ResetIndex(string directory, CancellationToken cancellationToken = default);

    /// <summary>Untracked, not ignored files, relative to the repository top (nested repositories end with '/').</summary>
    IReadOnlyList<string> UntrackedFiles(string directory, CancellationToken cancellationToken = default);

    /// <summary>Changed paths from <paramref name="from"/> to <paramref name="to"/> (null: the work tree's tracked files).</summary>
    IReadOnlyList<GitFileChange> DiffNames(string directory, string from, string? to, CancellationToken cancellationToken = default);

    /// <summary><c>git log</c> over revisions such as <c>a..b</c>, newest first; empty when a revision does not exist.</summary>
    IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, params string[] revisions);

    /// <summary>As <see cref="CommitsInRange(string, int, string[])"/>, cancellable (a params list cannot be followed by the token).</summary>
    IReadOnlyList<GitCommit> CommitsInRange(string directory, int maxCount, IReadOnlyList<string> revisions, CancellationToken cancellationToken);

    /// <summary>A file's bytes at a revision (path relative to <paramref name="directory"/>), or null when absent.</summary>
    byte[]? ShowFile(string directory, string revision, string path, CancellationToken cancellationToken = default);
}

/// <summary>A commit the harness wrote, and whether it had to use the harness identity.</summary>
internal sealed record GitCommitResult(string Hash, bool UsedHarnessIdentity);

/// <summary>One ref from <c>git for-each-ref</c>: name, commit, that commit's parents and message.</summary>
internal sealed record GitRefRecord(string Name, string Commit, IReadOnlyList<string> Parents, string Message);

/// <summary>One path of a <c>git diff --name-status</c>: A, M, D, T ...</summary>
public sealed record GitFileChange(char Status, string Path);
