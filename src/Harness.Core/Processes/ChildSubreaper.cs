using System.Runtime.InteropServices;

namespace Harness.Core.Processes;

/// <summary>
/// Linux: makes the harness its descendants' subreaper (<c>PR_SET_CHILD_SUBREAPER</c>) while a loop
/// runs. An orphan, such as the command an agent's Bash tool started in a session of its own after
/// its parent exited, is then re-parented to the harness instead of to init, where the watchdog
/// still finds it as the harness's child (<see cref="ProcessWatchdog"/>). .NET reaps only the
/// children it started, so the harness reaps the orphans it killed itself (<see cref="Reap"/>).
/// Scoped and counted: the setting is restored when the last scope ends, so a PowerShell or MSBuild
/// host keeps its normal behaviour outside a loop. Elsewhere (macOS, Windows) it does nothing.
/// </summary>
internal static class ChildSubreaper
{
    private const int PrSetChildSubreaper = 36;
    private const int PrGetChildSubreaper = 37;
    private const int WaitNoHang = 1;

    private static readonly object Gate = new();
    private static int _scopes;
    private static bool _wasSet;

    /// <summary>True while this process is a subreaper (on Linux, set by a scope or by its host).</summary>
    public static bool IsActive
    {
        get
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            try
            {
                return Get(PrGetChildSubreaper, out var value, 0, 0, 0) == 0 && value != 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    /// <summary>Makes this process a subreaper until the returned scope is disposed; nothing on other platforms or when the kernel refuses.</summary>
    public static IDisposable Enable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return new Scope(active: false);
        }

        lock (Gate)
        {
            try
            {
                if (_scopes == 0)
                {
                    _wasSet = IsActive;
                    if (!_wasSet && Set(PrSetChildSubreaper, 1, 0, 0, 0) != 0)
                    {
                        return new Scope(active: false);
                    }
                }

                _scopes++;
                return new Scope(active: true);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return new Scope(active: false);
            }
        }
    }

    /// <summary>
    /// Collects the exit status of these processes if they are zombie children of this process, which
    /// .NET never does for a child it did not start. Call it only with pids the harness did not start
    /// through <see cref="System.Diagnostics.Process"/>: .NET waits for those itself.
    /// </summary>
    public static void Reap(IEnumerable<int> pids)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var pid in pids)
        {
            try
            {
                _ = WaitPid(pid, out _, WaitNoHang);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return;
            }
        }
    }

    private static void Release()
    {
        lock (Gate)
        {
            if (--_scopes == 0 && !_wasSet)
            {
                _ = Set(PrSetChildSubreaper, 0, 0, 0, 0);
            }
        }
    }

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Set(int option, nuint value, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static extern int Get(int option, out int value, nuint arg3, nuint arg4, nuint arg5);

    [DllImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static extern int WaitPid(int pid, out int status, int options);

    private sealed class Scope(bool active) : IDisposable
    {
        private bool _active = active;

        public void Dispose()
        {
            if (_active)
            {
                _active = false;
                Release();
            }
        }
    }
}
