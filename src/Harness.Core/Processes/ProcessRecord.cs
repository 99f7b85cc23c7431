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

    /// <summary>Starts recording one child's tree: <paramref name="role"/> (<c>agent</c>, <c>health_check</c>) and its loop session, if any.</summary>
    public Run Begin(string role, string? sessionId) => new(this, role, sessionId);

    /// <summary>The record's lines that parse, oldest first; empty when there is no record.</summary>
    public static IReadOnlyList<ProcessRecordLineJson> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
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
    /// environment carries <paramref name="markerVariable"/> with one of the recorded sessions' ids or
    /// <paramref name="sessionIds"/> (which finds what started after the last record was written). Not
    /// this process or its ancestors; nothing at all when this process runs inside one of those
    /// sessions (the agent itself ran the harness). The record is removed afterwards.
    /// </summary>
    public static SurvivorKill KillSurvivors(string path, IReadOnlyCollection<string> sessionIds, string markerVariable)
    {
        var lines = Read(path);
        var sessions = lines.Select(l => l.SessionId).OfType<string>().Concat(sessionIds).Where(s => s.Length > 0).ToHashSet(StringComparer.Ordinal);
        if (Environment.GetEnvironmentVariable(markerVariable) is { Length: > 0 } own && sessions.Contains(own))
        {
            return new SurvivorKill([], [], InsideSession: own);
        }

        if (!OperatingSystem.IsLinux())
        {
            // No start times to tell a survivor from a stranger with a recycled pid (docs/loop.md).
            Delete(path);
            return new SurvivorKill([], [], null);
        }

        var self = HarnessIdentity.Current;
        var table = ProcessTable.Read();
        var spared = Ancestry(table, Environment.ProcessId);
        var targets = new Dictionary<int, ProcessEntry>();
        foreach (var line in lines)
        {
            var harnessAlive = line.HarnessPid == self.Pid ? line.HarnessStartTicks == self.StartTicks
                : table.TryGet(line.HarnessPid, out var harness) && !harness.IsZombie && harness.StartTime == line.HarnessStartTicks;
            if (harnessAlive || line.BootId != self.BootId || line.StartTicks is null)
            {
                continue;
            }

            if (table.TryGet(line.Pid, out var entry) && !entry.IsZombie && entry.StartTime == line.StartTicks && !spared.Contains(entry.Pid))
            {
                targets.TryAdd(entry.Pid, entry);
            }
        }

        if (sessions.Count > 0)
        {
            foreach (var entry in table.All)
            {
                if (!entry.IsZombie && entry.Pid > 1 && !spared.Contains(entry.Pid) && !targets.ContainsKey(entry.Pid)
                    && ProcessMarker.ValuesIn(entry.Pid, markerVariable).Any(sessions.Contains))
                {
                    targets.Add(entry.Pid, entry);
                }
            }
        }

        var killed = new List<ProcessEntry>();
        var survivors = new List<int>();
        foreach (var target in targets.Values)
        {
            if (killed.Any(k => k.Pid == target.Pid))
            {
                continue;
            }

            var result = ProcessTree.KillTree(target.Pid);
            foreach (var pid in result.Killed.Where(p => !spared.Contains(p) && killed.All(k => k.Pid != p)))
            {
                killed.Add(table.TryGet(pid, out var known) ? known : new ProcessEntry(pid, 0, null, false));
            }

            survivors.AddRange(result.Survivors.Where(p => !survivors.Contains(p)));
        }

        Delete(path);
        return new SurvivorKill(killed, survivors, null);
    }

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

    private void Remove(string runId)
    {
        lock (FileGate)
        {
            try
            {
                var rest = Read(Path).Where(l => l.RunId != runId).ToList();
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
    internal sealed class Run(ProcessRecord record, string role, string? sessionId)
    {
        private readonly string _runId = Guid.NewGuid().ToString("N")[..12];

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
                SessionId = sessionId,
                RunId = _runId,
                HarnessPid = self.Pid,
                HarnessStartTicks = self.StartTicks,
                BootId = self.BootId,
                SeenAt = now,
            }));
        }

        /// <summary>The tree is dead (killed and checked): its lines go.</summary>
        public void End() => record.Remove(_runId);
    }
}

/// <summary>What <see cref="ProcessRecord.KillSurvivors"/> did.</summary>
/// <param name="Killed">Every process killed (the survivors and their descendants), with its name when known.</param>
/// <param name="Survivors">Pids that were still alive after the kill; empty unless something is badly wrong.</param>
/// <param name="InsideSession">Set when nothing was done because this process runs inside that recorded session.</param>
internal sealed record SurvivorKill(IReadOnlyList<ProcessEntry> Killed, IReadOnlyList<int> Survivors, string? InsideSession)
{
    /// <summary>"3 processes (4242 claude, 4250 bash, 4251 sleep)".</summary>
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
        }

        return new HarnessIdentity(pid, ProcessTable.ReadOne(pid)?.StartTime, boot);
    });

    public static HarnessIdentity Current => Self.Value;
}
