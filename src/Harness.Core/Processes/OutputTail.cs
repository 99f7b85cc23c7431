using System.Text;

namespace Harness.Core.Processes;

/// <summary>
/// The last N lines of a process's output in a fixed ring, so a process that prints for hours
/// costs the same memory as one that prints a page.
/// </summary>
internal sealed class OutputTail
{
    /// <summary>Longer lines are cut: a single huge line (minified JSON, a progress bar without newlines) must not defeat the bound.</summary>
    internal const int MaxLineLength = 4000;

    private readonly string[] _ring;
    private int _next;
    private int _count;

    public OutputTail(int capacity) => _ring = new string[Math.Max(0, capacity)];

    public void Add(string line)
    {
        if (_ring.Length == 0) return;
        _ring[_next] = line;
        _next = (_next + 1) % _ring.Length;
        if (_count < _ring.Length) _count++;
    }

    /// <summary>Lines oldest first, joined with '\n', no trailing newline.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var start = (_next - _count + _ring.Length) % Math.Max(1, _ring.Length);
        for (var i = 0; i < _count; i++)
        {
            if (i > 0) text.Append('\n');
            text.Append(_ring[(start + i) % _ring.Length]);
        }
        return text.ToString();
    }
}

/// <summary>
/// Cuts one stream's characters into lines for the shared tail. Each stream has its own splitter so a
/// half line on stdout is not glued to a line from stderr.
/// </summary>
internal sealed class LineSplitter
{
    private readonly StringBuilder _partial = new();
    private bool _truncated;

    /// <summary>Feeds characters; calls <paramref name="onLine"/> for each line completed.</summary>
    public void Feed(ReadOnlySpan<char> chars, Action<string> onLine)
    {
        while (!chars.IsEmpty)
        {
            var newline = chars.IndexOf('\n');
            var piece = newline < 0 ? chars : chars[..newline];
            Append(piece);
            if (newline < 0) return;
            onLine(TakeLine());
            chars = chars[(newline + 1)..];
        }
    }

    /// <summary>Emits an unterminated last line, if any.</summary>
    public void Flush(Action<string> onLine)
    {
        if (_partial.Length > 0 || _truncated) onLine(TakeLine());
    }

    private void Append(ReadOnlySpan<char> piece)
    {
        var room = OutputTail.MaxLineLength - _partial.Length;
        if (piece.Length > room)
        {
            _partial.Append(piece[..Math.Max(0, room)]);
            _truncated = true;
        }
        else
        {
            _partial.Append(piece);
        }
    }

    private string TakeLine()
    {
        if (_partial.Length > 0 && _partial[^1] == '\r') _partial.Length--;
        var line = _truncated ? _partial.Append('…').ToString() : _partial.ToString();
        _partial.Clear();
        _truncated = false;
        return line;
    }
}
