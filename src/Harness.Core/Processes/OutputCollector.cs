using System.Text;

namespace Harness.Core.Processes;

/// <summary>
/// Gathers stdout and stderr from their reader tasks. Once sealed it ignores late writes: a grandchild
/// that kept the pipe open may still be printing after <see cref="ProcessRunner"/> has returned.
/// </summary>
internal sealed class OutputCollector
{
    private readonly object _gate = new();
    private readonly OutputTail _tail;
    private readonly StringBuilder? _stdout;
    private readonly StringBuilder? _stderr;
    private readonly LineSplitter _stdoutLines = new();
    private readonly LineSplitter _stderrLines = new();
    private bool _sealed;

    public OutputCollector(int tailLines, bool captureStdout, bool captureStderr)
    {
        _tail = new OutputTail(tailLines);
        _stdout = captureStdout ? new StringBuilder() : null;
        _stderr = captureStderr ? new StringBuilder() : null;
    }

    public void Append(bool isStdout, ReadOnlySpan<char> chars)
    {
        lock (_gate)
        {
            if (_sealed) return;
            (isStdout ? _stdout : _stderr)?.Append(chars);
            (isStdout ? _stdoutLines : _stderrLines).Feed(chars, _tail.Add);
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
}
