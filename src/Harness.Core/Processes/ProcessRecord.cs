using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Json.Contracts;

namespace Harness.Core.Processes;

/// <summary>
/// <c>.claude/progress/processes.jsonl</c>: the processes of the harness's running children (the
/// agent's session, a health check), each appended as the watchdog first sees it, with its start
/// time. A harness that is killed cannot kill its children; this record lets the next run do it
/// (<see cref="KillSurvivors"/>) before anything else. A child run's lines are removed when it ends;
/// the file is gone when nothing runs. One writer: the harness that holds the project lock.
/// </summary>
internal sealed class ProcessRecord(string path)
{
    /// <summary>Serializes appends and rewrites of record files within this process.</summary>
    private static readonly object FileGate = new();

    public string Path { get; } = path;

    /// <summary>Starts recording one child's tree: <paramref name="role"/> (<c>agent</c>, <c>health_check</c>) and the <see cref="ProcessMarker.TreeVariable"/> value its processes carry.</summary>
    public Run Begin(string role, string tree) => new(this, role, tree);

    /// <summary>The record's lines that parse, oldest first; empty when there is no record.</summary>
    public static IReadOnlyList<ProcessRecordLineJson> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // None (the usual case), or unreadable: a safety net that cannot be read must not stop the harness.
            return [];
        }

        var lines = new List<ProcessRecordLineJson>();
        foreach (var text in Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                if (JsonSerializer.Deserialize(text, HarnessJsonContext.Default.ProcessRecordLineJson) is { Pid: > 0 } line)
                {
                    lines.Add(line);
                }
            }
            catch (JsonException)
            {
                // A line torn by a killed harness: the process it named is also found by its session marker.
            }
        }

        return lines;
    }

    /// <summary>
    /// Kills what a harness that died left running: every recorded process still alive as the same
    /// process (pid, start time and boot all match) whose harness is gone, and every process whose
    /// environment carries the <see cref="ProcessMarker.TreeVariable"/> of a recorded tree (which finds
    /// what started after the last record was written). Not this process or its ancestors; nothing at
    /// all when this process runs inside one of those trees (the agent itself ran the harness) or a
    /// recorded harness is still alive. The record is removed afterwards. No record: nothing is read.
    /// </summary>
    public static SurvivorKill KillSurvivors(string path)
    {
        var lines = Read(path);
        if (lines.Count == 0)
        {
            return SurvivorKill.None;
        }

        var self = HarnessIdentity.Current;
        var trees = lines.Select(l => l.Tree).OfType<string>().Where(t => t.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable(ProcessMarker.TreeVariable) is { Length: > 0 } own && trees.Contains(own))
        {
            return SurvivorKill.None with { InsideTree = own };
        }

        if (!OperatingSystem.IsLinux())
        {
            // No start times to tell a survivor from a stranger with a recycled pid (docs/loop.md).
            Delete(path);
            return SurvivorKill.None;
        }

        var table = ProcessTable.Read();
        var spared = Ancestry(table, Environment.ProcessId);
        var liveHarnesses = lines.Where(l => IsLiveHarness(l, self, table)).Select(l => l.Tree).ToHashSet(StringComparer.Ordinal);
        var roles = lines.Where(l => l.Tree is not null).GroupBy(l => l.Tree!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Role, StringComparer.Ordinal);
        var targets = new Dictionary<int, (ProcessEntry Entry, string? Role)>();
        foreach (var line in lines)
        {
            if (liveHarnesses.Contains(line.Tree) || line.BootId != self.BootId || line.StartTicks is null)
            {
                continue;
            }

            if (table.TryGet(line.Pid, out var entry) && !entry.IsZombie && entry.StartTime == line.StartTicks && !spared.Contains(entry.Pid))
            {
                targets.TryAdd(entry.Pid, (entry, line.Role));
            }
        }

        trees.ExceptWith(liveHarnesses.OfType<string>());
        if (trees.Count > 0)
        {
            foreach (var entry in table.All)
            {
                if (!entry.IsZombie && entry.Pid > 1 && !spared.Contains(entry.Pid) && !targets.ContainsKey(entry.Pid)
                    && ProcessMarker.ValuesIn(entry.Pid, ProcessMarker.TreeVariable).FirstOrDefault(trees.Contains) is { } tree)
                {
                    targets.Add(entry.Pid, (entry, roles.GetValueOrDefault(tree)));
                }
            }
        }

        var killed = new List<KilledProcess>();
        var survivors = new List<int>();
        foreach (var (target, role) in targets.Values)
        {
            if (killed.Any(k => k.Pid == target.Pid))
            {
                continue;
            }

            var result = ProcessTree.KillTree(target.Pid);
            foreach (var pid in result.Killed.Where(p => !spared.Contains(p) && killed.All(k => k.Pid != p)))
            {
                killed.Add(new KilledProcess(pid, table.TryGet(pid, out var known) ? known.Name : null, role));
            }

            survivors.AddRange(result.Survivors.Where(p => !survivors.Contains(p)));
        }

        // Orphans of the dead harness may have been re-parented to this one (a subreaper host): reap what was killed.
        ChildSubreaper.Reap(killed.Select(k => k.Pid));
        if (liveHarnesses.Count == 0)
        {
            Delete(path);
        }

        return new SurvivorKill(killed, survivors, null);
    }

    /// <summary>True while the harness that wrote <paramref name="line"/> runs (this one included): its children are its own business.</summary>
    private static bool IsLiveHarness(ProcessRecordLineJson line, HarnessIdentity self, ProcessTable table) =>
        line.HarnessPid == self.Pid
            ? line.HarnessStartTicks == self.StartTicks
            : table.TryGet(line.HarnessPid, out var harness) && !harness.IsZombie && harness.StartTime == line.HarnessStartTicks && line.BootId == self.BootId;

    /// <summary>This process and its ancestors, which a cleanup must never kill.</summary>
    private static HashSet<int> Ancestry(ProcessTable table, int pid)
    {
        var chain = new HashSet<int> { pid };
        while (table.TryGet(pid, out var entry) && entry.ParentPid > 0 && chain.Add(entry.ParentPid))
        {
            pid = entry.ParentPid;
        }

        return chain;
    }

    private static void Delete(string path)
    {
        lock (FileGate)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind: its processes are dead, and the next run checks each one again.
            }
        }
    }

    private void Append(IEnumerable<ProcessRecordLineJson> lines)
    {
        var bytes = new List<byte>();
        foreach (var line in lines)
        {
            bytes.AddRange(HarnessJson.LineBytes(line, HarnessJsonContext.Default.ProcessRecordLineJson));
            bytes.Add((byte)'\n');
        }

        if (bytes.Count == 0)
        {
            return;
        }

        lock (FileGate)
        {
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
                stream.Write(bytes.ToArray());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The record is a safety net: a run goes on without it (its children still die with it while it lives).
            }
        }
    }

    private void Remove(string tree)
    {
        lock (FileGate)
        {
            try
            {
                var rest = Read(Path).Where(l => l.Tree != tree).ToList();
                if (rest.Count == 0)
                {
                    File.Delete(Path);
                    return;
                }

                var text = new StringBuilder();
                foreach (var line in rest)
                {
                    text.Append(Encoding.UTF8.GetString(HarnessJson.LineBytes(line, HarnessJsonContext.Default.ProcessRecordLineJson))).Append('\n');
                }

                AtomicFile.WriteText(Path, text.ToString());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Errors.HarnessException)
            {
                // Left as it is: the next run finds those processes dead and removes the record.
            }
        }
    }

    /// <summary>One child's tree being recorded; <see cref="End"/> removes its lines once it is dead.</summary>
    internal sealed class Run(ProcessRecord record, string role, string tree)
    {
        public void Add(IReadOnlyCollection<ProcessEntry> entries)
        {
            if (entries.Count == 0)
            {
                return;
            }

            var self = HarnessIdentity.Current;
            var now = DateTimeOffset.UtcNow;
            record.Append(entries.Select(e => new ProcessRecordLineJson
            {
                Pid = e.Pid,
                StartTicks = e.StartTime,
                ParentPid = e.ParentPid,
                Name = e.Name,
                Role = role,
                Tree = tree,
                HarnessPid = self.Pid,
                HarnessStartTicks = self.StartTicks,
                BootId = self.BootId,
                SeenAt = now,
            }));
        }

        /// <summary>The tree is dead (killed and checked): its lines go.</summary>
        public void End() => record.Remove(tree);
    }
}

/// <summary>One process that crash recovery killed: its pid, the kernel's name for it and what the harness had started its tree for.</summary>
internal readonly record struct KilledProcess(int Pid, string? Name, string? Role);

/// <summary>What <see cref="ProcessRecord.KillSurvivors"/> did.</summary>
/// <param name="Killed">Every process killed (the survivors and their descendants).</param>
/// <param name="Survivors">Pids that were still alive after the kill; empty unless something is badly wrong.</param>
/// <param name="InsideTree">Set when nothing was done because this process runs inside that recorded tree.</param>
internal sealed record SurvivorKill(IReadOnlyList<KilledProcess> Killed, IReadOnlyList<int> Survivors, string? InsideTree)
{
    public static SurvivorKill None { get; } = new([], [], null);

    /// <summary>"3 process(es) (4242 claude, 4250 bash, 4251 sleep)".</summary>
    public string Describe() =>
        $"{Killed.Count} process(es) ({string.Join(", ", Killed.Take(10).Select(k => k.Name is null ? k.Pid.ToString(CultureInfo.InvariantCulture) : $"{k.Pid} {k.Name}"))}{(Killed.Count > 10 ? ", ..." : "")})";
}

/// <summary>This process as the record names it: pid, start time and boot.</summary>
internal sealed record HarnessIdentity(int Pid, long? StartTicks, string? BootId)
{
    private static readonly Lazy<HarnessIdentity> Self = new(() =>
    {
        var pid = Environment.ProcessId;
        string? boot = null;
        try
        {
            boot = OperatingSystem.IsLinux() ? File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No boot id (a restricted /proc): pid and start time alone tell a survivor from a stranger.
        }

        return new HarnessIdentity(pid, ProcessTable.ReadOne(pid)?.StartTime, boot);
    });

    public static HarnessIdentity Current => Self.Value;
}
