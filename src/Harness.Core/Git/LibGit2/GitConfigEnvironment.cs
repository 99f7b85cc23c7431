using LibGit2Sharp;

namespace Harness.Core.Git;

/// <summary>
/// Makes libgit2 read the config files git would read. git honours environment variables that
/// libgit2 does not (it finds the global and system files from HOME and its own search paths), so
/// they are mapped onto libgit2's process-wide search paths before a repository is opened (libgit2
/// reads config itself for ignore rules, line endings and the like). Where that cannot be done
/// exactly (a global file whose name libgit2 does not look for, config passed on a parent git's
/// command line), the repository is served by the git CLI instead (docs/git.md). The values the
/// harness reads itself come from <see cref="Build"/>: LibGit2Sharp's own lookup of the files
/// returns nothing under Native AOT.
/// </summary>
internal static class GitConfigEnvironment
{
    private static readonly object Gate = new();
    private static string? _applied;

    /// <summary>Variables that change what git reads in ways libgit2 has no setting for.</summary>
    private static readonly string[] Unmirrored = ["GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_CEILING_DIRECTORIES"];

    /// <summary>Applies the environment to libgit2; null when done, else why libgit2 cannot read what git would.</summary>
    public static string? Apply()
    {
        foreach (var name in Unmirrored)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                return $"{name} is set; libgit2 cannot read config or find repositories the way git does with it";
            }
        }

        var global = Environment.GetEnvironmentVariable("GIT_CONFIG_GLOBAL");
        var system = Environment.GetEnvironmentVariable("GIT_CONFIG_SYSTEM");
        var noSystem = Environment.GetEnvironmentVariable("GIT_CONFIG_NOSYSTEM");
        var signature = $"{global}\0{system}\0{noSystem}";
        lock (Gate)
        {
            if (_applied == signature)
            {
                return null;
            }

            // git: GIT_CONFIG_GLOBAL replaces both ~/.gitconfig and $XDG_CONFIG_HOME/git/config.
            string[]? globalPaths = null, xdgPaths = null, systemPaths = null;
            if (global is not null)
            {
                switch (LocateFile(global, "GIT_CONFIG_GLOBAL", ".gitconfig", "config"))
                {
                    case (null, var reason):
                        return reason;
                    case (var (directory, name), _):
                        globalPaths = name == ".gitconfig" ? [directory] : [];
                        xdgPaths = name == "config" ? [directory] : [];
                        break;
                }
            }

            if (IsTrue(noSystem))
            {
                systemPaths = [];
            }
            else if (system is not null)
            {
                switch (LocateFile(system, "GIT_CONFIG_SYSTEM", "gitconfig"))
                {
                    case (null, var reason):
                        return reason;
                    case (var (directory, _), _):
                        systemPaths = directory.Length == 0 ? [] : [directory];
                        break;
                }
            }

            // Null resets a level to libgit2's own default (HOME, XDG_CONFIG_HOME, /etc).
            GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Global, globalPaths);
            GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Xdg, xdgPaths);
            GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.System, systemPaths);
            _applied = signature;
            return null;
        }
    }

    /// <summary>
    /// The config git reads for a repository whose common git directory is <paramref name="commonDirectory"/>:
    /// system, global, XDG and local files, as git finds them (GIT_CONFIG_SYSTEM, GIT_CONFIG_NOSYSTEM,
    /// GIT_CONFIG_GLOBAL, XDG_CONFIG_HOME, HOME). A level git skips is a file that does not exist
    /// (libgit2 reads a missing file as empty).
    /// </summary>
    public static Configuration Build(string commonDirectory)
    {
        var none = Path.Combine(commonDirectory, "harness-no-config-at-this-level");
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var xdgHome = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } x ? x : Path.Combine(home, ".config");
        var globalVariable = Environment.GetEnvironmentVariable("GIT_CONFIG_GLOBAL");
        var systemVariable = Environment.GetEnvironmentVariable("GIT_CONFIG_SYSTEM");
        var global = globalVariable ?? Path.Combine(home, ".gitconfig");
        var xdg = globalVariable is null ? Path.Combine(xdgHome, "git", "config") : none;

        // Windows: the system file is where Git for Windows is installed; LibGit2Sharp finds it (null) when it can.
        string? system = IsTrue(Environment.GetEnvironmentVariable("GIT_CONFIG_NOSYSTEM")) ? none
            : systemVariable ?? (OperatingSystem.IsWindows() ? null : "/etc/gitconfig");
        return Configuration.BuildFrom(Path.Combine(commonDirectory, "config"), NullDeviceAsNone(global, none), xdg, system is null ? null : NullDeviceAsNone(system, none));
    }

    private static string NullDeviceAsNone(string path, string none) =>
        path.Length == 0 || path == "/dev/null" || string.Equals(path, "NUL", StringComparison.OrdinalIgnoreCase) ? none : path;

    /// <summary>
    /// The folder libgit2 should search and the file name it will find there; an empty folder for
    /// "no file" (the null device, a missing file, one with no settings: git reads nothing from those either).
    /// </summary>
    private static ((string Directory, string Name)? Location, string? Reason) LocateFile(string path, string variable, params string[] namesLibgit2Finds)
    {
        if (path.Length == 0 || path == "/dev/null" || string.Equals(path, "NUL", StringComparison.OrdinalIgnoreCase))
        {
            return (("", ""), null);
        }

        var file = new FileInfo(path);
        if (!file.Exists || HoldsNoSettings(file))
        {
            return (("", ""), null);
        }

        return namesLibgit2Finds.Contains(file.Name, StringComparer.Ordinal)
            ? ((file.DirectoryName!, file.Name), null)
            : (null, $"{variable} names {path}; libgit2 only reads a file named {string.Join(" or ", namesLibgit2Finds)} at that level");
    }

    /// <summary>Empty, or blank and comment lines only (what test set-ups write to shut the user's config out).</summary>
    private static bool HoldsNoSettings(FileInfo file) =>
        file.Length == 0 || (file.Length < 4096 && File.ReadLines(file.FullName).All(l => l.TrimStart() is "" or ['#' or ';', ..]));

    private static bool IsTrue(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));
}
