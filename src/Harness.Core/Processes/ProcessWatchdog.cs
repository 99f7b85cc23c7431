namespace Harness.Core.Processes;

/// <summary>
/// Keeps track of every process a child starts, so that all of them can be killed when it ends, times
/// out or is cancelled (<see cref="ProcessSpec.WatchDescendants"/>; agents). Claude Code's Bash tool runs
/// commands in their own session, and a process whose parent died is re-parented away from the agent,
/// where a walk down from the agent's pid no longer finds it; so the tree is snapshotted by parent pid
/// while the child runs, and everything ever seen in it is killed at the end (if it is still the same
/// process: pids are recycled). While the harness is a subreaper (<see cref="ChildSubreaper"/>), an
/// orphan is re-parented to the harness itself; a child of the harness that carries the child's
/// <see cref="ProcessMarker"/> is then taken as part of the tree. What is seen goes to the
/// <see cref="ProcessRecord"/> at once, for the next run to kill should the harness be killed.
/// </summary>
internal sealed class ProcessWatchdog : IAsyncDisposable
{
    /// <summary>How often the tree is snapshotted. A process that is born and orphaned within one interval can escape.</summary>
    internal static TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a marked tree runs before the first snapshot (see <see cref="SnapshotLoopAsync"/>).</summary>
    private static readonly TimeSpan FirstLookDelay = TimeSpan.FromMilliseconds(50);

    private readonly int _rootPid;
    private readonly ProcessMarker? _marker;
    private readonly ProcessRecord.Run? _record;
    private readonly Dictionary<int, ProcessEntry> _seen = new();

    /// <summary>Children of the harness already found not to carry the marker (pid and start time), so each environment is read once.</summary>
    private readonly HashSet<(int Pid, long? StartTime)> _notOurs = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ProcessEntry? _root;

    /// <param name="rootPid">The child.</param>
    /// <param name="marker">The variable its whole tree carries, which claims orphans re-parented to the harness; null: none.</param>
    /// <param name="record">Where each process is written as it is first seen; null: nowhere.</param>
    public ProcessWatchdog(int rootPid, ProcessMarker? marker = null, ProcessRecord.Run? record = null)
    {
        _rootPid = rootPid;
        _marker = marker;
        _record = record;
        if (record is not null && ProcessTable.ReadOne(rootPid) is { } root)
        {
            // Before anything else: a harness killed a moment from now leaves at least this behind.
            _root = root;
            record.Add([root]);
        }

        _loop = CanSnapshot ? Task.Run(SnapshotLoopAsync) : Task.CompletedTask;
    }

    private static bool CanSnapshot => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Takes one snapshot now.</summary>
    /// <returns>The table the snapshot read, for a caller that needs one as of now.</returns>
    private ProcessTable Snapshot()
    {
        var table = ProcessTable.Read();
        var found = new List<ProcessEntry>();
        lock (_gate)
        {
            if (_root is null && table.TryGet(_rootPid, out var root))
            {
                _root = root;
                found.Add(root);
            }

            var roots = new List<int> { _rootPid };
            foreach (var entry in _seen.Values)
            {
                if (table.TryGet(entry.Pid, out var now) && ProcessTable.IsSameProcess(entry, now)) roots.Add(entry.Pid);
            }

            roots.AddRange(ReparentedToHarness(table));
            foreach (var pid in roots.Skip(1).Where(pid => !_seen.ContainsKey(pid)))
            {
                if (table.TryGet(pid, out var orphan) && _seen.TryAdd(pid, orphan)) found.Add(orphan);
            }

            foreach (var entry in table.DescendantsOf(roots))
            {
                if (entry.Pid != _rootPid && _seen.TryAdd(entry.Pid, entry)) found.Add(entry);
            }
        }

        _record?.Add(found);
        return table;
    }

    /// <summary>
    /// Children of the harness (orphans re-parented to it as a subreaper) that carry the marker and
    /// are not yet known: part of this tree, whose parent died before a snapshot saw them.
    /// </summary>
    private List<int> ReparentedToHarness(ProcessTable table)
    {
        var claimed = new List<int>();
        if (_marker is not { } marker || !OperatingSystem.IsLinux())
        {
            return claimed;
        }

        foreach (var child in table.ChildrenOf(Environment.ProcessId))
        {
            if (child.Pid == _rootPid || child.IsZombie || _seen.ContainsKey(child.Pid) || _notOurs.Contains((child.Pid, child.StartTime)))
            {
                continue;
            }

            if (marker.IsCarriedBy(child.Pid))
            {
                claimed.Add(child.Pid);
            }
            else
            {
                _notOurs.Add((child.Pid, child.StartTime));
            }
        }

        return claimed;
    }

    /// <summary>
    /// Stops watching and kills the child and everything seen below it that is still alive, then checks
    /// on a fresh table that none survived.
    /// </summary>
    public async Task<ProcessTreeKillResult> KillEverythingAsync()
    {
        await StopAsync().ConfigureAwait(false);
        return await Task.Run(KillEverything).ConfigureAwait(false);
    }

    private ProcessTreeKillResult KillEverything()
    {
        // No process table to snapshot here (Windows): the tree kill is all there is.
        if (!CanSnapshot) return ProcessTree.KillTree(_rootPid);

        // A last look while the root may still be alive, then kill root-first so nothing new is started.
        // Tables are read again only after a kill: a check whose tree is gone already (the usual
        // end of a health check) costs this one read.
        var table = Snapshot();
        var killed = new List<int>();
        List<ProcessEntry> targets;
        lock (_gate)
        {
            targets = _seen.Values.ToList();
        }

        if (_root is { } root && table.IsAlive(root))
        {
            var result = ProcessTree.KillTree(_rootPid);
            killed.AddRange(result.Killed);
            table = ProcessTable.Read();
        }

        foreach (var entry in targets)
        {
            if (!table.IsAlive(entry)) continue;
            var result = ProcessTree.KillTree(entry.Pid);
            killed.AddRange(result.Killed.Where(pid => !killed.Contains(pid)));
            table = ProcessTable.Read();
        }

        // Verify: nothing the child ever started is still running.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        List<int> survivors;
        while (true)
        {
            survivors = targets.Where(table.IsAlive).Select(e => e.Pid).ToList();
            if (_root is { } r && table.IsAlive(r)) survivors.Insert(0, r.Pid);
            if (survivors.Count == 0 || DateTime.UtcNow > deadline) break;
            Thread.Sleep(20);
            table = ProcessTable.Read();
        }

        // Orphans re-parented to the harness are its zombies now; .NET reaps only what it started (the root).
        var self = Environment.ProcessId;
        ChildSubreaper.Reap(targets.Where(e => table.TryGet(e.Pid, out var now) && now.IsZombie && now.ParentPid == self && ProcessTable.IsSameProcess(e, now)).Select(e => e.Pid));
        return new ProcessTreeKillResult(killed, survivors);
    }

    private async Task SnapshotLoopAsync()
    {
        // With a marker on Linux the harness is the tree's subreaper: whatever the child starts stays
        // findable at the last look (below the child, or re-parented to the harness and marked), so
        // the first look waits a little and a child that ends at once (most health checks) costs one
        // process-table read instead of two.
        if (_marker is not null && OperatingSystem.IsLinux())
        {
            try
            {
                await Task.Delay(FirstLookDelay, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        while (!_stop.IsCancellationRequested)
        {
            try
            {
                _ = Snapshot();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // A transient read failure; the next snapshot tries again.
            }

            try
            {
                await Task.Delay(SnapshotInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) _stop.Cancel();
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
