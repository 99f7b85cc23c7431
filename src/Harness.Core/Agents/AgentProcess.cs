using Harness.Core.Processes;

namespace Harness.Core.Agents;

/// <summary>
/// Runs an agent session's process through <see cref="ProcessRunner"/>: stdout parsed line by line into a
/// <see cref="StreamJsonSession"/> and copied to the transcript as it arrives, the last lines of stderr
/// kept, and the agent's descendants watched, so that whatever it started dies with the session (at the
/// timeout, on cancellation, and after a normal end alike).
/// </summary>
internal static class AgentProcess
{
    /// <summary>Enough of stderr to show why an agent failed; it travels with every session (summary, metrics line, events), so it stays small.</summary>
    internal const int StderrTailLines = 20;

    /// <param name="request">The session: working directory, environment, timeout, transcript.</param>
    /// <param name="executable">Name on the request's PATH, or a path.</param>
    /// <param name="arguments">Everything after the executable.</param>
    /// <param name="standardInput">Written to stdin, which is then closed; null: stdin is empty.</param>
    /// <param name="resultEventRequired">See <see cref="AgentOutcomeClassifier.Classify"/>.</param>
    /// <param name="progress">Gets the session's events as they are parsed.</param>
    /// <param name="ct">Kills the agent's tree; the result says Cancelled.</param>
    public static async Task<AgentSessionResult> RunAsync(
        AgentSessionRequest request,
        string executable,
        IReadOnlyList<string> arguments,
        string? standardInput,
        bool resultEventRequired,
        IProgress<AgentEvent>? progress,
        CancellationToken ct)
    {
        var session = new StreamJsonSession();
        if (ct.IsCancellationRequested)
            return AgentResults.Build(new ProcessResult { Cancelled = true }, "", session, transcriptPath: null, resultEventRequired, request.Prices);

        var environment = AgentResults.Environment(request);
        environment.TryGetValue("PATH", out var path);
        var spec = new ProcessSpec
        {
            FileName = CommandLine.ResolveExecutable(executable, path),
            Arguments = arguments,
            WorkingDirectory = request.WorkingDirectory,
            Environment = environment,
            StandardInput = standardInput,
            Timeout = request.Timeout ?? Timeout.InfiniteTimeSpan,
            WatchDescendants = true,
            DieWithHarness = true,
            Record = request.ProcessRecord,
            RecordRole = "agent",
        };

        var transcript = OpenTranscript(request.TranscriptPath);
        ProcessResult run;
        string stderrTail;
        await using (transcript)
        {
            var output = new LineStreamOutput(line => session.ParseLine(line, progress), session.CountSkipped, transcript, StderrTailLines);
            run = await ProcessRunner.RunAsync(spec, output, ct).ConfigureAwait(false);
            stderrTail = output.StandardErrorTail;
        }

        if (run.StartError is not null)
        {
            // Nothing ran, so no transcript: an empty file would read as a session that printed nothing.
            if (request.TranscriptPath is not null) File.Delete(request.TranscriptPath);
            run = run with { StartError = $"could not start '{spec.FileName}': {run.StartError}" };
        }

        return AgentResults.Build(run, stderrTail, session, request.TranscriptPath, resultEventRequired, request.Prices);
    }

    private static FileStream? OpenTranscript(string? transcriptPath)
    {
        if (transcriptPath is null) return null;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(transcriptPath))!);

        // Unbuffered: every read is written and flushed at once, so a crash loses nothing already printed.
        return new FileStream(transcriptPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1, useAsync: false);
    }
}
