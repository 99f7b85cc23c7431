using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Harness.Core.Processes;

/// <summary>Runs child processes. Every process the harness starts goes through here.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// How long to keep reading after the direct child is gone. A grandchild that inherited the
    /// pipe (<c>sleep 30 &amp;</c>) holds it open; waiting for EOF would wait for the grandchild.
    /// </summary>
    internal static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1.5);

    /// <summary>Bound on waiting for a SIGKILLed child to be reaped, so a stuck kill cannot hang us.</summary>
    private static readonly TimeSpan ExitAfterKillTimeout = TimeSpan.FromSeconds(5);

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Blocking form of <see cref="RunAsync"/> for callers that have no async context.</summary>
    public static ProcessResult Run(ProcessSpec spec, CancellationToken ct = default) =>
        RunAsync(spec, ct).GetAwaiter().GetResult();

    /// <summary>
    /// Runs the process to completion, timeout or cancellation. Never throws for a process that fails
    /// to start or misbehaves; the result says what happened.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Timeout <= TimeSpan.Zero && spec.Timeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Timeout, "Timeout must be positive or Timeout.InfiniteTimeSpan.");

        var stopwatch = Stopwatch.StartNew();
        if (ct.IsCancellationRequested)
            return new ProcessResult { Cancelled = true, Duration = stopwatch.Elapsed };

        using var process = new Process { StartInfo = BuildStartInfo(spec) };
        try
        {
            if (!process.Start())
                return new ProcessResult { StartError = $"could not start '{spec.FileName}'", Duration = stopwatch.Elapsed };
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new ProcessResult { StartError = ex.Message, Duration = stopwatch.Elapsed };
        }

        var pid = process.Id;
        var output = new OutputCollector(spec.TailLines, spec.CaptureStandardOutput, spec.CaptureStandardError);
        using var stopReading = new CancellationTokenSource();
        var readers = Task.WhenAll(
            ReadStreamAsync(process.StandardOutput, isStdout: true, output, stopReading.Token),
            ReadStreamAsync(process.StandardError, isStdout: false, output, stopReading.Token));
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
            ProcessTree.KillTree(pid);
            await ChildStreams.WaitBoundedAsync(process.WaitForExitAsync(), ExitAfterKillTimeout).ConfigureAwait(false);
        }

        // Output normally reaches EOF right after exit; only an escaped grandchild makes us give up on it.
        await ChildStreams.WaitBoundedAsync(readers, DrainTimeout).ConfigureAwait(false);
        stopReading.Cancel();
        var (stdout, stderr, tail) = output.Seal();
        await ChildStreams.WaitBoundedAsync(stdinWriter, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);

        var cancelled = killed && ct.IsCancellationRequested;
        return new ProcessResult
        {
            ExitCode = killed ? null : process.ExitCode,
            TimedOut = killed && !cancelled,
            Cancelled = cancelled,
            Duration = stopwatch.Elapsed,
            StandardOutput = stdout,
            StandardError = stderr,
            OutputTail = tail,
            ProcessId = pid,
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

    private static async Task ReadStreamAsync(StreamReader reader, bool isStdout, OutputCollector output, CancellationToken stop)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), stop).ConfigureAwait(false);
                if (read == 0) break;
                output.Append(isStdout, buffer.AsSpan(0, read));
            }
            output.Complete(isStdout);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped on purpose after the drain timeout, or the pipe broke; what was read is kept.
        }
        finally
        {
            // Process.Dispose leaves a stream alone once StandardOutput/StandardError has been
            // touched, so without this every run would leak the pipe's file descriptor.
            reader.Dispose();
        }
    }
}
