namespace Harness.Core.Agents;

/// <summary>
/// Moves an agent's stdout into a <see cref="StreamJsonSession"/> line by line as it arrives, copying
/// the raw bytes to the transcript (flushed after every read, so a crash loses nothing already
/// printed). Memory is one read buffer plus the longest line, never the whole transcript.
/// </summary>
public static class StreamJsonPump
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>A line longer than this is copied to the transcript but not parsed (counted as skipped).</summary>
    internal const int MaxLineBytes = 64 * 1024 * 1024;

    public static async Task PumpAsync(Stream input, Stream? transcript, StreamJsonSession session, IProgress<AgentEvent>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(session);
        var buffer = new byte[InitialBufferSize];
        var filled = 0;      // bytes in buffer
        var scanned = 0;     // bytes already searched for '\n' (none before it in [0, scanned))
        var discarding = false; // inside an over-long line: drop until its newline

        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes)
                {
                    // Give up on this line; keep memory bounded.
                    discarding = true;
                    filled = scanned = 0;
                }
                else
                {
                    Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
                }
            }

            var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            if (transcript is not null)
            {
                await transcript.WriteAsync(buffer.AsMemory(filled, read), cancellationToken).ConfigureAwait(false);
                await transcript.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            filled += read;
            var lineStart = 0;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', scanned, filled - scanned);
                if (newline < 0)
                {
                    scanned = filled;
                    break;
                }

                if (discarding)
                {
                    discarding = false;
                    session.CountSkipped();
                }
                else
                {
                    session.ParseLine(buffer.AsMemory(lineStart, newline - lineStart), progress);
                }

                lineStart = scanned = newline + 1;
            }

            if (lineStart > 0)
            {
                // Keep the unfinished line at the front of the buffer.
                Buffer.BlockCopy(buffer, lineStart, buffer, 0, filled - lineStart);
                filled -= lineStart;
                scanned -= lineStart;
            }
        }

        if (filled > 0 && !discarding) session.ParseLine(buffer.AsMemory(0, filled), progress);
        else if (discarding) session.CountSkipped();
    }
}
