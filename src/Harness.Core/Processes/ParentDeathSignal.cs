using System.Collections.Concurrent;
using System.Diagnostics;

namespace Harness.Core.Processes;

/// <summary>
/// Linux: a child that gets SIGKILL the moment the harness dies, whatever kills it (<c>kill -9</c>,
/// the OOM killer, a closed terminal). The kernel's parent-death signal (<c>PR_SET_PDEATHSIG</c>) has
/// to be set inside the child, between fork and exec, which .NET's <see cref="Process"/> cannot do;
/// util-linux's <c>setpriv --pdeathsig KILL -- PROGRAM ARGS</c> sets it and execs the program, which
/// keeps setpriv's pid. Limits: it covers the direct child only (its own children are the watchdog's,
/// the subreaper's and the process record's); a harness killed in the instant between fork and the
/// prctl is missed (the process record covers that); without setpriv (not Linux, util-linux older
/// than 2.33) children start as before. The signal follows the thread that forked the child, not the
/// process, so wrapped children are started from <see cref="LauncherThread"/>, which lives as long as
/// the process: a pool thread that retired would kill the agent it had started.
/// </summary>
internal static class ParentDeathSignal
{
    private static readonly Lazy<string?> Setpriv = new(FindSetpriv);

    /// <summary>The setpriv that was found to support <c>--pdeathsig</c>; null when there is none.</summary>
    public static string? Wrapper => Setpriv.Value;

    /// <summary>
    /// The spec with its program run through setpriv; null when that cannot be done (no setpriv, or a
    /// program that is no executable file: left to fail to start as it would have, rather than as
    /// setpriv's exit 127). A bare name (<c>claude</c>, the default agent command) is looked up on
    /// PATH first, as Process.Start would look it up, so the common case is covered too.
    /// </summary>
    public static ProcessSpec? Wrap(ProcessSpec spec)
    {
        if (spec.RawArguments is not null || Wrapper is not { } setpriv)
        {
            return null;
        }

        var program = Locate(spec.FileName);
        if (!IsExecutableFile(program))
        {
            return null;
        }

        return spec with { FileName = setpriv, Arguments = ["--pdeathsig", "KILL", "--", program, .. spec.Arguments] };
    }

    /// <summary>
    /// The program's full path for a bare name, found on the harness's PATH (Process.Start's lookup);
    /// a path is taken as it is (a relative one then stays unwrapped, started as it always was).
    /// </summary>
    private static string Locate(string fileName) =>
        Path.IsPathFullyQualified(fileName) || fileName.Contains('/', StringComparison.Ordinal)
            ? fileName
            : Agents.CommandLine.ResolveExecutable(fileName, Environment.GetEnvironmentVariable("PATH"));

    private static bool IsExecutableFile(string path)
    {
        if (!Path.IsPathFullyQualified(path) || !File.Exists(path))
        {
            return false;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static string? FindSetpriv() =>
        OperatingSystem.IsLinux()
            ? FindSetpriv((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin").Append("/bin"))
            : null;

    /// <summary>The first setpriv in <paramref name="folders"/> that knows <c>--pdeathsig</c>; null: none (children then start without it).</summary>
    internal static string? FindSetpriv(IEnumerable<string> folders)
    {
        foreach (var folder in folders.Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.Combine(folder, "setpriv");
            if (IsExecutableFile(candidate) && Supported(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// True when this setpriv knows <c>--pdeathsig</c> (util-linux 2.33 and later): its option table
    /// names it. Read from the file rather than by running it: the CLI is a new process for every
    /// entry, and a probe run would cost each of them a process start.
    /// </summary>
    private static bool Supported(string setpriv)
    {
        try
        {
            return File.ReadAllBytes(setpriv).AsSpan().IndexOf("pdeathsig"u8) >= 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>
/// One background thread that starts the children whose parent-death signal is set, and never
/// ends before the process does: the kernel sends that signal when the forking thread exits.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var thread = new Thread(() =>
        {
            foreach (var item in Work.GetConsumingEnumerable())
            {
                item();
            }
        })
        {
            IsBackground = true,
            Name = "harness child launcher",
        };
        thread.Start();
        return thread;
    });

    /// <summary>Runs <paramref name="start"/> on the launcher thread; its exception, if any, comes back through the task.</summary>
    public static Task<T> Run<T>(Func<T> start)
    {
        _ = Thread.Value;
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                done.SetResult(start());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }
}
