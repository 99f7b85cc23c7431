using System.Text.Json;
using Harness.Core.Errors;

namespace Harness.Core.Json;

/// <summary>
/// The first pass over a file people edit by hand: reads typed values out of it and collects every
/// problem (path, line, what was expected, what was found) instead of stopping at the first, so one
/// error message lets the user fix them all. The message is bounded: at most <see cref="MaxListed"/>
/// problems, one line each, then how many more.
/// </summary>
internal sealed class JsonValidator
{
    /// <summary>Problems listed in one error; each line is a CI annotation or an MSBuild error, so a broken file must not print thousands.</summary>
    public const int MaxListed = 20;

    /// <summary>Longest token quoted from the file.</summary>
    private const int MaxToken = 40;

    private readonly JsonFile _file;
    private readonly List<(string Path, string Problem, string? Token)> _problems = [];

    public JsonValidator(JsonFile file) => _file = file;

    public bool HasProblems => _problems.Count > 0;

    public void Report(string path, string problem) => _problems.Add((path, problem, null));

    /// <summary>A problem with the value found: <paramref name="expected"/> says what was wanted, the value is quoted from the file.</summary>
    public void Report(string path, string expected, JsonElement found) => _problems.Add((path, expected, Token(found)));

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

        Report(path, "expected an object", e);
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

        Report(path, "expected a string", value);
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

        Report(JsonPaths.Child(parentPath, name), "expected true or false", value);
        return null;
    }

    public double? Number(JsonElement parent, string name, string parentPath, double min = double.MinValue, double max = double.MaxValue)
    {
        if (Property(parent, name) is not { } value)
        {
            return null;
        }

        var path = JsonPaths.Child(parentPath, name);
        // 1e400 reads as infinity: not a number anything can use.
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            if (number < min || number > max)
            {
                Report(path, $"expected a number {RangeText(min, max)}", value);
                return null;
            }

            return number;
        }

        Report(path, "expected a number", value);
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
                Report(path, $"expected a whole number {RangeText(min, max)}", value);
                return null;
            }

            return number;
        }

        Report(path, $"expected a whole number {RangeText(min, max)}".TrimEnd(), value);
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
            Report(path, "expected an array of strings", value);
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
                Report(JsonPaths.Index(path, i), "expected a string", item);
            }

            i++;
        }

        return result;
    }

    /// <summary>
    /// Throws one <see cref="HarnessException"/> for all the problems, in file order, pointing at the
    /// first: one line each (<c>file(line,col): $.path: expected ... (token)</c>), at most
    /// <see cref="MaxListed"/>, then "... and N more problems in <paramref name="what"/>." and the fix.
    /// </summary>
    public void ThrowIfProblems(string errorId, string what, string fix)
    {
        if (_problems.Count == 0)
        {
            return;
        }

        // All positions in one pass over the file; a missing field points at the object that should hold it.
        var positions = JsonLocator.FindAll(JsonFile.SkipBom(_file.Bytes).Span, [.. _problems.SelectMany(p => Enclosing(p.Path)).Distinct()]);
        var located = _problems
            .Select(p => (p.Path, p.Problem, p.Token, At: Enclosing(p.Path).Select(path => positions.TryGetValue(path, out var at) ? at : ((int, int)?)null).FirstOrDefault(at => at is not null)))
            .OrderBy(p => p.At?.Item1 ?? int.MaxValue)
            .ThenBy(p => p.At?.Item2 ?? int.MaxValue)
            .ToArray();
        var lines = located.Take(MaxListed).Select(p =>
            $"{_file.Path}{(p.At is { } at ? $"({at.Item1},{at.Item2})" : "")}: {p.Path}: {p.Problem}{(p.Token is null ? "" : $" ({p.Token})")}");
        var more = located.Length > MaxListed ? $"... and {located.Length - MaxListed} more problems in {what}. " : "";
        var first = located[0].At;
        throw new HarnessException(errorId, HarnessErrorCategory.InvalidData, $"{string.Join('\n', lines)}\n{more}{fix}")
        {
            FilePath = _file.Path,
            Line = first?.Item1,
            Column = first?.Item2,
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

    /// <summary>The path and its ancestors, nearest first, ending with <c>$</c>.</summary>
    private static IEnumerable<string> Enclosing(string path)
    {
        yield return path;
        for (var cut = path.LastIndexOfAny(['.', '[']); cut > 0; cut = path.LastIndexOfAny(['.', '['], cut - 1))
        {
            yield return path[..cut];
        }

        if (path != "$")
        {
            yield return "$";
        }
    }

    /// <summary>The value as written in the file, cut short: <c>"5"</c>, <c>70000</c>, <c>tru</c>; containers as <c>{...}</c> and <c>[...]</c>.</summary>
    internal static string Token(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "{...}",
        JsonValueKind.Array => "[...]",
        _ => Cut(e.GetRawText()),
    };

    internal static string Cut(string token) => token.Length <= MaxToken ? token : token[..(MaxToken - 3)] + "...";

    private static string RangeText(double min, double max) => (min, max) switch
    {
        (double.MinValue or int.MinValue, double.MaxValue or int.MaxValue) => "",
        (_, double.MaxValue or int.MaxValue) => $"of at least {min}",
        (double.MinValue or int.MinValue, _) => $"of at most {max}",
        _ => $"from {min} to {max}",
    };

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
