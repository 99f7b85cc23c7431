namespace Harness.Core.Project;

/// <summary>
/// Where every file of a managed project lives (DESIGN.md, "Files in a managed project").
/// One place for the paths, so no other code spells them.
/// </summary>
public sealed class ProjectLayout
{
    private ProjectLayout(string root)
    {
        Root = root;
        ClaudeDirectory = Path.Combine(root, ".claude");
        ConfigDirectory = Path.Combine(ClaudeDirectory, "config");
        ProgressDirectory = Path.Combine(ClaudeDirectory, "progress");
    }

    public string Root { get; }

    public string ClaudeDirectory { get; }

    public string ConfigDirectory { get; }

    public string ProgressDirectory { get; }

    public string ConfigFile => Path.Combine(ConfigDirectory, "project.json");

    public string StateFile => Path.Combine(ProgressDirectory, "state.json");

    public string StateBackupFile => Path.Combine(ProgressDirectory, "state.json.bak");

    public string FeatureListFile => Path.Combine(ProgressDirectory, "feature-list.json");

    public string FeatureListBackupFile => Path.Combine(ProgressDirectory, "feature-list.json.bak");

    /// <summary>The Anthropic quickstart's list at the project root, read when the seed file is absent.</summary>
    public string QuickstartFeatureListFile => Path.Combine(Root, "feature_list.json");

    /// <summary>Ralph's <c>prd.json</c> at the project root, read when neither the seed nor the quickstart list exists.</summary>
    public string RalphFeatureListFile => Path.Combine(Root, "prd.json");

    /// <summary>Ralph's <c>prd.json</c> beside <c>scripts/ralph/ralph.sh</c>, where Ralph's README installs it; read after the root one.</summary>
    public string RalphScriptsFeatureListFile => Path.Combine(Root, "scripts", "ralph", "prd.json");

    public string CheckpointFile => Path.Combine(ProgressDirectory, "checkpoint.json");

    public string SessionsDirectory => Path.Combine(ProgressDirectory, "sessions");

    /// <summary>The seed's single summary file; read when sessions/ holds none.</summary>
    public string LegacySummaryFile => Path.Combine(ProgressDirectory, "session-summary.md");

    /// <summary>Raw agent output, one <c>&lt;session&gt;.jsonl</c> per session.</summary>
    public string TranscriptsDirectory => Path.Combine(ProgressDirectory, "transcripts");

    public string MetricsFile => Path.Combine(ProgressDirectory, "metrics.jsonl");

    public string FileHistoryFile => Path.Combine(ProgressDirectory, "file_history.json");

    public string LockFile => Path.Combine(ProgressDirectory, "harness.lock");

    /// <summary>The running children's processes (docs/loop.md, Processes): what the next run kills if this harness is killed.</summary>
    public string ProcessRecordFile => Path.Combine(ProgressDirectory, "processes.jsonl");

    public string ClaudeSettingsFile => Path.Combine(ClaudeDirectory, "settings.json");

    /// <summary>
    /// A file the harness keeps beside one of the project's files (a feature list's lock, .bak,
    /// .rejected), always in .claude/progress, where the table of harness files covers and
    /// git-ignores it, even for the quickstart list at the project root.
    /// </summary>
    public string SidecarOf(string file, string suffix) => Path.Combine(ProgressDirectory, Path.GetFileName(file) + suffix);

    /// <summary>A layout rooted exactly at <paramref name="root"/>, without searching.</summary>
    public static ProjectLayout ForRoot(string root) => new(Path.GetFullPath(root));

    /// <summary>
    /// The project <paramref name="path"/> is in: a folder in it, or a file in it (a feature list's
    /// path, as PowerShell pipelines carry it from one cmdlet to the next). Null: the current directory.
    /// </summary>
    public static ProjectLayout Locate(string? path) =>
        !string.IsNullOrEmpty(path) && File.Exists(path) ? Resolve(Path.GetDirectoryName(Path.GetFullPath(path))) : Resolve(path);

    /// <summary>
    /// Finds the project root from <paramref name="startDirectory"/>: the nearest folder upwards
    /// that holds harness files, stopping at the enclosing git work tree's top; when none is
    /// found, the git top itself, else the start folder. Stopping at the git top keeps a
    /// project from being captured by a parent folder (or by ~/.claude, Claude Code's own).
    /// </summary>
    public static ProjectLayout Resolve(string? startDirectory = null)
    {
        var start = Path.GetFullPath(string.IsNullOrEmpty(startDirectory) ? Directory.GetCurrentDirectory() : startDirectory);
        if (!Directory.Exists(start))
        {
            throw new Errors.HarnessException(
                Errors.ErrorIds.ProjectNotFound,
                Errors.HarnessErrorCategory.ObjectNotFound,
                $"{start}: no such directory. Name an existing folder of the project.")
            {
                FilePath = start,
            };
        }

        var home = HomeDirectory();
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            // ~/.claude is Claude Code's own folder: a stray .claude/progress there must not make
            // the home folder the project of every non-git folder below it.
            if (!IsSameDirectory(dir.FullName, home) && HasHarnessFiles(dir.FullName))
            {
                return new ProjectLayout(dir.FullName);
            }

            if (Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return new ProjectLayout(dir.FullName);
            }
        }

        return new ProjectLayout(start);
    }

    /// <summary>
    /// True when the folder is recognisably a project: a git work tree, the harness's own files,
    /// or a project marker (package.json, *.csproj, Makefile, ...). The harness writes its files
    /// only into such a folder, so an entry run by mistake in ~ or / creates nothing there.
    /// </summary>
    public bool IsRecognisedProject() =>
        IsInsideGitWorkTree(Root) || (!IsSameDirectory(Root, HomeDirectory()) && HasHarnessFiles(Root)) || ProjectDetector.Detect(Root).HasMarkers;

    private static bool IsInsideGitWorkTree(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return true;
            }
        }

        return false;
    }

    private static string? HomeDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(home));
    }

    private static bool IsSameDirectory(string a, string? b) =>
        b is not null && string.Equals(Path.TrimEndingDirectorySeparator(a), b, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    private static bool HasHarnessFiles(string directory) =>
        File.Exists(Path.Combine(directory, ".claude", "config", "project.json")) ||
        Directory.Exists(Path.Combine(directory, ".claude", "progress"));
}
