using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Harness.Core.Processes;

/// <summary>
/// Runs child processes: health checks, git and agents all go through here. Start (argument list or
/// raw Windows command line, working directory, environment set and removed), stdin text or empty,
/// an output sink, a timeout and cancellation that kill the whole tree, a bounded drain after exit,
/// and a start failure as a result rather than an exception.
/// </summary>
internal static class ProcessRunner
{
    /// <summary>
    /// How long to keep reading after the direct child is gone. A grandchild that inherited the
    /// pipe (<c>sleep 30 &amp;</c>) holds it open; waiting for EOF would wait for the grandchild.
    /// </summary>
    internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Bound on waiting for a SIGKILLed child to be reaped, so a stuck kill cannot hang us.</summary>
    private static readonly TimeSpan ExitAfterKillTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Bound on the chores after the drain (stdin writer, readers seeing the stop); each is quick unless broken.</summary>
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromMilliseconds(100);

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Blocking form of <see cref="RunAsync(ProcessSpec, CancellationToken)"/> for callers that have no async context.</summary>
    public static ProcessResult Run(ProcessSpec spec, CancellationToken ct = default) =>
        RunAsync(spec, ct).GetAwaiter().GetResult();

    /// <summary>
    /// Runs the process to completion, timeout or cancellation, collecting its output as
    /// <see cref="ProcessSpec"/> asks. Never throws for a process that fails to start or misbehaves;
    /// the result says what happened.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var output = new OutputCollector(spec.TailLines, spec.CaptureStandardOutput, spec.CaptureStandardError);
        var result = await RunAsync(spec, output, ct).ConfigureAwait(false);
        var (stdout, stderr, tail) = output.Seal();
        return result with { StandardOutput = stdout, StandardError = stderr, OutputTail = tail };
    }

    /// <summary>
    /// As <see cref="RunAsync(ProcessSpec, CancellationToken)"/>, with the output going to
    /// <paramref name="output"/>; the result's output fields stay empty.
    /// </summary>
    internal static async Task<ProcessResult> RunAsync(ProcessSpec spec, IProcessOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Timeout <= TimeSpan.Zero && spec.Timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Timeout, "Timeout must be positive or Timeout.InfiniteTimeSpan.");

        var stopwatch = Stopwatch.StartNew();
        if (ct.IsCancellationRequested)
            return new ProcessResult { Cancelled = true, Duration = stopwatch.Elapsed };

        // Dying with the harness: Linux, through setpriv, started from the one thread that lives as long as
        // the harness (ParentDeathSignal); a watched tree also carries a marker of its own and has the
        // harness as its subreaper, so its orphans stay findable (ProcessWatchdog).
        var tree = spec.DieWithHarness && spec.WatchDescendants ? ProcessMarker.NewTree() : (ProcessMarker?)null;
        var marked = tree is { } marker ? spec with { Environment = marker.AddTo(spec.Environment) } : spec;
        var dying = spec.DieWithHarness ? ParentDeathSignal.Wrap(marked) : null;
        using var subreaper = tree is not null ? ChildSubreaper.Enable() : null;
        using var process = new Process { StartInfo = BuildStartInfo(dying ?? marked) };
        try
        {
            var started = dying is not null ? await LauncherThread.Run(process.Start).ConfigureAwait(false) : process.Start();
            if (!started)
                return new ProcessResult { StartError = $"could not start '{spec.FileName}'", Duration = stopwatch.Elapsed };
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return new ProcessResult { StartError = ex.Message, Duration = stopwatch.Elapsed };
        }

        if (spec.DieWithHarness && OperatingSystem.IsWindows()) WindowsJob.Assign(process);
        var pid = process.Id;
        var record = spec.WatchDescendants && tree is { } recorded ? spec.Record?.Begin(spec.RecordRole, recorded.Value) : null;
        await using var watchdog = spec.WatchDescendants ? new ProcessWatchdog(pid, tree, record) : null;
        using var stopReading = new CancellationTokenSource();
        var stdoutReader = output.ReadStandardOutputAsync(process.StandardOutput.BaseStream, stopReading.Token);
        var stderrReader = output.ReadStandardErrorAsync(process.StandardError.BaseStream, stopReading.Token);
        var readers = Task.WhenAll(stdoutReader, stderrReader);
        var stdinWriter = ChildStreams.WriteStandardInputAsync(process.StandardInput, spec.StandardInput);

        using var timeout = new CancellationTokenSource();
        if (spec.Timeout != Timeout.InfiniteTimeSpan) timeout.CancelAfter(spec.Timeout);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);

        var killed = false;
        try
        {
            await process.WaitForExitAsync(stopWaiting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            killed = true;
        }

        // A watched child's leftovers die even after a normal exit; otherwise only a timeout or a cancel kills.
        var kill = watchdog is not null ? await watchdog.KillEverythingAsync().ConfigureAwait(false)
            : killed ? ProcessTree.KillTree(pid)
            : null;
        if (killed) await ChildStreams.WaitBoundedAsync(process.WaitForExitAsync(), ExitAfterKillTimeout).ConfigureAwait(false);

        // Output normally reaches EOF right after exit; only something that escaped the tree makes us give up on it.
        var drained = await ChildStreams.WaitBoundedAsync(readers, DrainTimeout).ConfigureAwait(false);
        var outputError = (stdoutReader.Exception ?? stderrReader.Exception)?.InnerException?.Message;
        stopReading.Cancel();
        await ChildStreams.WaitBoundedAsync(stdinWriter, CleanupTimeout).ConfigureAwait(false);
        if (!drained) await ChildStreams.WaitBoundedAsync(readers, CleanupTimeout).ConfigureAwait(false);

        // Process.Dispose leaves a stream alone once StandardOutput/StandardError has been touched,
        // so without this every run would leak the pipes' file descriptors.
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();

        // Everything the child started is dead (or reported as surviving): its record lines are done with.
        if (kill is { Survivors.Count: 0 }) record?.End();

        var cancelled = killed && ct.IsCancellationRequested;
        return new ProcessResult
        {
            ExitCode = killed || !process.HasExited ? null : process.ExitCode,
            TimedOut = killed && !cancelled,
            Cancelled = cancelled,
            Duration = stopwatch.Elapsed,
            ProcessId = pid,
            KilledProcesses = kill?.Killed ?? [],
            SurvivingProcesses = kill?.Survivors ?? [],
            OutputCutOff = !drained,
            OutputError = outputError,
        };
    }

    private static ProcessStartInfo BuildStartInfo(ProcessSpec spec)
    {
        var psi = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            // stdin is always redirected: an inherited console stdin would let a child block on a prompt.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            CreateNoWindow = true,
        };
        if (spec.RawArguments is not null)
        {
            if (spec.Arguments.Count > 0)
                throw new ArgumentException("Set either Arguments or RawArguments, not both.", nameof(spec));
            psi.Arguments = spec.RawArguments;
        }
        foreach (var argument in spec.Arguments) psi.ArgumentList.Add(argument);

        if (spec.Environment is not null)
        {
            foreach (var (name, value) in spec.Environment)
            {
                if (value is null) psi.Environment.Remove(name);
                else psi.Environment[name] = value;
            }
        }
        return psi;
    }
}
