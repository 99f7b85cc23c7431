using System.Text;

namespace Harness.Core.Agents;

/// <summary>Splits a configured command line into arguments, the way a POSIX shell would without expanding anything.</summary>
internal static class CommandLine
{
    /// <summary>
    /// Words separated by blanks; <c>'single'</c> quotes keep everything, <c>"double"</c> quotes keep
    /// everything but <c>\"</c> and <c>\\</c>; a backslash outside quotes escapes the next character.
    /// </summary>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inWord) words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    break;
                case '\'':
                    inWord = true;
                    var close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0) throw new FormatException($"unterminated ' in: {commandLine}");
                    word.Append(commandLine, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; ; i++)
                    {
                        if (i >= commandLine.Length) throw new FormatException($"unterminated \" in: {commandLine}");
                        if (commandLine[i] == '"') break;
                        if (commandLine[i] == '\\' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\') i++;
                        word.Append(commandLine[i]);
                    }

                    break;
                case '\\' when i + 1 < commandLine.Length:
                    inWord = true;
                    word.Append(commandLine[++i]);
                    break;
                default:
                    inWord = true;
                    word.Append(c);
                    break;
            }
        }

        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>
    /// Finds an executable the way a shell would, on <paramref name="path"/> (the child's PATH when the
    /// caller sets one, which Process.Start would otherwise ignore). Returns the name unchanged when it has
    /// a directory part or is not found.
    /// </summary>
    public static string ResolveExecutable(string name, string? path)
    {
        if (string.IsNullOrEmpty(path) || name.Contains('/') || name.Contains('\\')) return name;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
            if (OperatingSystem.IsWindows())
            {
                foreach (var ext in new[] { ".exe", ".cmd", ".bat" })
                {
                    if (File.Exists(candidate + ext)) return candidate + ext;
                }
            }
        }

        return name;
    }
}
