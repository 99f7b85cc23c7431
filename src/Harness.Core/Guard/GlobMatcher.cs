namespace Harness.Core.Guard;

/// <summary>
/// The globs of <c>guard.protected_paths</c>, matched against paths relative to the project root
/// with '/' separators: <c>*</c> (any characters but '/'), <c>?</c> (one character but '/'),
/// <c>**</c> (any number of folders), <c>[abc]</c>. A pattern without '/' matches the file name at any
/// depth (<c>*.cs</c>), as in .gitignore; a pattern ending in '/' matches the folder and everything in it.
/// Hand-written: building a Regex costs milliseconds at start-up, and the guard runs on every tool call.
/// </summary>
internal static class GlobMatcher
{
    public static bool IsMatch(string pattern, string relativePath, bool ignoreCase = false)
    {
        pattern = pattern.Replace('\\', '/');
        if (pattern.StartsWith("./", StringComparison.Ordinal))
        {
            pattern = pattern[2..];
        }

        if (pattern.StartsWith('/'))
        {
            pattern = pattern[1..];
        }

        if (pattern.EndsWith('/'))
        {
            pattern += "**";
        }

        if (pattern.Length == 0)
        {
            return false;
        }

        if (!pattern.Contains('/'))
        {
            pattern = "**/" + pattern;
        }

        // "src/**" also matches "src" itself (writing the folder), and "src/x" at any depth.
        return Match(pattern.AsSpan(), relativePath.AsSpan(), ignoreCase) ||
               (pattern.EndsWith("/**", StringComparison.Ordinal) && Match(pattern.AsSpan(0, pattern.Length - 3), relativePath.AsSpan(), ignoreCase));
    }

    private static bool Match(ReadOnlySpan<char> p, ReadOnlySpan<char> s, bool ignoreCase)
    {
        while (p.Length > 0)
        {
            if (p.StartsWith("**"))
            {
                var rest = p[2..];
                if (rest.StartsWith("/"))
                {
                    // "**/" matches zero or more whole folders.
                    rest = rest[1..];
                    if (Match(rest, s, ignoreCase))
                    {
                        return true;
                    }

                    for (var i = 0; i < s.Length; i++)
                    {
                        if (s[i] == '/' && Match(rest, s[(i + 1)..], ignoreCase))
                        {
                            return true;
                        }
                    }

                    return false;
                }

                // "**" at the end (or glued to text): anything, slashes included.
                for (var i = s.Length; i >= 0; i--)
                {
                    if (Match(rest, s[i..], ignoreCase))
                    {
                        return true;
                    }
                }

                return false;
            }

            var c = p[0];
            if (c == '*')
            {
                var rest = p[1..];
                for (var i = 0; i <= s.Length; i++)
                {
                    if (Match(rest, s[i..], ignoreCase))
                    {
                        return true;
                    }

                    if (i < s.Length && s[i] == '/')
                    {
                        return false;
                    }
                }

                return false;
            }

            if (s.Length == 0)
            {
                return false;
            }

            if (c == '?')
            {
                if (s[0] == '/')
                {
                    return false;
                }
            }
            else if (c == '[')
            {
                var close = p[1..].IndexOf(']');
                if (close < 0)
                {
                    if (!Same('[', s[0], ignoreCase))
                    {
                        return false;
                    }
                }
                else
                {
                    var set = p.Slice(1, close);
                    var negate = set.Length > 0 && set[0] is '!' or '^';
                    if (negate)
                    {
                        set = set[1..];
                    }

                    var found = false;
                    for (var i = 0; i < set.Length; i++)
                    {
                        if (i + 2 < set.Length && set[i + 1] == '-')
                        {
                            found |= s[0] >= set[i] && s[0] <= set[i + 2];
                            i += 2;
                        }
                        else
                        {
                            found |= Same(set[i], s[0], ignoreCase);
                        }
                    }

                    if (found == negate || s[0] == '/')
                    {
                        return false;
                    }

                    p = p[(close + 2)..];
                    s = s[1..];
                    continue;
                }
            }
            else if (!Same(c, s[0], ignoreCase))
            {
                return false;
            }

            p = p[1..];
            s = s[1..];
        }

        return s.Length == 0;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
