using System.Text;

namespace Harness.Core.Processes;

/// <summary>
/// The default output: stdout and stderr decoded as UTF-8, kept whole if asked, and the last lines of
/// both in one tail. Once sealed it ignores late writes: a grandchild that kept the pipe open may still
/// be printing after <see cref="ProcessRunner"/> has returned.
/// </summary>
internal sealed class OutputCollector : IProcessOutput
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly object _gate = new();
    private readonly OutputTail _tail;
    private readonly bool _keepsTail;
    private readonly StringBuilder? _stdout;
    private readonly StringBuilder? _stderr;
    private readonly LineSplitter _stdoutLines = new();
    private readonly LineSplitter _stderrLines = new();
    private bool _sealed;

    public OutputCollector(int tailLines, bool captureStdout, bool captureStderr)
    {
        _tail = new OutputTail(tailLines);
        _keepsTail = tailLines > 0;
        _stdout = captureStdout ? new StringBuilder() : null;
        _stderr = captureStderr ? new StringBuilder() : null;
    }

    public Task ReadStandardOutputAsync(Stream stdout, CancellationToken stop) => ReadAsync(stdout, isStdout: true, stop);

    public Task ReadStandardErrorAsync(Stream stderr, CancellationToken stop) => ReadAsync(stderr, isStdout: false, stop);

    public void Append(bool isStdout, ReadOnlySpan<char> chars)
    {
        lock (_gate)
        {
            if (_sealed) return;
            (isStdout ? _stdout : _stderr)?.Append(chars);

            // Git keeps no tail; cutting its (large) output into lines would be work thrown away.
            if (_keepsTail) (isStdout ? _stdoutLines : _stderrLines).Feed(chars, _tail.Add);
        }
    }

    /// <summary>The stream reached EOF: its unterminated last line, if any, joins the tail now, in order.</summary>
    public void Complete(bool isStdout)
    {
        lock (_gate)
        {
            if (!_sealed) (isStdout ? _stdoutLines : _stderrLines).Flush(_tail.Add);
        }
    }

    /// <summary>Stops accepting output and returns what was gathered, including half lines still pending.</summary>
    public (string Stdout, string Stderr, string Tail) Seal()
    {
        lock (_gate)
        {
            if (!_sealed)
            {
                _stdoutLines.Flush(_tail.Add);
                _stderrLines.Flush(_tail.Add);
                _sealed = true;
            }
            return (_stdout?.ToString() ?? "", _stderr?.ToString() ?? "", _tail.ToString());
        }
    }

    private async Task ReadAsync(Stream stream, bool isStdout, CancellationToken stop)
    {
        // detectEncodingFromByteOrderMarks as Process's own readers do, so output reads the same as before.
        using var reader = new StreamReader(stream, Utf8, detectEncodingFromByteOrderMarks: true, bufferSize: 4096, leaveOpen: true);
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), stop).ConfigureAwait(false);
                if (read == 0) break;
                Append(isStdout, buffer.AsSpan(0, read));
            }
            Complete(isStdout);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Stopped on purpose after the drain bound, or the pipe broke; what was read is kept.
        }
    }
}
