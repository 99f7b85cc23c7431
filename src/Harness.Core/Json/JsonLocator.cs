using System.Text;
using System.Text.Json;

namespace Harness.Core.Json;

/// <summary>
/// Finds where a value sits in a JSON file, so an error can say "line 7" for
/// <c>$.timeout_seconds.health_check</c>. Only used on the error path: it rescans the bytes.
/// </summary>
public static class JsonLocator
{
    /// <summary>1-based (line, column) of the value at <paramref name="jsonPath"/>, or null when absent.</summary>
    public static (int Line, int Column)? Find(ReadOnlySpan<byte> utf8, string jsonPath)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });

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
                if (string.Equals(path, jsonPath, StringComparison.Ordinal))
                {
                    return Position(utf8, (int)reader.TokenStartIndex);
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    stack.Push((path, 0, reader.TokenType == JsonTokenType.StartArray));
                }
            }
        }
        catch (JsonException)
        {
            // The file is broken beyond this point; whatever we did not find is not locatable.
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
public static class JsonPaths
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
