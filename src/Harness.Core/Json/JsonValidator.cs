using System.Text.Json;
using System.Text.Json.Nodes;
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

    public JsonObject? Object(JsonNode? node, string path, bool required = false)
    {
        if (node is null)
        {
            if (required)
            {
                Report(path, "is missing; expected an object");
            }

            return null;
        }

        if (node is JsonObject obj)
        {
            return obj;
        }

        Report(path, $"expected an object, found {Describe(node)}");
        return null;
    }

    public string? String(JsonObject parent, string name, string parentPath, bool required = false)
    {
        var path = JsonPaths.Child(parentPath, name);
        var node = parent[name];
        if (node is null)
        {
            if (required)
            {
                Report(path, "is missing; expected a string");
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            return value.GetValue<string>();
        }

        Report(path, $"expected a string, found {Describe(node)}");
        return null;
    }

    public bool? Boolean(JsonObject parent, string name, string parentPath)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Report(JsonPaths.Child(parentPath, name), $"expected true or false, found {Describe(node)}");
        return null;
    }

    public double? Number(JsonObject parent, string name, string parentPath, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            var number = value.GetValue<double>();
            if (number < min || number > max)
            {
                Report(path, $"expected a number {RangeText(min, max)}, found {number}");
                return null;
            }

            return number;
        }

        Report(path, $"expected a number, found {Describe(node)}");
        return null;
    }

    public int? Integer(JsonObject parent, string name, string parentPath, int min = int.MinValue, int max = int.MaxValue)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number))
        {
            if (number < min || number > max)
            {
                Report(path, $"expected a whole number {RangeText(min, max)}, found {number}");
                return null;
            }

            return number;
        }

        Report(path, $"expected a whole number {RangeText(min, max)}, found {Describe(node)}");
        return null;
    }

    public IReadOnlyList<string>? StringArray(JsonObject parent, string name, string parentPath)
    {
        var node = parent[name];
        if (node is null)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        if (node is not JsonArray array)
        {
            Report(path, $"expected an array of strings, found {Describe(node)}");
            return null;
        }

        var result = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue item && item.GetValueKind() == JsonValueKind.String)
            {
                result.Add(item.GetValue<string>());
            }
            else
            {
                Report(JsonPaths.Index(path, i), $"expected a string, found {Describe(array[i])}");
            }
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

    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{Truncate(v.GetValue<string>())}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
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
