namespace Harness.Core.Processes;

/// <summary>
/// Cuts a byte stream into lines as it arrives, without decoding: a consumer such as the stream-json
/// parser reads UTF-8 in place. Each read is first copied raw to <c>copy</c> (a transcript) and flushed,
/// so a crash loses nothing already printed. Memory is one read buffer plus the longest line (agents
/// print single lines of several MB), never the whole stream.
/// </summary>
internal static class Utf8LineReader
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>A line longer than this is copied but not handed on; <c>onOverlongLine</c> is called instead.</summary>
    internal const int MaxLineBytes = 64 * 1024 * 1024;

    /// <param name="input">The stream to read to its end.</param>
    /// <param name="copy">Receives every byte read, flushed after each read; null: no copy.</param>
    /// <param name="onLine">Each line without its '\n'; the memory is reused after the call returns.</param>
    /// <param name="onOverlongLine">Called once per line dropped for being longer than <see cref="MaxLineBytes"/>.</param>
    /// <param name="cancellationToken">Stops reading; what was handed on stays handed on.</param>
    public static async Task ReadAsync(Stream input, Stream? copy, Action<ReadOnlyMemory<byte>> onLine, Action onOverlongLine, CancellationToken cancellationToken)
    {
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
            if (copy is not null)
            {
                await copy.WriteAsync(buffer.AsMemory(filled, read), cancellationToken).ConfigureAwait(false);
                await copy.FlushAsync(cancellationToken).ConfigureAwait(false);
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
                    onOverlongLine();
                }
                else
                {
                    onLine(buffer.AsMemory(lineStart, newline - lineStart));
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

        if (discarding) onOverlongLine();
        else if (filled > 0) onLine(buffer.AsMemory(0, filled));
    }
}
