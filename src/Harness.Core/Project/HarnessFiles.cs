using Harness.Core.Git;
using Harness.Core.Guard;

namespace Harness.Core.Project;

/// <summary>Who may change a harness file.</summary>
[Flags]
internal enum FileWriters
{
    /// <summary>Nobody through the harness's own tools (git's internals).</summary>
    None = 0,

    /// <summary>The harness itself (any front).</summary>
    Harness = 1,

    /// <summary>A person, by hand or with the harness's commands.</summary>
    User = 2,

    /// <summary>The agent, with its own tools (Write, Edit, Bash): the guard lets it.</summary>
    Agent = 4,
}

/// <summary>One row of <see cref="HarnessFiles.Table"/>.</summary>
/// <param name="Pattern">Project-relative glob with '/' separators (<see cref="GlobMatcher"/>: '*', '**', a trailing '/' for a folder).</param>
/// <param name="Role">What the file is, in a word or two (shown by the guard and in docs/formats.md).</param>
/// <param name="Writers">Who may change it; the guard blocks the agent unless <see cref="FileWriters.Agent"/> is set.</param>
/// <param name="KeptOnRestore">A checkpoint restore leaves it as it is: rolling back the code must not roll back the record of what happened.</param>
/// <param name="InSnapshots">Checkpoint and autosave commits contain it.</param>
/// <param name="GitIgnored">Listed in <c>.claude/progress/.gitignore</c>: neither the agent's <c>git add -A</c> nor a checkpoint commits it, so <c>git status</c> stays clean while the harness writes it.</param>
internal sealed record HarnessFile(string Pattern, string Role, FileWriters Writers, bool KeptOnRestore, bool InSnapshots, bool GitIgnored)
{
    public bool AgentMayWrite => (Writers & FileWriters.Agent) != 0;
}

/// <summary>
/// The one table of the files the harness reads and writes in a project, and what may happen to
/// each. The guard (what the agent may write), checkpoints (what a snapshot holds), restore (what
/// it keeps), <c>.claude/progress/.gitignore</c> and the SessionStart context are all derived from
/// it, so they cannot disagree. The first row that matches a path decides; the catch-alls for
/// <c>.claude/progress/</c> and <c>.claude/config/</c> come last, so an unknown file there is
/// the harness's, not the agent's.
/// </summary>
internal static class HarnessFiles
{
    private const FileWriters Everyone = FileWriters.Harness | FileWriters.User | FileWriters.Agent;
    private const FileWriters HarnessOrUser = FileWriters.Harness | FileWriters.User;

    public const string ProgressFolder = ".claude/progress/";

    public static readonly IReadOnlyList<HarnessFile> Table =
    [
        // What the agent works on: versioned with its code, rolled back with it.
        new(".claude/progress/feature-list.json", "feature list", Everyone, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new("feature_list.json", "feature list (quickstart format)", Everyone, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new("scripts/ralph/prd.json", "feature list (Ralph format, beside ralph.sh)", Everyone, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new("prd.json", "feature list (Ralph format)", Everyone, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new(".claude/progress/file_history.json", "recent files", Everyone, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),

        // The history people read: versioned, committed with each checkpoint, never rolled back.
        new(".claude/progress/sessions/", "session summaries", HarnessOrUser, KeptOnRestore: true, InSnapshots: true, GitIgnored: false),
        new(".claude/progress/session-summary.md", "session summary (seed)", HarnessOrUser, KeptOnRestore: true, InSnapshots: true, GitIgnored: false),
        new(".claude/progress/.gitignore", "ignore list", HarnessOrUser, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),

        // The harness's running record: rewritten at every session start and end, so it is
        // git-ignored (a committed copy would be dirty again at once) and survives restores.
        new(".claude/progress/state.json", "state", HarnessOrUser, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/checkpoint.json", "last checkpoint", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/metrics.jsonl", "metrics", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/session-start.json", "session baseline", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/transcripts/", "agent transcripts", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/processes.jsonl", "running processes", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/*.lock", "lock", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/*.lock.stale-*", "lock set aside", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/*.bak", "backup copy", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/*.rejected", "rejected feature lists (one per violation, the last 10)", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),

        // Parallel sessions (docs/loop.md): a linked worktree per worker and its record, the
        // harness's alone; never in a snapshot, never rolled back, never committed.
        new(".claude/progress/worktrees/", "worker worktrees", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),
        new(".claude/progress/**/.*.tmp", "temporary file", FileWriters.Harness, KeptOnRestore: true, InSnapshots: false, GitIgnored: true),

        // Configuration: people's, versioned; hooks run commands, so the agent may not change them.
        new(".claude/config/", "configuration", HarnessOrUser, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new(".claude/settings.json", "Claude Code settings (hooks)", HarnessOrUser, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new(".claude/settings.local.json", "Claude Code local settings", FileWriters.User, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new(".claude/progress/", "harness file", HarnessOrUser, KeptOnRestore: false, InSnapshots: true, GitIgnored: false),
        new(".git/", "git repository", FileWriters.None, KeptOnRestore: true, InSnapshots: false, GitIgnored: false),
    ];

    /// <summary>The row for a project-relative path ('/' separators), or null when the path is none of the harness's.</summary>
    public static HarnessFile? Find(string relativePath)
    {
        foreach (var file in Table)
        {
            if (GlobMatcher.IsMatch(file.Pattern, relativePath, ignoreCase: true))
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>True when the agent may write <paramref name="relativePath"/>: any file of the project but the rows without <see cref="FileWriters.Agent"/>.</summary>
    public static bool AgentMayWrite(string relativePath) => Find(relativePath) is not { } file || file.AgentMayWrite;

    /// <summary>True when a folder path holds (or is) a file the agent may not write, so deleting it would take one with it.</summary>
    public static bool HoldsProtectedFiles(string relativeFolder)
    {
        if (relativeFolder.Length == 0)
        {
            return true;
        }

        var prefix = relativeFolder.TrimEnd('/') + "/";
        foreach (var file in Table)
        {
            if (!file.AgentMayWrite && file.Pattern.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for a file a checkpoint restore must leave as it is.</summary>
    public static bool IsKeptOnRestore(string relativePath) => Find(relativePath)?.KeptOnRestore == true;

    /// <summary>The rows a snapshot leaves out (<see cref="HarnessFile.InSnapshots"/> false), matched at any depth of the repository.</summary>
    public static SnapshotExclusions SnapshotExcludes { get; } = new(Table
        .Where(f => !f.InSnapshots && f.Pattern != ".git/")
        .Select(f => f.Pattern));

    /// <summary>
    /// The rows a backup before a restore leaves out: those the restore keeps anyway (a backup
    /// exists to get back what the restore rewrites; transcripts can reach gigabytes).
    /// </summary>
    public static SnapshotExclusions BackupExcludes { get; } = new(Table
        .Where(f => !f.InSnapshots && f.KeptOnRestore && f.Pattern != ".git/")
        .Select(f => f.Pattern));

    /// <summary>
    /// True for a temporary file of <see cref="IO.AtomicFile"/> (<c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c>),
    /// wherever the file it replaces lives (the quickstart list sits at the project root). Such a
    /// file exists for a moment during a write; a git status that runs meanwhile must not report it.
    /// </summary>
    public static bool IsTemporary(string relativePath)
    {
        var name = relativePath.AsSpan(relativePath.LastIndexOf('/') + 1);

        // "." + at least one character + "." + 32 hex digits + ".tmp".
        if (name.Length < 39 || name[0] != '.' || !name.EndsWith(".tmp") || name[^37] != '.')
        {
            return false;
        }

        return name.Slice(name.Length - 36, 32).IndexOfAnyExcept("0123456789abcdef") < 0;
    }

    /// <summary>The file names under <c>.claude/progress/</c> that the harness's .gitignore lists, relative to that folder.</summary>
    public static IEnumerable<string> IgnoredInProgressFolder() => Table
        .Where(f => f.GitIgnored && f.Pattern.StartsWith(ProgressFolder, StringComparison.Ordinal))
        .Select(f => f.Pattern[ProgressFolder.Length..]);

    /// <summary>One line for the agent's session context: what it may write of the harness's files and what it may not.</summary>
    public static string AgentRules { get; } =
        $"you may edit {string.Join(", ", Table.Where(f => f.AgentMayWrite).Select(f => f.Pattern))}; " +
        $"the harness's own files are blocked for you: {string.Join(", ", Table.Where(f => !f.AgentMayWrite).Select(f => f.Pattern))}";
}
