using System.Globalization;
using System.Text;

namespace Harness.PowerShell.Tests;

/// <summary>
/// Reads the subset of PowerShell data syntax a module manifest uses: hashtables, arrays,
/// quoted strings, numbers, $true/$false/$null and comments. Hashtables come back as
/// case-insensitive dictionaries, arrays as lists, everything else as strings, bools or null.
/// </summary>
internal sealed class Psd1Reader
{
    private readonly string _text;
    private int _pos;

    private Psd1Reader(string text) => _text = text;

    public static Dictionary<string, object?> ReadHashtable(string text)
    {
        var reader = new Psd1Reader(text);
        var value = reader.Value();
        reader.SkipTrivia();
        if (reader._pos != text.Length)
        {
            throw reader.Error("unexpected text after the manifest's hashtable");
        }

        return value as Dictionary<string, object?> ?? throw reader.Error("the manifest is not a hashtable");
    }

    private object? Value()
    {
        SkipTrivia();
        if (Peek("@{"))
        {
            return Hashtable();
        }

        if (Peek("@("))
        {
            return Array();
        }

        if (Current is '\'' or '"')
        {
            return QuotedString();
        }

        var word = Word();
        return word.ToLowerInvariant() switch
        {
            "$true" => true,
            "$false" => false,
            "$null" => null,
            _ => word,
        };
    }

    private Dictionary<string, object?> Hashtable()
    {
        _pos += 2;
        var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(newlinesToo: true, semicolons: true);
            if (Current == '}')
            {
                _pos++;
                return result;
            }

            var key = Current is '\'' or '"' ? QuotedString() : Word();
            SkipTrivia();
            Expect('=');
            result[key] = Value();
        }
    }

    private List<object?> Array()
    {
        _pos += 2;
        var result = new List<object?>();
        while (true)
        {
            SkipTrivia(newlinesToo: true, commas: true);
            if (Current == ')')
            {
                _pos++;
                return result;
            }

            result.Add(Value());
        }
    }

    private string QuotedString()
    {
        var quote = Current;
        _pos++;
        var s = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error("unterminated string");
            }

            var c = _text[_pos++];
            if (c == quote)
            {
                // Doubled quote: a literal quote.
                if (_pos < _text.Length && _text[_pos] == quote)
                {
                    s.Append(quote);
                    _pos++;
                    continue;
                }

                return s.ToString();
            }

            s.Append(c);
        }
    }

    private string Word()
    {
        var start = _pos;
        while (_pos < _text.Length && !char.IsWhiteSpace(_text[_pos]) && _text[_pos] is not ('=' or ';' or ',' or ')' or '}' or '#'))
        {
            _pos++;
        }

        if (_pos == start)
        {
            throw Error($"unexpected '{Current}'");
        }

        return _text[start.._pos];
    }

    private void SkipTrivia(bool newlinesToo = true, bool semicolons = false, bool commas = false)
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '<' && Peek("<#"))
            {
                var end = _text.IndexOf("#>", _pos, StringComparison.Ordinal);
                _pos = end < 0 ? _text.Length : end + 2;
            }
            else if (char.IsWhiteSpace(c) && (newlinesToo || c != '\n') || (semicolons && c == ';') || (commas && c == ','))
            {
                _pos++;
            }
            else
            {
                return;
            }
        }
    }

    private char Current => _pos < _text.Length ? _text[_pos] : '\0';

    private bool Peek(string s) => string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;

    private void Expect(char c)
    {
        if (Current != c)
        {
            throw Error($"expected '{c}'");
        }

        _pos++;
    }

    private FormatException Error(string message)
    {
        var line = _text.AsSpan(0, Math.Min(_pos, _text.Length)).Count('\n') + 1;
        return new FormatException(string.Create(CultureInfo.InvariantCulture, $"Harness.psd1({line}): {message}"));
    }
}
