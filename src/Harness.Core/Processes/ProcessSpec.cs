namespace Harness.Core.Processes;

/// <summary>What to run. Every child process the harness starts goes through <c>ProcessRunner</c>.</summary>
internal sealed record ProcessSpec
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// A command line passed verbatim instead of <see cref="Arguments"/>. Only for Windows programs such as
    /// cmd.exe that do not parse their command line by the quoting rules <see cref="Arguments"/> applies.
    /// </summary>
    public string? RawArguments { get; init; }

    public required string WorkingDirectory { get; init; }

    /// <summary>Variables to set for the child; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Hard limit: past it the whole process tree is killed and the result says TimedOut.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Text written to the child's stdin, which is then closed. Null: stdin is empty (closed at once).</summary>
    public string? StandardInput { get; init; }

    /// <summary>Keep the whole of stdout in <see cref="ProcessResult.StandardOutput"/> (git needs it; health checks do not).</summary>
    public bool CaptureStandardOutput { get; init; } = true;

    /// <summary>Keep the whole of stderr in <see cref="ProcessResult.StandardError"/>.</summary>
    public bool CaptureStandardError { get; init; } = true;

    /// <summary>How many trailing lines of combined stdout+stderr to keep in <see cref="ProcessResult.OutputTail"/>.</summary>
    public int TailLines { get; init; } = 40;

    /// <summary>
    /// Snapshot the child's descendants while it runs and kill every one still alive when it ends, even
    /// after a normal exit (agents: their tool commands run in sessions of their own and are re-parented
    /// away from the agent once it dies, where a kill that walks down from its pid cannot find them).
    /// Costs a process-table scan at start and every <see cref="ProcessWatchdog.SnapshotInterval"/>, so it
    /// is for long-lived children; without it a timeout or cancellation kills the tree as it is at that moment.
    /// </summary>
    internal bool WatchDescendants { get; init; }

    /// <summary>
    /// The child dies with the harness, however the harness ends: Linux, a parent-death signal set by
    /// setpriv before the program runs (<see cref="ParentDeathSignal"/>); Windows, a kill-on-close job
    /// (<see cref="WindowsJob"/>). For agents and health checks, never for git: a git killed mid-write
    /// leaves its lock files behind. With <see cref="WatchDescendants"/>, the harness is also the tree's
    /// subreaper while it runs (<see cref="ChildSubreaper"/>) and the tree carries a marker
    /// (<see cref="ProcessMarker.TreeVariable"/>), so orphans re-parented to the harness are claimed.
    /// </summary>
    internal bool DieWithHarness { get; init; }

    /// <summary>Where the child's tree is recorded as it is seen (with <see cref="WatchDescendants"/>), for crash recovery; null: not recorded.</summary>
    internal ProcessRecord? Record { get; init; }

    /// <summary>What the record calls the child: <c>agent</c>, <c>health_check</c>.</summary>
    internal string RecordRole { get; init; } = "child";
}

/// <summary>How a child process ended.</summary>
internal sealed record ProcessResult
{
    /// <summary>Null when the process was killed (timeout or cancellation) or could not start.</summary>
    public int? ExitCode { get; init; }

    public bool TimedOut { get; init; }

    public bool Cancelled { get; init; }

    /// <summary>Set when the program could not be started at all (not found, not executable).</summary>
    public string? StartError { get; init; }

    public TimeSpan Duration { get; init; }

    public string StandardOutput { get; init; } = "";

    public string StandardError { get; init; } = "";

    /// <summary>The last <see cref="ProcessSpec.TailLines"/> lines of stdout and stderr, interleaved as they arrived.</summary>
    public string OutputTail { get; init; } = "";

    public int ProcessId { get; init; }

    /// <summary>Pids of the tree that were killed (timeout, cancellation, or leftovers of a watched child), root first.</summary>
    public IReadOnlyList<int> KilledProcesses { get; init; } = [];

    /// <summary>Pids still alive after the kill gave up; empty unless something is badly wrong.</summary>
    public IReadOnlyList<int> SurvivingProcesses { get; init; } = [];

    /// <summary>
    /// Output was still open when the drain bound ran out after the child was gone (something that
    /// escaped the tree holds the pipe), so reading stopped there; what arrived before is kept.
    /// </summary>
    public bool OutputCutOff { get; init; }

    /// <summary>Why reading the output failed (for example a transcript that could not be written), if it did.</summary>
    public string? OutputError { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut && !Cancelled && StartError is null;
}
