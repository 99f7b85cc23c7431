using System.Text;
using System.Text.Json;

namespace Harness.Core.Json;

/// <summary>
/// Finds where values sit in a JSON file, so an error can say "line 7" for
/// <c>$.timeout_seconds.health_check</c>. Only used on the error path: it rescans the bytes.
/// </summary>
internal static class JsonLocator
{
    /// <summary>1-based (line, column) of the value at <paramref name="jsonPath"/>, or null when absent.</summary>
    public static (int Line, int Column)? Find(ReadOnlySpan<byte> utf8, string jsonPath) =>
        FindAll(utf8, [jsonPath]).TryGetValue(jsonPath, out var at) ? at : null;

    /// <summary>(line, column) of each of <paramref name="jsonPaths"/> found, in one pass over the file.</summary>
    public static IReadOnlyDictionary<string, (int Line, int Column)> FindAll(ReadOnlySpan<byte> utf8, IReadOnlyCollection<string> jsonPaths)
    {
        var wanted = new HashSet<string>(jsonPaths, StringComparer.Ordinal);
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        Scan(utf8, (path, offset) =>
        {
            if (wanted.Contains(path))
            {
                offsets.TryAdd(path, offset);
            }

            return offsets.Count < wanted.Count;
        });


        // Offsets to positions in one walk over the bytes, however many there are.
        var found = new Dictionary<string, (int Line, int Column)>(offsets.Count, StringComparer.Ordinal);
        var line = 1;
        var lineStart = 0;
        var at = 0;
        foreach (var (path, offset) in offsets.OrderBy(o => o.Value))
        {
            for (; at < offset && at < utf8.Length; at++)
            {
                if (utf8[at] == (byte)'\n')
                {
                    line++;
                    lineStart = at + 1;
                }
            }

            found[path] = (line, Encoding.UTF8.GetCharCount(utf8[lineStart..Math.Min(offset, utf8.Length)]) + 1);
        }

        return found;
    }

    /// <summary>The JSON path of the value being read where the file stops being valid JSON (<c>$.dirty</c> for <c>"dirty": tru</c>).</summary>
    public static string PathOfError(ReadOnlySpan<byte> utf8) => Scan(utf8, (_, _) => true) ?? "$";

    /// <summary>1-based (line, column) of a byte offset.</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<byte> utf8, int offset)
    {
        var before = utf8[..Math.Min(offset, utf8.Length)];
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < before.Length; i++)
        {
            if (before[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
    }

    private delegate bool Visit(string path, int offset);

    /// <summary>
    /// Calls <paramref name="visit"/> with the path and byte offset of every value, in file order, until it
    /// returns false. Returns the path of the value the file breaks in, or null when it does not break.
    /// </summary>
    private static string? Scan(ReadOnlySpan<byte> utf8, Visit visit)
    {
        var reader = new Utf8JsonReader(utf8, JsonFile.ReaderOptions);

        // Each frame: the container's path and, for arrays, the next element index.
        var stack = new Stack<(string Path, int NextIndex, bool IsArray)>();
        string? pendingProperty = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    pendingProperty = PropertyName(ref reader);
                    continue;
                }

                if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    stack.Pop();
                    continue;
                }

                var path = CurrentPath(stack, pendingProperty);
                pendingProperty = null;
                if (!visit(path, (int)reader.TokenStartIndex))
                {
                    return null;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push((path, 0, reader.TokenType == JsonTokenType.StartArray));
                }
            }
        }
        catch (JsonException)
        {
            // Broken here: in the value of the property just read, or the next element of the array.
            return stack.Count == 0 ? "$"
                : pendingProperty is not null ? JsonPaths.Child(stack.Peek().Path, pendingProperty)
                : stack.Peek() is { IsArray: true } array ? JsonPaths.Index(array.Path, array.NextIndex)
                : stack.Peek().Path;
        }

        return null;
    }

    // A key that is not valid text (a damaged file) still takes its place in the walk; it just matches no path.
    private static string PropertyName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Encoding.UTF8.GetString(reader.ValueSpan);
        }
    }

    private static string CurrentPath(Stack<(string Path, int NextIndex, bool IsArray)> stack, string? property)
    {
        if (stack.Count == 0)
        {
            return "$";
        }

        var (parent, index, isArray) = stack.Pop();
        if (isArray)
        {
            stack.Push((parent, index + 1, true));
            return $"{parent}[{index}]";
        }

        stack.Push((parent, index, false));
        return JsonPaths.Child(parent, property ?? "");
    }
}

/// <summary>Builds the JSON paths used in error messages: <c>$.a.b</c>, <c>$.a[3]</c>, <c>$['odd key']</c>.</summary>
internal static class JsonPaths
{
    public static string Child(string parent, string property)
    {
        foreach (var c in property)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_' || c == '-'))
            {
                return $"{parent}['{property.Replace("'", "\\'", StringComparison.Ordinal)}']";
            }
        }

        return property.Length == 0 ? $"{parent}['']" : $"{parent}.{property}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
