using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Project;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// The branch checked out in the project's own folder, which workers start from and merge into,
/// and where the project sits in its repository (a project may be a folder of a larger one).
/// </summary>
/// <param name="Top">The repository's top folder.</param>
/// <param name="ProjectPrefix">The project's folder relative to <paramref name="Top"/> with a trailing '/'; empty at the top.</param>
/// <param name="Branch">Its full ref, <c>refs/heads/main</c>.</param>
internal sealed record MainLine(string Top, string ProjectPrefix, string Branch)
{
    /// <summary><c>merge-tree --write-tree</c> came with git 2.38.</summary>
    public static readonly Version MinimumGit = new(2, 38);

    /// <summary>
    /// The main line of <paramref name="layout"/>'s project, after checking that parallel sessions
    /// can work there: a repository with a commit, a branch checked out, git new enough.
    /// </summary>
    public static MainLine Open(ProjectLayout layout, GitCli git)
    {
        var info = git.Inspect(layout.Root);
        if (!info.IsRepository || !info.HasCommits || info.TopLevel is null)
        {
            throw Refused(ErrorIds.NotARepository, $"{layout.Root}: parallel sessions need a git repository with at least one commit: each worker gets a worktree of it.",
                "Run 'git init' and commit the project, or run the loop without --parallel.");
        }

        if (info.IsDetached || info.Branch is null)
        {
            throw Refused(ErrorIds.NotARepository, $"{layout.Root}: HEAD is detached; parallel sessions merge each finished feature into the branch checked out here.",
                "Check out the branch the features should land on ('git switch main'), then run again.");
        }

        if (git.GitVersion(layout.Root) is { } version && version < MinimumGit)
        {
            throw Refused(ErrorIds.GitFailed, $"git {version} is too old for parallel sessions: merging a worker's branch uses 'git merge-tree --write-tree' (git {MinimumGit} or later).",
                "Install a newer git, or run the loop without --parallel.");
        }

        var top = Path.GetFullPath(info.TopLevel);
        var relative = Path.GetRelativePath(top, layout.Root).Replace('\\', '/');
        return new MainLine(top, relative == "." ? "" : relative.TrimEnd('/') + "/", "refs/heads/" + info.Branch);
    }

    /// <summary>
    /// Refuses a start workers could not build on (after recovery has repaired what a killed run
    /// left): an uncommitted change to the project's own files (workers start from the last commit,
    /// so such a change would be in no worker's tree, and a merge could run into it), or a feature
    /// list that is not committed (the workers' worktrees would have none to mark their feature done in).
    /// </summary>
    public void RequireCleanStart(ProjectLayout layout, GitCli git)
    {
        var dirty = git.Status(layout.Root)
            .Where(e => !e.IsUntracked && !IsHarnessFile(e.Path))
            .Select(e => e.Path)
            .ToList();
        if (dirty.Count > 0)
        {
            throw Refused(ErrorIds.WorkTreeDirty,
                $"{layout.Root}: uncommitted changes to {string.Join(", ", dirty.Take(10))}{(dirty.Count > 10 ? $" and {dirty.Count - 10} more" : "")}. Workers start from the last commit of {BranchName}, so these would be in no worker's tree, and merging a worker's branch could run into them.",
                "Commit or stash them, then run again.");
        }

        if (FeatureStore.Locate(layout) is { } list && git.EntryAt(Top, "HEAD", TopRelative(Path.GetRelativePath(layout.Root, list.Path))) is null)
        {
            throw Refused(ErrorIds.WorkTreeDirty, $"{list.Path} is not committed: workers start from the last commit of {BranchName}, so their worktrees would have no feature list to mark their feature done in.",
                "Commit the feature list, then run again.");
        }
    }

    /// <summary>The short branch name, <c>main</c>.</summary>
    public string BranchName => Branch["refs/heads/".Length..];

    /// <summary>A project-relative path ('/' separators) as git names it, relative to the repository top.</summary>
    public string TopRelative(string projectRelative) => ProjectPrefix + projectRelative.Replace('\\', '/');

    /// <summary>The project inside a worktree of the repository.</summary>
    public ProjectLayout WorkerLayout(string worktree) =>
        ProjectLayout.ForRoot(ProjectPrefix.Length == 0 ? worktree : Path.Combine(worktree, ProjectPrefix.TrimEnd('/')));

    /// <summary>True for a path (relative to the top) that is one of the harness's files in the project.</summary>
    private bool IsHarnessFile(string topRelative) =>
        topRelative.StartsWith(ProjectPrefix, StringComparison.Ordinal) && HarnessFiles.Find(topRelative[ProjectPrefix.Length..]) is not null;

    /// <summary>The fix is in the message too: the CLI prints the message alone.</summary>
    private static HarnessException Refused(string id, string message, string fix) =>
        new(id, HarnessErrorCategory.InvalidOperation, $"{message} {fix}") { Fix = fix };
}
