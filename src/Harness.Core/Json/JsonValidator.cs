using System.Text.Json;
using Harness.Core.Errors;

namespace Harness.Core.Json;

/// <summary>
/// Reads typed values out of a parsed file and collects every problem (path, line, what was
/// expected) instead of stopping at the first, so one error message lets the user fix them all.
/// </summary>
public sealed class JsonValidator
{
    private readonly JsonFile _file;
    private readonly List<(string Path, string Problem)> _problems = [];

    public JsonValidator(JsonFile file) => _file = file;

    public bool HasProblems => _problems.Count > 0;

    public void Report(string path, string problem) => _problems.Add((path, problem));

    /// <summary>The element as an object, or null (reporting it when present but not an object, or missing and required).</summary>
    public JsonElement? Object(JsonElement? element, string path, bool required = false)
    {
        if (element is not { } e || e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (required)
            {
                Report(path, "is missing; expected an object");
            }

            return null;
        }

        if (e.ValueKind == JsonValueKind.Object)
        {
            return e;
        }

        Report(path, $"expected an object, found {Describe(e)}");
        return null;
    }

    /// <summary>The named property, or null when absent or JSON null.</summary>
    public static JsonElement? Property(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(JsonElement parent, string name, string parentPath, bool required = false)
    {
        var path = JsonPaths.Child(parentPath, name);
        if (Property(parent, name) is not { } value)
        {
            if (required)
            {
                Report(path, "is missing; expected a string");
            }

            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        Report(path, $"expected a string, found {Describe(value)}");
        return null;
    }

    public bool? Boolean(JsonElement parent, string name, string parentPath)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        Report(JsonPaths.Child(parentPath, name), $"expected true or false, found {Describe(value)}");
        return null;
    }

    public double? Number(JsonElement parent, string name, string parentPath, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (number < min || number > max)
            {
                Report(path, $"expected a number {RangeText(min, max)}, found {number}");
                return null;
            }

            return number;
        }

        Report(path, $"expected a number, found {Describe(value)}");
        return null;
    }

    public int? Integer(JsonElement parent, string name, string parentPath, int min = int.MinValue, int max = int.MaxValue)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            if (number < min || number > max)
            {
                Report(path, $"expected a whole number {RangeText(min, max)}, found {number}");
                return null;
            }

            return number;
        }

        Report(path, $"expected a whole number {RangeText(min, max)}, found {Describe(value)}");
        return null;
    }

    public IReadOnlyList<string>? StringArray(JsonElement parent, string name, string parentPath)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Report(path, $"expected an array of strings, found {Describe(value)}");
            return null;
        }

        var result = new List<string>(value.GetArrayLength());
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                result.Add(item.GetString()!);
            }
            else
            {
                Report(JsonPaths.Index(path, i), $"expected a string, found {Describe(item)}");
            }

            i++;
        }

        return result;
    }

    /// <summary>Throws one <see cref="HarnessException"/> listing every problem, with the first one's line.</summary>
    public void ThrowIfProblems(string errorId, string what, string fix)
    {
        if (_problems.Count == 0)
        {
            return;
        }

        // In file order, so the message reads top to bottom like the file and the first line is the first problem.
        var located = _problems
            .Select(p => (p.Path, p.Problem, At: _file.Locate(p.Path) ?? LocateNearestParent(p.Path)))
            .OrderBy(p => p.At?.Line ?? int.MaxValue)
            .ThenBy(p => p.At?.Column ?? int.MaxValue)
            .ToArray();
        var first = located[0].At;
        var lines = located.Select(p => p.At is { } at ? $"  {_file.Path}({at.Line},{at.Column}): {p.Path} {p.Problem}" : $"  {_file.Path}: {p.Path} {p.Problem}");

        var header = first is { } f
            ? $"{_file.Path}({f.Line},{f.Column}): {what} has {Plural(_problems.Count, "problem")}:"
            : $"{_file.Path}: {what} has {Plural(_problems.Count, "problem")}:";
        throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{header}\n{string.Join('\n', lines)}\n{fix}")
        {
            FilePath = _file.Path,
            Line = first?.Line,
            Column = first?.Column,
            JsonPath = located[0].Path,
            Fix = fix,
        };
    }

    public static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{Truncate(e.GetString()!)}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private (int Line, int Column)? LocateNearestParent(string path)
    {
        // A missing field has no position of its own: point at the object that should hold it.
        for (var cut = path.LastIndexOfAny(['.', '[']); cut > 0; cut = path.LastIndexOfAny(['.', '['], cut - 1))
        {
            if (_file.Locate(path[..cut]) is { } at)
            {
                return at;
            }
        }

        return _file.Locate("$");
    }

    private static string RangeText(double min, double max) => (min, max) switch
    {
        (double.MinValue or int.MinValue, double.MaxValue or int.MaxValue) => "",
        (_, double.MaxValue or int.MaxValue) => $"of at least {min}",
        (double.MinValue or int.MinValue, _) => $"of at most {max}",
        _ => $"from {min} to {max}",
    };

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
