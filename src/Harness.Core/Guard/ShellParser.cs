using System.Text;

namespace Harness.Core.Guard;

/// <summary>One word of a shell command after quote removal.</summary>
/// <param name="Text">The word with quotes and escapes removed; expansions are kept as written (<c>$HOME</c>).</param>
/// <param name="HasExpansion">The word's value is only known at run time: <c>$x</c>, <c>${x}</c>, <c>$(...)</c>, backticks, <c>~</c>, <c>$'..'</c>.</param>
/// <param name="HasGlob">An unquoted <c>*</c>, <c>?</c> or <c>[</c>: the shell may turn it into other words.</param>
/// <param name="AssignmentName">For <c>NAME=value</c> (NAME unquoted): NAME; else null.</param>
internal sealed record ShellWord(string Text, bool HasExpansion, bool HasGlob, string? AssignmentName)
{
    public bool IsLiteral => !HasExpansion && !HasGlob;

    public override string ToString() => Text;
}

/// <summary>A redirection: <c>&gt; file</c>, <c>2&gt;&amp;1</c>, <c>&lt;&lt;EOF</c>.</summary>
/// <param name="Operator">The operator without the file descriptor number: <c>&gt;</c>, <c>&gt;&gt;</c>, <c>&lt;</c>, <c>&gt;&amp;</c>, <c>&amp;&gt;</c>, <c>&lt;&lt;</c>, ...</param>
/// <param name="Target">The file, descriptor or here-document delimiter word.</param>
internal sealed record ShellRedirection(string Operator, ShellWord Target)
{
    /// <summary>True when the redirection may create or change a file.</summary>
    public bool Writes => Operator is ">" or ">>" or ">|" or "&>" or "&>>" or "<>" || (Operator == ">&" && !IsDescriptor(Target.Text));

    private static bool IsDescriptor(string text) => text == "-" || (text.Length > 0 && text.All(char.IsAsciiDigit));
}

/// <summary>A simple command: words (assignments, program, arguments) and its redirections.</summary>
internal sealed class ShellSimpleCommand
{
    public List<ShellWord> Words { get; } = [];

    public List<ShellRedirection> Redirections { get; } = [];

    /// <summary>Nesting: 0 for the top level, 1 inside one <c>$(...)</c>, backticks or <c>( ... )</c>, and so on.</summary>
    public int Depth { get; init; }

    public override string ToString() => string.Join(' ', Words.Select(w => w.Text));
}

/// <summary>The simple commands of a command line, or why it could not be parsed.</summary>
internal sealed class ShellParseResult
{
    public bool Success => Error is null;

    public string? Error { get; init; }

    public IReadOnlyList<ShellSimpleCommand> Commands { get; init; } = [];
}

/// <summary>
/// Splits a bash command line into its simple commands, the way bash would: lists (<c>&amp;&amp;</c>,
/// <c>||</c>, <c>;</c>, <c>&amp;</c>, newlines), pipelines (<c>|</c>, <c>|&amp;</c>), subshells,
/// command substitution (<c>$(...)</c>, backticks, also inside double quotes), process substitution,
/// quotes and escapes, redirections and here-documents. Commands nested in substitutions are
/// returned as commands of their own, because they run. Anything it cannot be sure about
/// (unbalanced quotes, <c>case</c>, function definitions, substitutions hidden in arithmetic or
/// parameter expansions) is an error: the guard blocks what it cannot read.
/// </summary>
internal sealed class ShellParser
{
    private const int MaxDepth = 16;
    private readonly string _s;
    private readonly int _depth;
    private readonly List<ShellSimpleCommand> _commands;
    private readonly List<PendingHeredoc> _pendingHeredocs = [];
    private int _i;

    private ShellParser(string text, int depth, List<ShellSimpleCommand> commands)
    {
        _s = text;
        _depth = depth;
        _commands = commands;
    }

    public static ShellParseResult Parse(string command)
    {
        var commands = new List<ShellSimpleCommand>();
        try
        {
            var parser = new ShellParser(command, 0, commands);
            parser.ParseList(terminator: null);
            return new ShellParseResult { Commands = commands };
        }
        catch (ShellSyntaxException ex)
        {
            return new ShellParseResult { Error = ex.Message, Commands = commands };
        }
    }

    // A class, not a value tuple: generics over value types are not precompiled across assemblies.
    private sealed record PendingHeredoc(string Delimiter, bool Strip, bool Quoted);

    private sealed class ShellSyntaxException(string message) : Exception(message);

    private static ShellSyntaxException Syntax(string message) => new(message);

    private bool AtEnd => _i >= _s.Length;

    private char Peek(int ahead = 0) => _i + ahead < _s.Length ? _s[_i + ahead] : '\0';

    /// <summary>Parses commands until the end, or until <paramref name="terminator"/> (')') which is left unconsumed.</summary>
    private void ParseList(char? terminator)
    {
        if (_depth > MaxDepth)
        {
            throw Syntax("commands nested too deeply");
        }

        ShellSimpleCommand? current = null;
        var doubleBracket = false;
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                if (terminator is not null)
                {
                    throw Syntax("missing ')'");
                }

                if (_pendingHeredocs.Count > 0)
                {
                    throw Syntax($"here-document '{_pendingHeredocs[0].Delimiter}' has no body");
                }

                if (doubleBracket)
                {
                    throw Syntax("'[[' without ']]'");
                }

                End(ref current);
                return;
            }

            var c = Peek();
            if (doubleBracket && c is '&' or '|' or '<' or '>' or '(' or ')' or '!')
            {
                // Inside [[ ]] these are operators of the test, not of the shell.
                var start = _i;
                while (!AtEnd && Peek() is '&' or '|' or '<' or '>' or '(' or ')' or '!')
                {
                    _i++;
                }

                current!.Words.Add(new ShellWord(_s[start.._i], false, false, null));
                continue;
            }

            switch (c)
            {
                case '#':
                    while (!AtEnd && Peek() != '\n')
                    {
                        _i++;
                    }

                    continue;
                case '\n':
                    _i++;
                    End(ref current);
                    ReadHeredocBodies();
                    continue;
                case ';':
                    if (Peek(1) == ';' || Peek(1) == '&')
                    {
                        throw Syntax("';;' outside a case statement");
                    }

                    _i++;
                    End(ref current);
                    continue;
                case '&':
                    if (Peek(1) == '>')
                    {
                        break; // &> redirection
                    }

                    _i += Peek(1) == '&' ? 2 : 1;
                    End(ref current);
                    continue;
                case '|':
                    _i += Peek(1) is '|' or '&' ? 2 : 1;
                    End(ref current);
                    continue;
                case '(':
                    if (current is not null && current.Words.Count > 0)
                    {
                        throw Syntax("unexpected '(' (function definitions and arrays are not supported)");
                    }

                    if (Peek(1) == '(')
                    {
                        throw Syntax("arithmetic commands '((...))' are not supported");
                    }

                    _i++;
                    var sub = new ShellParser(_s, _depth + 1, _commands) { _i = _i };
                    sub.ParseList(')');
                    _i = sub._i + 1;
                    continue;
                case ')':
                    if (terminator == ')')
                    {
                        if (_pendingHeredocs.Count > 0)
                        {
                            throw Syntax($"here-document '{_pendingHeredocs[0].Delimiter}' has no body");
                        }

                        End(ref current);
                        return;
                    }

                    throw Syntax("unbalanced ')'");
            }

            current ??= new ShellSimpleCommand { Depth = _depth };
            if (TryReadRedirection(current))
            {
                continue;
            }

            var word = ReadWord();
            if (current.Words.Count == 0 && word.Text == "[[" && word.IsLiteral)
            {
                doubleBracket = true;
            }
            else if (doubleBracket && word.Text == "]]" && word.IsLiteral)
            {
                doubleBracket = false;
            }

            current.Words.Add(word);
        }
    }

    private void End(ref ShellSimpleCommand? current)
    {
        if (current is not null && (current.Words.Count > 0 || current.Redirections.Count > 0))
        {
            _commands.Add(current);
        }

        current = null;
    }

    private void SkipBlanks()
    {
        while (!AtEnd)
        {
            var c = Peek();
            if (c is ' ' or '\t' or '\r')
            {
                _i++;
            }
            else if (c == '\\' && Peek(1) == '\n')
            {
                _i += 2;
            }
            else
            {
                return;
            }
        }
    }

    private static bool IsMeta(char c) => c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

    private bool TryReadRedirection(ShellSimpleCommand current)
    {
        var start = _i;
        while (!AtEnd && char.IsAsciiDigit(Peek()))
        {
            _i++;
        }

        if (Peek() == '{' && _i == start)
        {
            // {fd}> named descriptors: not worth supporting; a plain word otherwise.
        }

        string? op = null;
        var rest = _s.AsSpan(_i);
        foreach (var candidate in Operators)
        {
            if (rest.StartsWith(candidate, StringComparison.Ordinal))
            {
                op = candidate;
                break;
            }
        }

        if (op is null || (op.StartsWith('&') && _i != start))
        {
            _i = start;
            return false;
        }

        _i += op.Length;
        if (op is "<(" or ">(")
        {
            if (_i - op.Length != start)
            {
                throw Syntax("unexpected process substitution");
            }

            var sub = new ShellParser(_s, _depth + 1, _commands) { _i = _i };
            sub.ParseList(')');
            _i = sub._i + 1;

            // The substitution stands for a file name argument: a word whose value is unknown.
            current.Words.Add(new ShellWord(op + "...)", true, false, null));
            return true;
        }

        SkipBlanks();
        if (AtEnd || IsMeta(Peek()))
        {
            throw Syntax($"redirection '{op}' without a target");
        }

        if (op is "<<" or "<<-")
        {
            var quoted = false;
            var delimiter = ReadWord(trackQuotes: q => quoted |= q);
            _pendingHeredocs.Add(new PendingHeredoc(delimiter.Text, op == "<<-", quoted));
            current.Redirections.Add(new ShellRedirection(op, delimiter));
            return true;
        }

        current.Redirections.Add(new ShellRedirection(op, ReadWord()));
        return true;
    }

    // Longest first.
    private static readonly string[] Operators = ["&>>", "<<<", "<<-", "&>", ">>", ">|", "<>", "<&", ">&", "<<", "<(", ">(", "<", ">"];

    private void ReadHeredocBodies()
    {
        foreach (var pending in _pendingHeredocs)
        {
            var (delimiter, strip, quoted) = (pending.Delimiter, pending.Strip, pending.Quoted);
            var found = false;
            while (!AtEnd)
            {
                var end = _s.IndexOf('\n', _i);
                var line = end < 0 ? _s[_i..] : _s[_i..end];
                _i = end < 0 ? _s.Length : end + 1;
                var compare = strip ? line.TrimStart('\t') : line;
                if (compare.TrimEnd('\r') == delimiter)
                {
                    found = true;
                    break;
                }

                if (!quoted && (line.Contains("$(", StringComparison.Ordinal) || line.Contains('`')))
                {
                    throw Syntax($"command substitution inside the here-document '{delimiter}'; quote the delimiter (<<'{delimiter}') or run the command separately");
                }
            }

            if (!found)
            {
                throw Syntax($"here-document '{delimiter}' is not terminated");
            }
        }

        _pendingHeredocs.Clear();
    }

    private ShellWord ReadWord(Action<bool>? trackQuotes = null)
    {
        var text = new StringBuilder();
        var expansion = false;
        var glob = false;
        var literalPrefix = -1; // length of text before the first quote or expansion
        var wordStart = _i;

        void MarkSpecial()
        {
            if (literalPrefix < 0)
            {
                literalPrefix = text.Length;
            }
        }

        while (!AtEnd)
        {
            var c = Peek();
            if (IsMeta(c))
            {
                break;
            }

            switch (c)
            {
                case '\\':
                    MarkSpecial();
                    trackQuotes?.Invoke(true);
                    if (Peek(1) == '\n')
                    {
                        _i += 2;
                    }
                    else if (_i + 1 < _s.Length)
                    {
                        text.Append(_s[_i + 1]);
                        _i += 2;
                    }
                    else
                    {
                        _i++; // a trailing backslash is kept literally by bash
                        text.Append('\\');
                    }

                    break;
                case '\'':
                    MarkSpecial();
                    trackQuotes?.Invoke(true);
                    var close = _s.IndexOf('\'', _i + 1);
                    if (close < 0)
                    {
                        throw Syntax("unterminated single quote");
                    }

                    text.Append(_s, _i + 1, close - _i - 1);
                    _i = close + 1;
                    break;
                case '"':
                    MarkSpecial();
                    trackQuotes?.Invoke(true);
                    _i++;
                    expansion |= ReadDoubleQuoted(text);
                    break;
                case '`':
                    MarkSpecial();
                    expansion = true;
                    ReadBackticks(text);
                    break;
                case '$':
                    MarkSpecial();
                    expansion |= ReadDollar(text);
                    break;
                case '~' when _i == wordStart:
                    MarkSpecial();
                    expansion = true;
                    text.Append(c);
                    _i++;
                    break;
                case '*' or '?':
                    glob = true;
                    text.Append(c);
                    _i++;
                    break;
                case '[':
                    // A bracket expression only when a ']' closes it in the same word ('[' and '[[' are commands).
                    var closeBracket = _s.IndexOfAny([']', ' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')'], _i + 1);
                    glob |= closeBracket > _i + 1 && _s[closeBracket] == ']';
                    text.Append(c);
                    _i++;
                    break;
                default:
                    text.Append(c);
                    _i++;
                    break;
            }
        }

        var value = text.ToString();
        string? assignment = null;
        var eq = value.IndexOf('=');
        if (eq > 0 && (literalPrefix < 0 || eq < literalPrefix) && IsName(value.AsSpan(0, eq)))
        {
            assignment = value[..eq];
        }

        return new ShellWord(value, expansion, glob, assignment);
    }

    internal static bool IsName(ReadOnlySpan<char> s)
    {
        if (s.Length == 0 || char.IsAsciiDigit(s[0]))
        {
            return false;
        }

        foreach (var ch in s)
        {
            if (ch != '_' && !char.IsAsciiLetterOrDigit(ch))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>After the opening quote; consumes the closing one. Returns true when it held an expansion.</summary>
    private bool ReadDoubleQuoted(StringBuilder text)
    {
        var expansion = false;
        while (true)
        {
            if (AtEnd)
            {
                throw Syntax("unterminated double quote");
            }

            var c = Peek();
            switch (c)
            {
                case '"':
                    _i++;
                    return expansion;
                case '\\':
                    var next = Peek(1);
                    if (next is '$' or '`' or '"' or '\\')
                    {
                        text.Append(next);
                        _i += 2;
                    }
                    else if (next == '\n')
                    {
                        _i += 2;
                    }
                    else
                    {
                        text.Append('\\');
                        _i++;
                    }

                    break;
                case '`':
                    expansion = true;
                    ReadBackticks(text);
                    break;
                case '$':
                    expansion |= ReadDollar(text);
                    break;
                default:
                    text.Append(c);
                    _i++;
                    break;
            }
        }
    }

    /// <summary>At a '$'. Returns true when it starts an expansion (a lone '$' is literal).</summary>
    private bool ReadDollar(StringBuilder text)
    {
        var next = Peek(1);
        if (next == '(' && Peek(2) == '(')
        {
            // $(( arithmetic )): opaque, but may not hide a command.
            var end = FindClosing(_i + 3, '(', ')', 2);
            var inner = _s[(_i + 3)..(end - 1)];
            if (inner.Contains("$(", StringComparison.Ordinal) || inner.Contains('`'))
            {
                throw Syntax("command substitution inside an arithmetic expansion");
            }

            text.Append(_s, _i, end + 1 - _i);
            _i = end + 1;
            return true;
        }

        if (next == '(')
        {
            var start = _i;
            var sub = new ShellParser(_s, _depth + 1, _commands) { _i = _i + 2 };
            sub.ParseList(')');
            _i = sub._i + 1;
            text.Append(_s, start, _i - start);
            return true;
        }

        if (next == '{')
        {
            var end = FindClosing(_i + 2, '{', '}', 1);
            var inner = _s[(_i + 2)..end];
            if (inner.Contains("$(", StringComparison.Ordinal) || inner.Contains('`'))
            {
                throw Syntax("command substitution inside a parameter expansion '${...}'");
            }

            text.Append(_s, _i, end + 1 - _i);
            _i = end + 1;
            return true;
        }

        if (next == '\'')
        {
            // $'...' ANSI-C quoting: escapes can spell anything, so the value counts as unknown.
            var j = _i + 2;
            while (j < _s.Length && _s[j] != '\'')
            {
                j += _s[j] == '\\' ? 2 : 1;
            }

            if (j >= _s.Length)
            {
                throw Syntax("unterminated $'...' quote");
            }

            text.Append(_s, _i, j + 1 - _i);
            _i = j + 1;
            return true;
        }

        if (next == '"')
        {
            // $"..." locale translation: a double-quoted string.
            _i += 2;
            return ReadDoubleQuoted(text);
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var j = _i + 1;
            while (j < _s.Length && (char.IsAsciiLetterOrDigit(_s[j]) || _s[j] == '_'))
            {
                j++;
            }

            text.Append(_s, _i, j - _i);
            _i = j;
            return true;
        }

        if (char.IsAsciiDigit(next) || next is '?' or '#' or '@' or '*' or '$' or '!' or '-')
        {
            text.Append(_s, _i, 2);
            _i += 2;
            return true;
        }

        text.Append('$');
        _i++;
        return false;
    }

    /// <summary>Index of the closing char that balances <paramref name="depth"/> open ones, from <paramref name="from"/>; for "))" the index of the last ')'.</summary>
    private int FindClosing(int from, char open, char close, int depth)
    {
        var quote = '\0';
        for (var j = from; j < _s.Length; j++)
        {
            var c = _s[j];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    j++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '\\')
            {
                j++;
            }
            else if (c == open)
            {
                depth++;
            }
            else if (c == close && --depth == 0)
            {
                return j;
            }
        }

        throw Syntax($"missing '{close}'");
    }

    private void ReadBackticks(StringBuilder text)
    {
        var inner = new StringBuilder();
        var j = _i + 1;
        while (true)
        {
            if (j >= _s.Length)
            {
                throw Syntax("unterminated backquote");
            }

            var c = _s[j];
            if (c == '`')
            {
                break;
            }

            if (c == '\\' && j + 1 < _s.Length && _s[j + 1] is '`' or '\\' or '$')
            {
                inner.Append(_s[j + 1]);
                j += 2;
                continue;
            }

            inner.Append(c);
            j++;
        }

        var sub = new ShellParser(inner.ToString(), _depth + 1, _commands);
        sub.ParseList(null);
        text.Append(_s, _i, j + 1 - _i);
        _i = j + 1;
    }
}
