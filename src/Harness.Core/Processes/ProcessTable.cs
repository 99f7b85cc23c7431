using System.Diagnostics;
using System.Globalization;

namespace Harness.Core.Processes;

/// <summary>One row of the OS process table.</summary>
/// <param name="Pid">The process id.</param>
/// <param name="ParentPid">The parent's id; re-parented orphans show init's or a subreaper's.</param>
/// <param name="StartTime">
/// Opaque start stamp (Linux: clock ticks since boot) so a pid the kernel recycled for an unrelated
/// process is not mistaken for the one we saw; null where the platform gives none cheaply.
/// </param>
/// <param name="IsZombie">Dead but not yet reaped by its parent.</param>
/// <param name="Name">The command name the kernel keeps (Linux: <c>comm</c>, at most 15 characters), for reports; null where not read.</param>
internal readonly record struct ProcessEntry(int Pid, int ParentPid, long? StartTime, bool IsZombie, string? Name = null);

/// <summary>A point-in-time snapshot of every process, read once per pass so a tree walk costs one scan.</summary>
internal sealed class ProcessTable
{
    private readonly Dictionary<int, ProcessEntry> _byPid;
    private readonly Dictionary<int, List<int>> _childrenByParent;

    private ProcessTable(IEnumerable<ProcessEntry> entries)
    {
        _byPid = new Dictionary<int, ProcessEntry>();
        _childrenByParent = new Dictionary<int, List<int>>();
        foreach (var entry in entries)
        {
            _byPid[entry.Pid] = entry;
            if (!_childrenByParent.TryGetValue(entry.ParentPid, out var children))
            {
                children = [];
                _childrenByParent[entry.ParentPid] = children;
            }
            children.Add(entry.Pid);
        }
    }

    public static ProcessTable Read()
    {
        if (OperatingSystem.IsLinux()) return new ProcessTable(ReadLinuxProc());
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()) return new ProcessTable(ReadPs());
        throw new PlatformNotSupportedException("Reading the process table is implemented for Linux and macOS only.");
    }

    public bool TryGet(int pid, out ProcessEntry entry) => _byPid.TryGetValue(pid, out entry);

    /// <summary>Every process in the table.</summary>
    public IEnumerable<ProcessEntry> All => _byPid.Values;

    /// <summary>The direct children of <paramref name="pid"/> (re-parented orphans included, for a subreaper).</summary>
    public IEnumerable<ProcessEntry> ChildrenOf(int pid) =>
        _childrenByParent.TryGetValue(pid, out var children) ? children.Select(c => _byPid[c]) : [];

    /// <summary>One process, read alone (Linux: its <c>/proc/&lt;pid&gt;/stat</c>); null when it is gone or the platform has no cheap way.</summary>
    public static ProcessEntry? ReadOne(int pid)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return TryParseLinuxStat(File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"), out var entry) ? entry : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A zombie has already died; it only waits for its parent to reap it, so it counts as gone.</summary>
    public bool IsAlive(ProcessEntry expected) =>
        _byPid.TryGetValue(expected.Pid, out var current) && !current.IsZombie && IsSameProcess(expected, current);

    public static bool IsSameProcess(ProcessEntry a, ProcessEntry b) =>
        a.Pid == b.Pid && (a.StartTime is null || b.StartTime is null || a.StartTime == b.StartTime);

    /// <summary>Breadth-first walk from the roots; roots themselves are not included.</summary>
    public List<ProcessEntry> DescendantsOf(IEnumerable<int> roots)
    {
        var found = new List<ProcessEntry>();
        var visited = new HashSet<int>();
        var queue = new Queue<int>(roots);
        foreach (var root in queue) visited.Add(root);
        while (queue.Count > 0)
        {
            if (!_childrenByParent.TryGetValue(queue.Dequeue(), out var children)) continue;
            foreach (var child in children)
            {
                if (!visited.Add(child)) continue;
                found.Add(_byPid[child]);
                queue.Enqueue(child);
            }
        }
        return found;
    }

    private static List<ProcessEntry> ReadLinuxProc()
    {
        var entries = new List<ProcessEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // exited between listing and reading
            }
            if (TryParseLinuxStat(stat, out var entry)) entries.Add(entry);
        }
        return entries;
    }

    /// <summary>
    /// Parses <c>/proc/&lt;pid&gt;/stat</c>. The command name sits in parentheses and may itself contain
    /// spaces and parentheses, so fields are counted from the last ')'.
    /// </summary>
    internal static bool TryParseLinuxStat(string stat, out ProcessEntry entry)
    {
        entry = default;
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open <= 0 || close < open) return false;
        if (!int.TryParse(stat.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) return false;

        // After ')': state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
        // utime stime cutime cstime priority nice num_threads itrealvalue starttime(22).
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20) return false;
        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)) return false;
        long? startTime = long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        var state = fields[0];
        entry = new ProcessEntry(pid, ppid, startTime, IsZombie: state is "Z" or "X" or "x", Name: stat[(open + 1)..close]);
        return true;
    }

    private static List<ProcessEntry> ReadPs()
    {
        var psi = new ProcessStartInfo("ps")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-A", "-o", "pid=,ppid=,stat=" }) psi.ArgumentList.Add(arg);
        using var ps = Process.Start(psi) ?? throw new InvalidOperationException("could not start ps");
        ps.StandardInput.Close();
        var stderr = ps.StandardError.ReadToEndAsync();
        var output = ps.StandardOutput.ReadToEnd();
        ps.WaitForExit();
        _ = stderr.Result;

        var entries = new List<ProcessEntry>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid)) continue;
            var zombie = parts.Length > 2 && parts[2].StartsWith('Z');
            entries.Add(new ProcessEntry(pid, ppid, StartTime: null, zombie));
        }
        return entries;
    }
}
