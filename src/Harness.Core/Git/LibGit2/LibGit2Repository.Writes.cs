using LibGit2Sharp;
using Index = LibGit2Sharp.Index;

namespace Harness.Core.Git;

/// <summary>The checkpoint plumbing, each doing what the git CLI call named in its summary does.</summary>
internal sealed partial class LibGit2Repository
{
    /// <summary>
    /// <c>git add --all -- :/ ':(exclude)...'</c> into a copy of the index, then <c>git write-tree</c>:
    /// the work tree as a tree object. The copy is held by a second, private repository handle and
    /// never written back, so the agent's index, HEAD and files are untouched; seeded from the real
    /// index, libgit2 trusts its stat data and hashes only files that changed.
    /// </summary>
    public string WriteWorkTreeSnapshot(SnapshotExclusions excluded, CancellationToken cancellationToken)
    {
        using var scratchIndex = new ScratchIndexFolder(Path.Combine(GitDirectory, "index"));
        using var scratch = new Repository(GitDirectory, new RepositoryOptions { IndexPath = scratchIndex.IndexPath });
        var status = scratch.RetrieveStatus(new StatusOptions
        {
            Show = StatusShowOption.WorkDirOnly,
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
            ExcludeSubmodules = false,
        });
        var index = scratch.Index;
        foreach (var entry in status)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = entry.FilePath;
            if (excluded.Excludes(path.TrimEnd('/')))
            {
                continue;
            }

            if ((entry.State & FileStatus.DeletedFromWorkdir) != 0 || ((entry.State & FileStatus.Conflicted) != 0 && !Path.Exists(Path.Combine(TopLevel, path))))
            {
                index.Remove(path);
            }
            else if ((entry.State & (FileStatus.NewInWorkdir | FileStatus.ModifiedInWorkdir | FileStatus.TypeChangeInWorkdir | FileStatus.RenamedInWorkdir | FileStatus.Conflicted)) != 0)
            {
                AddToIndex(index, path);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return scratch.ObjectDatabase.CreateTree(index).Sha;
    }

    /// <summary>
    /// <c>git commit-tree TREE -p PARENT... -m MESSAGE</c> (message taken as it is, plus a final
    /// newline). <paramref name="harnessIdentity"/> false: the user's identity, or the harness's when
    /// none is configured.
    /// </summary>
    public GitCommitResult CommitTree(string tree, IReadOnlyList<string> parents, string message, bool harnessIdentity)
    {
        var now = DateTimeOffset.Now;
        var config = Config;
        var identity = GitIdentity.Resolve(config, harnessIdentity, now);
        var usedHarnessIdentity = harnessIdentity || identity is null;
        var (author, committer) = identity ?? GitIdentity.Resolve(config, harnessIdentity: true, now)!.Value;
        var treeObject = Repo.Lookup<Tree>(tree) ?? throw LibGit2Errors.Failed($"git commit-tree: {tree} is not a tree in {TopLevel}");
        var commit = Repo.ObjectDatabase.CreateCommit(
            author, committer, message.EndsWith('\n') ? message : message + "\n", treeObject, parents.Select(RequireCommit), prettifyMessage: false);
        return new GitCommitResult(commit.Sha, usedHarnessIdentity);
    }

    /// <summary>
    /// <c>git update-ref -m REASON REF NEW [OLD]</c>: "HEAD" moves the branch it names (its reflog and
    /// HEAD's are written); OLD "" means the ref must not exist; a ref changed meanwhile (libgit2
    /// compares and swaps under the ref's lock), locked or invalid gives false, as git's failure does.
    /// </summary>
    public bool UpdateRef(string refName, string newValue, string? expectedOldValue, string reason)
    {
        try
        {
            var id = new ObjectId(newValue);
            var name = refName;
            var reference = Repo.Refs[refName];
            if (reference is SymbolicReference symbolic)
            {
                name = symbolic.TargetIdentifier;
                reference = Repo.Refs[name];
            }

            if (expectedOldValue is null)
            {
                Repo.Refs.Add(name, id, reason, allowOverwrite: true);
                return true;
            }

            if (expectedOldValue.Length == 0)
            {
                if (reference is not null)
                {
                    return false;
                }

                Repo.Refs.Add(name, id, reason, allowOverwrite: false);
                return true;
            }

            if (reference is not DirectReference direct || !string.Equals(direct.TargetIdentifier, expectedOldValue, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            Repo.Refs.UpdateTarget(direct, id, reason);
            return true;
        }
        catch (LibGit2SharpException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            // Not a full hash, or a ref name git would refuse too.
            return false;
        }
    }

    /// <summary><c>git update-ref -d</c> for each; a ref that is already gone is no error.</summary>
    public void DeleteRefs(IReadOnlyList<string> refNames)
    {
        foreach (var name in refNames)
        {
            try
            {
                Repo.Refs.Remove(name);
            }
            catch (LibGit2SharpException)
            {
                // git update-ref -d failing (a locked ref) left the ref too; the next prune takes it.
            }
        }
    }

    /// <summary><c>git reset</c>: the index to HEAD, files untouched.</summary>
    public void ResetIndex()
    {
        if (FindCommit("HEAD") is { } head)
        {
            Repo.Reset(ResetMode.Mixed, head);
            return;
        }

        Repo.Index.Clear();
        Repo.Index.Write();
    }

    /// <summary>
    /// One path as <c>git add</c> takes it; a nested repository ("dir/") becomes a gitlink to its
    /// HEAD. One without a commit is left out (git refuses the whole add for it; there is nothing
    /// to record, and its files are no more in git either way).
    /// </summary>
    private static void AddToIndex(Index index, string path)
    {
        if (!path.EndsWith('/'))
        {
            index.Add(path);
            return;
        }

        try
        {
            index.Add(path.TrimEnd('/'));
        }
        catch (LibGit2SharpException)
        {
        }
    }
}
