using System.Reflection;
using System.Text;
using Harness.Core.Agents;

namespace Harness.Core.Guard;

/// <summary>
/// The command line a Claude Code hook runs to reach <c>harness guard</c>, built so that the guard
/// never fails open. Claude Code treats a hook that exits with anything but 0 or 2 as a non-blocking
/// error and lets the tool call through, and a bare <c>harness guard</c> exits 127 wherever the tool
/// is not on PATH. So the command names the harness by its absolute path, and ends in
/// <c>|| exit 2</c>: whatever keeps it from running (a binary moved away, a crash) blocks.
/// </summary>
internal static class HookCommand
{
    /// <summary>Turns every failure of the command before it into a block.</summary>
    public const string FailClosedSuffix = " || exit 2";

    /// <summary>The guard's subcommand.</summary>
    public const string GuardVerb = "guard";

    /// <summary>What the hook runs when no harness executable can be found: fails closed, and the loop's hook check names the fix.</summary>
    public const string Unresolved = "harness " + GuardVerb + FailClosedSuffix;

    /// <summary>
    /// The guard command for the harness that runs now: this process when it is the <c>harness</c>
    /// CLI (a native or apphost binary, a dotnet tool shim, or <c>dotnet harness.dll</c>); otherwise
    /// (PowerShell, MSBuild) a <c>harness</c> on PATH or in the dotnet tools folder; otherwise
    /// <see cref="Unresolved"/>.
    /// </summary>
    public static string ForThisHarness(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var process = Environment.ProcessPath;
        if (process is not null && IsHarnessProgram(process))
        {
            // A native tool's command is a symbolic link into the tool store, whose path changes with
            // every update; the process path is the link's target. Name the stable link when it is one.
            return ForExecutable(FindInstalled(environment) is { } link && SameFile(link, process) ? link : process);
        }

        // `dotnet harness.dll ...`: the process is the dotnet host; the CLI is the entry assembly beside it.
        if (process is not null && Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            && Assembly.GetEntryAssembly()?.GetName().Name == "harness" && Path.Combine(AppContext.BaseDirectory, "harness.dll") is var dll && File.Exists(dll))
        {
            return ForExecutable(process, dll);
        }

        return FindInstalled(environment) is { } installed ? ForExecutable(installed) : Unresolved;
    }

    /// <summary>A <c>harness</c> executable on PATH or in the dotnet tools folder (<c>~/.dotnet/tools</c>, <c>DOTNET_TOOLS_PATH</c>), as an absolute path; null when there is none.</summary>
    public static string? FindInstalled(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var name = OperatingSystem.IsWindows() ? "harness.exe" : "harness";
        var onPath = CommandLine.ResolveExecutable(name, environment("PATH"));
        if (Path.IsPathFullyQualified(onPath) && File.Exists(onPath))
        {
            return onPath;
        }

        var home = environment("HOME") ?? environment("USERPROFILE");
        foreach (var folder in new[] { environment("DOTNET_TOOLS_PATH"), home is null ? null : Path.Combine(home, ".dotnet", "tools") })
        {
            if (!string.IsNullOrEmpty(folder) && Path.Combine(folder, name) is var candidate && File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary><c>'/abs/harness' guard || exit 2</c>, or <c>'/abs/dotnet' '/abs/harness.dll' guard || exit 2</c>.</summary>
    public static string ForExecutable(string executable, string? assembly = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executable);
        var command = new StringBuilder(Quote(Path.GetFullPath(executable)));
        if (assembly is not null)
        {
            command.Append(' ').Append(Quote(Path.GetFullPath(assembly)));
        }

        return command.Append(' ').Append(GuardVerb).Append(FailClosedSuffix).ToString();
    }

    /// <summary>A command given by the user (<c>--hook-command</c>, <c>--guard-command</c>), made to fail closed.</summary>
    public static string FailClosed(string command)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        command = command.Trim();
        return command.EndsWith(FailClosedSuffix.Trim(), StringComparison.Ordinal) ? command : command + FailClosedSuffix;
    }

    /// <summary>
    /// True for a command line that runs the harness guard, in any form this or an earlier version
    /// wrote (<c>harness guard</c>, a path to harness, <c>dotnet …/harness.dll guard</c>, with or
    /// without <c>|| exit 2</c> or <c>--project</c>): the hook entries <c>init --hooks</c> owns.
    /// </summary>
    public static bool IsGuardCommand(string? command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return false;
        }

        var text = command.Trim();
        if (text.EndsWith(FailClosedSuffix.Trim(), StringComparison.Ordinal))
        {
            text = text[..^FailClosedSuffix.Trim().Length].TrimEnd();
        }

        IReadOnlyList<string> words;
        try
        {
            words = CommandLine.Split(text);
        }
        catch (FormatException)
        {
            return false;
        }

        var verb = words.Count >= 2 && IsHarnessProgram(words[0]) ? 1
            : words.Count >= 3 && Path.GetFileNameWithoutExtension(words[0]).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
                && Path.GetFileName(words[1]).Equals("harness.dll", StringComparison.OrdinalIgnoreCase) ? 2
            : -1;
        return verb > 0 && words[verb] == GuardVerb;
    }

    /// <summary>A word for a POSIX shell (Claude Code runs hooks through one; Git Bash on Windows): left bare when it is plain, else in single quotes.</summary>
    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '+' or '@' or '%' or ','))
        {
            return word;
        }

        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    private static bool SameFile(string link, string target)
    {
        var resolved = new FileInfo(link).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(link);
        return string.Equals(resolved, Path.GetFullPath(target), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static bool IsHarnessProgram(string path) => Path.GetFileNameWithoutExtension(path).Equals("harness", StringComparison.OrdinalIgnoreCase);
}
