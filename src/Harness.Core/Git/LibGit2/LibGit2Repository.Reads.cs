using System.Globalization;
using System.Text;
using LibGit2Sharp;
using CompareOptions = LibGit2Sharp.CompareOptions;

namespace Harness.Core.Git;

/// <summary>The reads, each giving what the git CLI call named in its summary gives (GitCli does that call).</summary>
internal sealed partial class LibGit2Repository
{
    private static readonly CompareOptions NoRenames = new() { Similarity = SimilarityOptions.None, ContextLines = 0 };

    /// <summary>Paths in git's order (bytes of UTF-8, as strcmp compares them).</summary>
    internal static readonly IComparer<string> PathOrder = Comparer<string>.Create(ComparePaths);

    public GitRepositoryInfo Inspect() =>
        GitCli.ToInfo(new RepositoryLocation(TopLevel, GitDirectory, IsShallow), ReadHead());

    /// <summary>As the <c># branch.*</c> headers of <c>git status --porcelain=v2 --branch</c>.</summary>
    public HeadState ReadHead()
    {
        var head = Repo.Refs.Head;
        var commit = FindCommit("HEAD")?.Sha;
        if (head is SymbolicReference symbolic)
        {
            var target = symbolic.TargetIdentifier;
            return new HeadState(commit, target.StartsWith("refs/heads/", StringComparison.Ordinal) ? target["refs/heads/".Length..] : target, false);
        }

        return new HeadState(commit, null, head is not null);
    }

    /// <summary><c>git status --porcelain=v2 --untracked-files=normal</c>: changes by path, then untracked files and folders.</summary>
    public IReadOnlyList<GitStatusEntry> Status()
    {
        var status = Repo.RetrieveStatus(new StatusOptions
        {
            Show = StatusShowOption.IndexAndWorkDir,
            IncludeUntracked = true,
            RecurseUntrackedDirs = false,
            IncludeIgnored = false,
            DetectRenamesInIndex = RenameDetection("status.renames") ?? RenameDetection("diff.renames") ?? true,
            DetectRenamesInWorkDir = false,
            ExcludeSubmodules = false,
        });
        var tracked = new List<GitStatusEntry>();
        var untracked = new List<GitStatusEntry>();
        foreach (var entry in status)
        {
            var state = entry.State;
            if ((state & FileStatus.Conflicted) != 0)
            {
                tracked.Add(Unmerged(entry.FilePath));
                continue;
            }

            var index = IndexLetter(state);
            var workTree = WorkTreeLetter(state);
            if (index != ' ' || workTree != ' ')
            {
                var rename = (state & FileStatus.RenamedInIndex) != 0 ? entry.HeadToIndexRenameDetails : null;
                tracked.Add(new GitStatusEntry(rename?.NewFilePath ?? entry.FilePath, index, workTree, rename?.OldFilePath));
            }

            // Also for a file deleted in the index and still on disk: git lists it twice ("D." and "?").
            if ((state & FileStatus.NewInWorkdir) != 0)
            {
                untracked.Add(new GitStatusEntry(entry.FilePath, '?', '?'));
            }
        }

        tracked.Sort((a, b) => ComparePaths(a.Path, b.Path));
        untracked.Sort((a, b) => ComparePaths(a.Path, b.Path));
        return [.. tracked, .. untracked];
    }

    /// <summary><c>git ls-files --others --exclude-standard --full-name -- :/</c>: untracked files, nested repositories as "dir/".</summary>
    public IReadOnlyList<string> UntrackedFiles()
    {
        var status = Repo.RetrieveStatus(new StatusOptions
        {
            Show = StatusShowOption.WorkDirOnly,
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            DetectRenamesInIndex = false,
            ExcludeSubmodules = true,
        });
        var paths = status.Where(e => (e.State & FileStatus.NewInWorkdir) != 0).Select(e => e.FilePath).ToList();
        paths.Sort(PathOrder);
        return paths;
    }

    /// <summary><c>git log --max-count=N [--name-only]</c> from HEAD, newest first (libgit2's default walk is git's date order).</summary>
    public IReadOnlyList<CommitWithFiles> Log(int count, bool withFiles, CancellationToken cancellationToken)
    {
        var head = FindCommit("HEAD");
        if (head is null || count == 0)
        {
            return [];
        }

        var commits = new List<CommitWithFiles>();
        foreach (var commit in Repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = head, SortBy = CommitSortStrategies.None }))
        {
            cancellationToken.ThrowIfCancellationRequested();
            commits.Add(new CommitWithFiles(ToGitCommit(commit), withFiles ? FilesChangedBy(commit) : []));
            if (commits.Count == count)
            {
                break;
            }
        }

        return commits;
    }

    /// <summary>
    /// <c>git log</c> over revisions (<c>a..b</c>, <c>^a</c>, <c>b</c>, <c>--since=DATE</c>), newest
    /// first; null when a revision names no commit (git log fails then).
    /// </summary>
    public IReadOnlyList<GitCommit>? CommitsInRange(int maxCount, IReadOnlyList<string> revisions, CancellationToken cancellationToken)
    {
        var include = new List<Commit>();
        var exclude = new List<Commit>();
        DateTimeOffset? since = null;
        foreach (var revision in revisions)
        {
            if (revision.StartsWith("--since=", StringComparison.Ordinal))
            {
                since = DateTimeOffset.Parse(revision["--since=".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                continue;
            }

            if (revision.StartsWith('-'))
            {
                throw new ArgumentException($"unsupported git log option '{revision}' (only --since=DATE is read)", nameof(revisions));
            }

            var range = revision.IndexOf("..", StringComparison.Ordinal);
            string? negative = range >= 0 ? Or(revision[..range], "HEAD") : revision.StartsWith('^') ? revision[1..] : null;
            string? positive = range >= 0 ? Or(revision[(range + 2)..], "HEAD") : revision.StartsWith('^') ? null : revision;
            if ((negative is not null && !Add(exclude, negative)) || (positive is not null && !Add(include, positive)))
            {
                return null;
            }
        }

        if (include.Count == 0 && !Add(include, "HEAD"))
        {
            return null;
        }

        var commits = new List<GitCommit>();
        var filter = new CommitFilter { IncludeReachableFrom = include, ExcludeReachableFrom = exclude, SortBy = CommitSortStrategies.None };
        foreach (var commit in Repo.Commits.QueryBy(filter))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // git stops following a line at its first commit older than --since; in date order every
            // commit after that one is older too, so the walk ends there.
            if (commits.Count == maxCount || (since is not null && commit.Committer.When < since))
            {
                break;
            }

            commits.Add(ToGitCommit(commit));
        }

        return commits;

        bool Add(List<Commit> list, string name)
        {
            var commit = FindCommit(name);
            if (commit is not null)
            {
                list.Add(commit);
            }

            return commit is not null;
        }

        static string Or(string value, string fallback) => value.Length == 0 ? fallback : value;
    }

    /// <summary><c>git diff --name-status --no-renames FROM [TO]</c>; without TO, against the tracked files of the work tree.</summary>
    public IReadOnlyList<GitFileChange> DiffNames(string from, string? to)
    {
        var fromTree = FindTree(from) ?? throw LibGit2Errors.Failed($"git diff: '{from}' names no tree in {TopLevel}");
        TreeChanges changes;
        if (to is null)
        {
            changes = Repo.Diff.Compare<TreeChanges>(fromTree, DiffTargets.Index | DiffTargets.WorkingDirectory, null, null, NoRenames);
        }
        else
        {
            var toTree = FindTree(to) ?? throw LibGit2Errors.Failed($"git diff: '{to}' names no tree in {TopLevel}");
            changes = Repo.Diff.Compare<TreeChanges>(fromTree, toTree, NoRenames);
        }

        var result = new List<GitFileChange>();
        foreach (var change in changes)
        {
            var letter = change.Status switch
            {
                ChangeKind.Added => to is null && Repo.Index[change.Path] is null ? ' ' : 'A', // untracked: git diff leaves those out
                ChangeKind.Deleted => 'D',
                ChangeKind.Modified => 'M',
                ChangeKind.TypeChanged => 'T',
                ChangeKind.Conflicted => UnmergedAgainst(fromTree, change.Path),
                _ => ' ',
            };
            if (letter != ' ')
            {
                result.Add(new GitFileChange(letter, change.Path));
            }
        }

        return result;
    }

    /// <summary><c>git for-each-ref PREFIX</c> with each commit's parents and message, by name.</summary>
    public IReadOnlyList<GitRefRecord> ListRefs(string prefix)
    {
        var records = new List<GitRefRecord>();
        foreach (var reference in Repo.Refs.FromGlob(prefix + "*"))
        {
            if (!reference.CanonicalName.StartsWith(prefix, StringComparison.Ordinal) || reference.ResolveToDirectReference()?.Target is not { } target)
            {
                continue;
            }

            records.Add(target is Commit commit
                ? new GitRefRecord(reference.CanonicalName, commit.Sha, commit.Parents.Select(p => p.Sha).ToList(), commit.Message.TrimEnd('\n'))
                : new GitRefRecord(reference.CanonicalName, target.Sha, [], ""));
        }

        records.Sort((a, b) => ComparePaths(a.Name, b.Name));
        return records;
    }

    /// <summary><c>git show REVISION:./PATH</c> for a file: its bytes as stored, or null when it is not there.</summary>
    public byte[]? ShowFile(string revision, string topRelativePath)
    {
        if (Find($"{revision}:{topRelativePath}") is not Blob blob)
        {
            return null;
        }

        using var content = blob.GetContentStream();
        using var bytes = new MemoryStream();
        content.CopyTo(bytes);
        return bytes.ToArray();
    }

    private GitCommit ToGitCommit(Commit commit) =>
        new(commit.Sha, ShortHash(commit), Subject(commit.Message), commit.Author.Name, commit.Author.When);

    /// <summary>
    /// What <c>git log --name-only</c> lists for one commit: nothing for a merge, the whole tree for
    /// a root commit (log.showRoot), otherwise the diff with its parent, renames shown by the new
    /// name only (diff.renames, on by default).
    /// </summary>
    private IReadOnlyList<string> FilesChangedBy(Commit commit)
    {
        using var parents = commit.Parents.GetEnumerator();
        Commit? parent = null;
        if (parents.MoveNext())
        {
            parent = parents.Current;
            if (parents.MoveNext())
            {
                return [];
            }
        }
        else if (!ConfigBool("log.showRoot", true))
        {
            return [];
        }

        var options = RenameDetection("diff.renames") ?? true
            ? new CompareOptions { Similarity = new SimilarityOptions { RenameDetectionMode = RenameDetectionMode.Renames, RenameLimit = ConfigInt("diff.renameLimit") ?? 1000 }, ContextLines = 0 }
            : NoRenames;
        var changes = Repo.Diff.Compare<TreeChanges>(parent?.Tree, commit.Tree, options);
        var files = new List<string>();
        foreach (var change in changes)
        {
            files.Add(change.Path);
        }

        return files;
    }

    /// <summary>
    /// git's <c>%s</c>: the first paragraph after any blank lines, each line's trailing white space
    /// dropped, the lines joined with one space.
    /// </summary>
    internal static string Subject(string message)
    {
        var subject = new StringBuilder();
        var started = false;
        foreach (var line in message.Split('\n'))
        {
            var text = line.TrimEnd(' ', '\t', '\r', '\n');
            if (text.Length == 0)
            {
                if (started)
                {
                    break;
                }

                continue;
            }

            if (started)
            {
                subject.Append(' ');
            }

            subject.Append(text);
            started = true;
        }

        return subject.ToString();
    }

    /// <summary>A rename setting (<c>status.renames</c>, <c>diff.renames</c>): true, false ("copies" counts as true), or null when unset.</summary>
    private bool? RenameDetection(string key) =>
        Config.GetValueOrDefault<string>(key) is not { } value ? null
        : !(value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("no", StringComparison.OrdinalIgnoreCase)
            || value.Equals("off", StringComparison.OrdinalIgnoreCase) || value == "0");

    /// <summary>
    /// What <c>git diff TREE</c> shows for an unmerged path: the tree's entry against the file on
    /// disk (the conflict stages are not compared), as for any other path.
    /// </summary>
    private char UnmergedAgainst(Tree tree, string path)
    {
        var entry = tree[path];
        var onDisk = Path.Combine(TopLevel, path);
        var exists = File.Exists(onDisk) || new FileInfo(onDisk).LinkTarget is not null;
        if (entry is null)
        {
            return exists ? 'A' : ' ';
        }

        if (!exists)
        {
            return 'D';
        }

        return Repo.ObjectDatabase.CreateBlob(path).Id == entry.Target.Id ? ' ' : 'M';
    }

    private GitStatusEntry Unmerged(string path)
    {
        var conflict = Repo.Index.Conflicts[path];
        var (ancestor, ours, theirs) = (conflict?.Ancestor is not null, conflict?.Ours is not null, conflict?.Theirs is not null);
        var letters = (ancestor, ours, theirs) switch
        {
            (false, true, true) => "AA",
            (true, true, false) => "UD",
            (true, false, true) => "DU",
            (false, true, false) => "AU",
            (false, false, true) => "UA",
            (true, false, false) => "DD",
            _ => "UU",
        };
        return new GitStatusEntry(path, letters[0], letters[1]);
    }

    private static char IndexLetter(FileStatus state) =>
        (state & FileStatus.RenamedInIndex) != 0 ? 'R'
        : (state & FileStatus.NewInIndex) != 0 ? 'A'
        : (state & FileStatus.DeletedFromIndex) != 0 ? 'D'
        : (state & FileStatus.TypeChangeInIndex) != 0 ? 'T'
        : (state & FileStatus.ModifiedInIndex) != 0 ? 'M'
        : ' ';

    private static char WorkTreeLetter(FileStatus state) =>
        (state & FileStatus.DeletedFromWorkdir) != 0 ? 'D'
        : (state & FileStatus.TypeChangeInWorkdir) != 0 ? 'T'
        : (state & FileStatus.RenamedInWorkdir) != 0 ? 'R'
        : (state & FileStatus.ModifiedInWorkdir) != 0 ? 'M'
        : ' ';

    private static int ComparePaths(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }

        // Ordinal UTF-16 order equals UTF-8 byte order except where a surrogate pair meets U+E000..U+FFFF.
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var (x, y) = (a[i], b[i]);
            if (x != y)
            {
                return Rank(x) - Rank(y);
            }
        }

        return a.Length - b.Length;

        static int Rank(char c) => char.IsSurrogate(c) ? c + 0x2000 : c >= 0xE000 ? c - 0x800 : c;
    }
}
