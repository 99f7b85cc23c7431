using Harness.Core.Project;
using System.Globalization;
using System.Text;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Processes;

namespace Harness.Core.Loop.Parallel;

/// <summary>
/// Puts back what a parallel run left: at its own end (however it ended) every worktree, worker
/// branch and record goes; at the start of the next run, after a harness killed outright, first
/// the agents still running under the old session ids are killed, a merge half-done on the main
/// line is aborted, and a feature marked done for a merge that never landed gets its status back.
/// No committed work is lost: a worker's commits (and what it left uncommitted, committed first)
/// that are not on the main line are kept under <c>refs/harness/work/&lt;feature&gt;</c> and named.
/// </summary>
internal static class ParallelRecovery
{
    /// <summary>True when a parallel run left its folder behind: one directory check, so a sequential start pays nothing otherwise.</summary>
    public static bool HasLeftovers(ProjectLayout layout) => Directory.Exists(WorkerNames.Folder(layout));

    /// <summary>Recovery before a sequential run: the same, when the project is a repository on a branch (else a parallel run never ran there).</summary>
    public static IReadOnlyList<string> Run(HarnessProject project)
    {
        var git = new GitCli();
        var info = git.Inspect(project.Layout.Root);
        return info is { IsRepository: true, HasCommits: true, IsDetached: false, Branch: not null }
            ? Run(project, git, MainLine.Open(project.Layout, git))
            : [];
    }

    /// <summary>Recovery at the start of a run: what it found and did, one line each (empty when nothing was left).</summary>
    public static IReadOnlyList<string> Run(HarnessProject project, GitCli git, MainLine main)
    {
        var layout = project.Layout;
        var records = WorkerRecords.LoadAll(layout);
        var folder = WorkerNames.Folder(layout);
        var leftBranches = WorkerBranches(git, main);
        if (records.Count == 0 && !Directory.Exists(folder) && leftBranches.Count == 0)
        {
            return [];
        }

        var lines = new List<string>();
        var sessions = records.Select(r => r.Record?.SessionId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var pid in AgentProcesses(sessions))
        {
            ProcessTree.KillTree(pid);
            lines.Add($"killed agent process {pid} left running by an earlier parallel run");
        }

        // Only after a parallel run was interrupted (its records are there): otherwise a merge in progress is the user's own.
        if (records.Count > 0 && git.AbortInterruptedMerge(layout.Root))
        {
            lines.Add($"aborted a merge into {main.BranchName} left half-done by an earlier parallel run");
        }

        var tip = git.ResolveCommit(main.Top, main.Branch);
        foreach (var (worker, record) in records)
        {
            if (record is { Phase: WorkerPhases.Committing or WorkerPhases.Advancing, Feature: { } feature } && (record.Merged is null || record.Merged != tip))
            {
                // The feature was marked done for a merge that never landed: put its status back.
                FeatureStore.SetStatus(project, [feature], record.FeatureStatusBefore ?? FeatureStatuses.Pending, record.FeatureNotesBefore ?? "");
                lines.Add($"worker {worker}'s merge of {feature} never reached {main.BranchName}: {feature} is {record.FeatureStatusBefore ?? FeatureStatuses.Pending} again");
            }
        }

        lines.AddRange(RemoveAll(project, git, main, keepWork: true));
        return lines;
    }

    /// <summary>
    /// Removes every worker worktree, branch and record; with <paramref name="keepWork"/>, first
    /// commits what a worktree holds uncommitted and keeps each branch's commits that the main line
    /// does not have. Returns a line per thing kept.
    /// </summary>
    public static IReadOnlyList<string> RemoveAll(HarnessProject project, GitCli git, MainLine main, bool keepWork)
    {
        var layout = project.Layout;
        var lines = new List<string>();
        var records = WorkerRecords.LoadAll(layout).ToDictionary(r => r.Worker, r => r.Record);
        var folder = WorkerNames.Folder(layout);
        var worktrees = git.ListWorktrees(main.Top)
            .Where(w => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(w.Path)) is { } parent && WorkerRunner.SamePath(parent, folder))
            .ToList();
        var tip = git.ResolveCommit(main.Top, main.Branch);
        foreach (var worktree in worktrees)
        {
            if (keepWork && !worktree.IsPrunable && Directory.Exists(worktree.Path))
            {
                try
                {
                    git.AbortInterruptedMerge(worktree.Path);
                    git.CommitAll(worktree.Path, "harness: uncommitted work left in a worker's worktree when its run ended");
                }
                catch (Errors.HarnessException ex)
                {
                    lines.Add($"could not commit what {worktree.Path} held: {ex.Message}");
                }
            }

            git.RemoveWorktree(main.Top, worktree.Path);
        }

        if (Directory.Exists(folder))
        {
            foreach (var stray in Directory.EnumerateDirectories(folder))
            {
                Directory.Delete(stray, recursive: true);
            }
        }

        var branches = WorkerBranches(git, main);
        foreach (var branch in branches)
        {
            if (keepWork && tip is not null && !git.IsAncestor(main.Top, branch.Commit, tip))
            {
                var worker = WorkerNames.WorkerOf(branch.Name[(branch.Name.LastIndexOf('/') + 1)..]);
                var feature = worker is { } n && records.GetValueOrDefault(n)?.Feature is { } id ? id : null;
                var kept = feature is null ? WorkerNames.WorkRefPrefix + branch.Name["refs/heads/".Length..].Replace('/', '-') : WorkerNames.WorkRef(feature);
                git.UpdateRef(main.Top, kept, branch.Commit, null, "harness: a worker's work not merged when its run ended");
                lines.Add($"work on {feature ?? branch.Name} that never reached {main.BranchName} is kept at {kept} ({branch.Commit[..12]})");
            }
        }

        git.DeleteBranches(main.Top, branches.Select(b => b.Name["refs/heads/".Length..]).ToList());
        foreach (var worker in records.Keys)
        {
            WorkerRecords.Delete(layout, worker);
        }

        if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            // Gone, so a later start finds no leftovers with one directory check.
            Directory.Delete(folder);
        }

        return lines;
    }

    /// <summary>The <c>harness/worker-N</c> branches (for-each-ref matches whole path components, so the folder is listed and filtered).</summary>
    private static IReadOnlyList<Git.GitRefRecord> WorkerBranches(GitCli git, MainLine main)
    {
        var prefix = "refs/heads/" + WorkerNames.BranchPrefix;
        return git.ListRefs(main.Top, prefix[..(prefix.LastIndexOf('/') + 1)]).Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>Processes whose environment carries one of the session ids (Linux: /proc/PID/environ; elsewhere none are found).</summary>
    private static IReadOnlyList<int> AgentProcesses(IReadOnlySet<string> sessionIds)
    {
        if (sessionIds.Count == 0 || !OperatingSystem.IsLinux())
        {
            return [];
        }

        var wanted = sessionIds.Select(id => $"{HarnessProject.SessionIdVariable}={id}").ToHashSet(StringComparer.Ordinal);
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environment = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, "environ")));
                if (environment.Split('\0').Any(wanted.Contains))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's: not ours.
            }
        }

        return found;
    }
}
