namespace Harness.Core.Processes;

/// <summary>
/// Output for a child whose stdout is consumed as it arrives (an agent's stream-json): stdout line by
/// line as raw UTF-8 through <see cref="Utf8LineReader"/>, copied to a transcript if one is given;
/// stderr only as its last lines, for error reports.
/// </summary>
internal sealed class LineStreamOutput(Action<ReadOnlyMemory<byte>> onLine, Action onOverlongLine, Stream? copy, int stderrTailLines) : IProcessOutput
{
    private readonly OutputCollector _stderr = new(stderrTailLines, captureStdout: false, captureStderr: false);

    /// <summary>The last lines of stderr; call once the run is over.</summary>
    public string StandardErrorTail => _stderr.Seal().Tail;

    public Task ReadStandardOutputAsync(Stream stdout, CancellationToken stop) =>
        Utf8LineReader.ReadAsync(stdout, copy, onLine, onOverlongLine, stop);

    public Task ReadStandardErrorAsync(Stream stderr, CancellationToken stop) => _stderr.ReadStandardErrorAsync(stderr, stop);
}
