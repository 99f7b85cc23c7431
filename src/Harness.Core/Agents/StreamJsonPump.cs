using Harness.Core.Processes;

namespace Harness.Core.Agents;

/// <summary>
/// Moves an agent's stdout into a <see cref="StreamJsonSession"/> line by line as it arrives, copying
/// the raw bytes to the transcript. The same reading the agent adapters do through
/// <see cref="LineStreamOutput"/>, for a stream that is already at hand (a saved transcript, a benchmark).
/// </summary>
internal static class StreamJsonPump
{
    public static Task PumpAsync(Stream input, Stream? transcript, StreamJsonSession session, IProgress<AgentEvent>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(session);
        return Utf8LineReader.ReadAsync(input, transcript, line => session.ParseLine(line, progress), session.CountSkipped, cancellationToken);
    }
}
