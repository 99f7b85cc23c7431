namespace Harness.Core.Git;

/// <summary>
/// What parallel sessions need of git beyond <see cref="IGit"/>: linked worktrees, in-memory
/// merges, rebases and the fast-forward of the main line. These stay on the git command line
/// (<see cref="GitCli"/>): libgit2 has no <c>git worktree</c> of the same format, no
/// <c>merge-tree --write-tree</c> and no rebase that runs the user's hooks (docs/loop.md,
/// "Parallel sessions"). Same rules as the rest of the port: ordinary states are answers,
/// git failing unexpectedly throws <see cref="Errors.ErrorIds.GitFailed"/>.
/// </summary>
internal interface IGitWorktrees
{
    /// <summary>git's version (<c>git version 2.39.5</c> gives 2.39.5); null when it cannot be read.</summary>
    Version? GitVersion(string directory, CancellationToken cancellationToken = default);

    /// <summary>Every worktree of the repository, the main one first (<c>git worktree list --porcelain</c>).</summary>
    IReadOnlyList<GitWorktree> ListWorktrees(string directory, CancellationToken cancellationToken = default);

    /// <summary>A linked worktree at <paramref name="path"/> on <paramref name="branch"/>, created or reset to <paramref name="commit"/>.</summary>
    void AddWorktree(string directory, string path, string branch, string commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts an existing worktree on <paramref name="branch"/> at <paramref name="commit"/>: files,
    /// index and branch reset, untracked files removed; ignored files (dependencies, build output) stay.
    /// </summary>
    void ResetWorktree(string worktree, string branch, string commit, CancellationToken cancellationToken = default);

    /// <summary>Removes a linked worktree and its folder, even when it has changes or is locked; forgets worktrees whose folder is gone.</summary>
    void RemoveWorktree(string directory, string path, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="descendant"/> or one of its ancestors.</summary>
    bool IsAncestor(string directory, string ancestor, string descendant, CancellationToken cancellationToken = default);

    /// <summary>The three-way merge of two commits as a tree (<c>git merge-tree --write-tree</c>), touching no worktree.</summary>
    GitMergeTree MergeTree(string directory, string ours, string theirs, CancellationToken cancellationToken = default);

    /// <summary>
    /// A copy of <paramref name="tree"/> with each entry's path set to its blob (added when absent),
    /// built in a private index: the repository's index and files are untouched. <paramref name="directory"/>
    /// is the repository's top folder (entry paths are relative to it).
    /// </summary>
    string ReplaceInTree(string directory, string tree, IReadOnlyList<GitTreeEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>The blob of <paramref name="path"/> (relative to the repository top) in <paramref name="revision"/>, or null when absent.</summary>
    GitTreeEntry? EntryAt(string directory, string revision, string path, CancellationToken cancellationToken = default);

    /// <summary><c>git add</c> of the named files (relative to <paramref name="directory"/>), and their staged entries (paths relative to the repository top).</summary>
    IReadOnlyList<GitTreeEntry> Stage(string directory, IReadOnlyList<string> paths, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>git merge --ff-only</c> of <paramref name="commit"/> into the branch checked out in
    /// <paramref name="directory"/>; null when it moved, else git's reason (local changes in the way, not a fast-forward).
    /// </summary>
    string? FastForward(string directory, string commit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays the branch checked out in <paramref name="worktree"/> onto <paramref name="onto"/>
    /// (<c>git rebase</c>). A stop on conflicts only in <paramref name="takeOnto"/> is resolved
    /// with <paramref name="onto"/>'s side and the rebase goes on; any other conflict aborts it
    /// and leaves the branch as it was.
    /// </summary>
    GitRebase Rebase(string worktree, string onto, IReadOnlyCollection<string> takeOnto, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits everything in <paramref name="worktree"/> that is not committed (<c>git add --all</c>,
    /// ignored files stay out) under the harness's identity, hooks skipped; returns HEAD afterwards.
    /// </summary>
    string CommitAll(string worktree, string message, CancellationToken cancellationToken = default);

    /// <summary>Deletes local branches (short names); ones that do not exist are skipped.</summary>
    void DeleteBranches(string directory, IReadOnlyList<string> branches, CancellationToken cancellationToken = default);

    /// <summary>Ends a rebase or merge left half-done in <paramref name="worktree"/> (a harness killed mid-merge); false when none was in progress.</summary>
    bool AbortInterruptedMerge(string worktree, CancellationToken cancellationToken = default);
}

/// <summary>One worktree of a repository, as <c>git worktree list --porcelain</c> shows it.</summary>
/// <param name="Path">Its folder, full path.</param>
/// <param name="Head">Its HEAD commit; null before the first commit.</param>
/// <param name="Branch">Its branch (<c>refs/heads/...</c>); null when detached.</param>
/// <param name="IsPrunable">Its folder is gone: git forgets it on the next prune.</param>
internal sealed record GitWorktree(string Path, string? Head, string? Branch, bool IsPrunable);

/// <summary>A path in a tree (relative to the repository top, '/' separators), its mode and object.</summary>
internal sealed record GitTreeEntry(string Path, string Mode, string Object);

/// <summary>The outcome of <see cref="IGitWorktrees.MergeTree"/>: the merged tree, and the paths that conflicted (empty for a clean merge).</summary>
/// <param name="Tree">The merged tree; with conflicts, conflicted files hold git's conflict markers.</param>
/// <param name="ConflictedPaths">Paths (relative to the repository top) git could not merge.</param>
internal sealed record GitMergeTree(string Tree, IReadOnlyList<string> ConflictedPaths)
{
    public bool IsClean => ConflictedPaths.Count == 0;
}

/// <summary>The outcome of <see cref="IGitWorktrees.Rebase"/>.</summary>
/// <param name="Head">The rebased branch's new tip; null when the rebase was aborted.</param>
/// <param name="ConflictedPaths">What stopped it; empty when it went through.</param>
internal sealed record GitRebase(string? Head, IReadOnlyList<string> ConflictedPaths)
{
    public bool Succeeded => Head is not null;
}
