using System.ComponentModel;
using System.Diagnostics;

namespace Harness.Core.Processes;

/// <summary>What <see cref="ProcessTree.KillTree"/> did.</summary>
/// <param name="Killed">Every pid that belonged to the tree and was signalled (root first).</param>
/// <param name="Survivors">Pids still alive when the kill gave up; empty means the whole tree is gone.</param>
internal sealed record ProcessTreeKillResult(IReadOnlyList<int> Killed, IReadOnlyList<int> Survivors)
{
    public bool AllDead => Survivors.Count == 0;
}

/// <summary>
/// Finds and kills a process with everything it started. Agent CLIs run their tool commands in
/// separate sessions and process groups, so a group kill misses them; the tree is followed by parent pid.
/// </summary>
internal static class ProcessTree
{
    /// <summary>Kill passes are repeated until nothing is left or this much time has passed.</summary>
    private static readonly TimeSpan KillDeadline = TimeSpan.FromSeconds(5);

    /// <summary>Pause between passes: gives the kernel time to deliver SIGKILL and re-parent orphans.</summary>
    private static readonly TimeSpan PassInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Every live process below <paramref name="pid"/>, at any depth; not the process itself.</summary>
    public static IReadOnlyList<int> GetDescendants(int pid)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("ProcessTree.GetDescendants is implemented for Linux and macOS; on Windows use KillTree.");
        return ProcessTable.Read().DescendantsOf([pid]).Where(e => !e.IsZombie).Select(e => e.Pid).ToList();
    }

    /// <summary>Kills <paramref name="pid"/> and all its descendants. Never throws for processes that already exited.</summary>
    public static ProcessTreeKillResult KillTree(int pid)
    {
        if (OperatingSystem.IsWindows()) return KillTreeWindows(pid);
        return KillTreeUnix(pid);
    }

    private static ProcessTreeKillResult KillTreeWindows(int pid)
    {
        // Windows keeps the parent pid even after the parent dies, and .NET walks it for us.
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            var exited = process.WaitForExit((int)KillDeadline.TotalMilliseconds);
            return new ProcessTreeKillResult([pid], exited ? [] : [pid]);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            return new ProcessTreeKillResult([], []);
        }
    }

    private static ProcessTreeKillResult KillTreeUnix(int pid)
    {
        // Snapshot first: once a parent dies its children are re-parented (to init or a subreaper)
        // and can no longer be found by walking down from the root.
        var table = ProcessTable.Read();
        var known = new Dictionary<int, ProcessEntry>();
        if (table.TryGet(pid, out var root)) known[pid] = root;
        else known[pid] = new ProcessEntry(pid, 0, null, false);
        foreach (var entry in table.DescendantsOf([pid])) known[entry.Pid] = entry;

        var killedOrder = new List<int>();
        var toKill = known.Values.ToList();
        var stopwatch = Stopwatch.StartNew();
        List<ProcessEntry> alive;
        while (true)
        {
            foreach (var entry in toKill)
            {
                SendKill(entry.Pid);
                if (!killedOrder.Contains(entry.Pid)) killedOrder.Add(entry.Pid);
            }

            // Something may have forked between the snapshot and its parent's death; find it from
            // any member of the tree that is still the same process (pids can be recycled).
            table = ProcessTable.Read();
            var stillOurs = known.Values.Where(e => table.TryGet(e.Pid, out var now) && ProcessTable.IsSameProcess(e, now)).Select(e => e.Pid);
            foreach (var entry in table.DescendantsOf(stillOurs))
                known.TryAdd(entry.Pid, entry);

            alive = known.Values.Where(table.IsAlive).ToList();
            if (alive.Count == 0 || stopwatch.Elapsed > KillDeadline) break;
            toKill = alive;
            Thread.Sleep(PassInterval);
        }

        // Final check on a fresh table, so the survivors we report are the ones that really are alive.
        table = ProcessTable.Read();
        var survivors = known.Values.Where(table.IsAlive).Select(e => e.Pid).ToList();
        return new ProcessTreeKillResult(killedOrder, survivors);
    }

    private static void SendKill(int pid)
    {
        try
        {
            // Process.Kill sends SIGKILL on Unix; that is all we need, so no P/Invoke.
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception)
        {
            // Already gone (or not ours to kill; the final check reports that as a survivor).
        }
    }
}
