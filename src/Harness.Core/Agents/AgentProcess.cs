using Harness.Core.Processes;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Harness.Core.Agents;

/// <summary>What to start for an agent session (built by an adapter).</summary>
internal sealed record AgentLaunch
{
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public required string WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Written to stdin, which is then closed; null: stdin is closed at once (empty, like /dev/null).</summary>
    public string? StandardInput { get; init; }

    public TimeSpan? Timeout { get; init; }

    public string? TranscriptPath { get; init; }
}

/// <summary>What happened to the process; the adapter classifies it.</summary>
internal sealed record AgentProcessResult
{
    public int? ExitCode { get; init; }

    public bool TimedOut { get; init; }

    public bool Cancelled { get; init; }

    public string? StartError { get; init; }

    public TimeSpan Duration { get; init; }

    public string StandardErrorTail { get; init; } = "";

    public IReadOnlyList<int> Killed { get; init; } = [];

    public IReadOnlyList<int> Survivors { get; init; } = [];

    public string? ReadError { get; init; }
}

/// <summary>
/// Starts an agent process under the watchdog: stdout streamed into a <see cref="StreamJsonSession"/>
/// and the transcript, stderr tail kept, session timeout and cancellation kill the whole tree, and
/// whatever the agent left running when it exited is killed too.
/// </summary>
internal static class AgentProcess
{
    /// <summary>How long to keep reading after the tree is gone (a pipe held by something we could not kill).</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1.5);

    private static readonly TimeSpan ExitAfterKillTimeout = TimeSpan.FromSeconds(5);

    private const int StderrTailChars = 8 * 1024;

    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    public static async Task<AgentProcessResult> RunAsync(AgentLaunch launch, StreamJsonSession session, IProgress<AgentEvent>? progress, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        if (ct.IsCancellationRequested) return new AgentProcessResult { Cancelled = true };

        FileStream? transcript = null;
        if (launch.TranscriptPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(launch.TranscriptPath))!);
            transcript = new FileStream(launch.TranscriptPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: false);
        }

        await using var transcriptScope = transcript;
        using var process = new Process { StartInfo = BuildStartInfo(launch) };
        try
        {
            if (!process.Start()) return new AgentProcessResult { StartError = $"could not start '{launch.FileName}'", Duration = stopwatch.Elapsed };
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException)
        {
            if (transcript is not null)
            {
                await transcript.DisposeAsync().ConfigureAwait(false);
                File.Delete(launch.TranscriptPath!);
            }

            return new AgentProcessResult { StartError = $"could not start '{launch.FileName}': {ex.Message}", Duration = stopwatch.Elapsed };
        }

        var pid = process.Id;
        await using var watchdog = new AgentWatchdog(pid);
        using var stopReading = new CancellationTokenSource();
        var stdout = process.StandardOutput.BaseStream;
        var pump = StreamJsonPump.PumpAsync(stdout, transcript, session, progress, stopReading.Token);
        var stderrTail = new StringBuilder();
        var stderr = ReadTailAsync(process.StandardError, stderrTail, stopReading.Token);
        var stdin = ChildStreams.WriteStandardInputAsync(process.StandardInput, launch.StandardInput);

        using var timeout = new CancellationTokenSource();
        if (launch.Timeout is { } limit) timeout.CancelAfter(limit);
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

        // Killed or not: nothing the agent started may outlive the session.
        var kill = await watchdog.KillEverythingAsync().ConfigureAwait(false);
        if (killed) await ChildStreams.WaitBoundedAsync(process.WaitForExitAsync(), ExitAfterKillTimeout).ConfigureAwait(false);

        string? readError = null;
        try
        {
            await pump.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            readError = "stdout was still open after the agent's tree was killed; stopped reading";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            readError = "reading the agent's output failed: " + ex.Message;
        }

        await ChildStreams.WaitBoundedAsync(stderr, TimeSpan.FromMilliseconds(200)).ConfigureAwait(false);
        stopReading.Cancel();
        await ChildStreams.WaitBoundedAsync(stdin, TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);

        // Process.Dispose leaves streams alone once they were touched: close the pipes ourselves.
        stdout.Dispose();
        process.StandardError.Dispose();

        string tail;
        lock (stderrTail) tail = stderrTail.ToString();
        var cancelled = killed && ct.IsCancellationRequested;
        return new AgentProcessResult
        {
            ExitCode = killed || !process.HasExited ? null : process.ExitCode,
            TimedOut = killed && !cancelled,
            Cancelled = cancelled,
            Duration = stopwatch.Elapsed,
            StandardErrorTail = tail,
            Killed = kill.Killed,
            Survivors = kill.Survivors,
            ReadError = readError,
        };
    }

    private static ProcessStartInfo BuildStartInfo(AgentLaunch launch)
    {
        var psi = new ProcessStartInfo(launch.FileName)
        {
            WorkingDirectory = launch.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            CreateNoWindow = true,
        };
        foreach (var argument in launch.Arguments) psi.ArgumentList.Add(argument);
        if (launch.Environment is not null)
        {
            foreach (var (name, value) in launch.Environment)
            {
                if (value is null) psi.Environment.Remove(name);
                else psi.Environment[name] = value;
            }
        }

        return psi;
    }

    private static async Task ReadTailAsync(StreamReader reader, StringBuilder tail, CancellationToken stop)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), stop).ConfigureAwait(false);
                if (read == 0) break;
                lock (tail)
                {
                    tail.Append(buffer, 0, read);
                    if (tail.Length > StderrTailChars) tail.Remove(0, tail.Length - StderrTailChars);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped on purpose or the pipe broke; the tail so far is kept.
        }
    }
}
