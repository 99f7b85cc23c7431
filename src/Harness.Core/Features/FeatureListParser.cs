using System.Text.Json;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// Reads both feature-list formats into full <see cref="Feature"/> records, reporting every
/// structural problem with its JSON path and line. The entry's hot path uses
/// <see cref="FeatureSummaryReader"/> instead, which falls back to this parser for errors.
/// </summary>
internal static class FeatureListParser
{
    internal const string Fix = "Fix the file by hand (see docs/formats.md, feature list), or restore it from git or from its .bak copy; the harness left it unchanged.";

    public static FeatureList Parse(JsonFile file, byte[] bytes, FeatureListFormat format)
    {
        var v = new JsonValidator(file);
        using var document = ParseDocument(file.Path, bytes);
        var features = format == FeatureListFormat.Seed
            ? ParseSeed(document.RootElement, file.Path, v)
            : ParseQuickstart(document.RootElement, file.Path, v);
        v.ThrowIfProblems(ErrorIds.FeatureListInvalid, "the feature list", Fix);
        return new FeatureList(file.Path, format, features);
    }

    private static JsonDocument ParseDocument(string path, byte[] bytes)
    {
        try
        {
            // Editors on Windows often save with a byte-order mark, which JsonDocument rejects.
            var json = bytes.AsMemory();
            return JsonDocument.Parse(json.Span.StartsWith("\uFEFF"u8) ? json[3..] : json, JsonFile.DocumentOptions);
        }
        catch (JsonException)
        {
            // Let JsonFile produce the error with line and column.
            JsonFile.Parse(path, bytes, ErrorIds.FeatureListInvalid, Fix);
            throw;
        }
    }

    private static List<Feature> ParseSeed(JsonElement root, string path, JsonValidator v)
    {
        var result = new List<Feature>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("features", out var array))
        {
            v.Report(root.ValueKind == JsonValueKind.Object ? "$.features" : "$",
                root.ValueKind == JsonValueKind.Object ? "is missing; expected an array of features" : $"expected an object {{\"features\": [...]}}, found {JsonValidator.Describe(root)}");
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            v.Report("$.features", $"expected an array of features, found {JsonValidator.Describe(array)}");
            return result;
        }

        result.Capacity = array.GetArrayLength();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"$.features[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                v.Report(at, $"expected a feature object, found {JsonValidator.Describe(item)}");
                index++;
                continue;
            }

            result.Add(SeedItem(item, index, at, path, v));
            index++;
        }

        return result;
    }

    private static List<Feature> ParseQuickstart(JsonElement root, string path, JsonValidator v)
    {
        var result = new List<Feature>();
        if (root.ValueKind != JsonValueKind.Array)
        {
            v.Report("$", $"expected an array of {{category, description, steps, passes}}, found {JsonValidator.Describe(root)}");
            return result;
        }

        var count = root.GetArrayLength();
        result.Capacity = count;
        var width = QuickstartIdWidth(count);
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var at = $"$[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                v.Report(at, $"expected a feature object, found {JsonValidator.Describe(item)}");
                index++;
                continue;
            }

            result.Add(QuickstartItem(item, index, width, at, path, v));
            index++;
        }

        return result;
    }

    /// <summary>One feature object of the seed format (also used by the summary reader for the next feature).</summary>
    internal static Feature SeedItem(JsonElement item, int index, string at, string path, JsonValidator v)
    {
        var id = Text(item, "id", at, v);
        var name = Text(item, "name", at, v);
        var description = Text(item, "description", at, v);
        return new Feature
        {
            Id = string.IsNullOrWhiteSpace(id) ? $"#{index + 1}" : id,
            Name = name ?? FirstLine(description) ?? id ?? $"#{index + 1}",
            Description = description,
            Category = Text(item, "category", at, v),
            Steps = Steps(item, at, v),
            Status = Text(item, "status", at, v) ?? FeatureStatuses.Pending,
            Attempts = Attempts(item, at, v),
            Notes = Text(item, "notes", at, v),
            Index = index,
            Path = path,
        };
    }

    /// <summary>One feature object of the quickstart format; <paramref name="width"/> pads derived ids.</summary>
    internal static Feature QuickstartItem(JsonElement item, int index, int width, string at, string path, JsonValidator v)
    {
        var description = Text(item, "description", at, v);
        var passes = Bool(item, "passes", at, v) ?? false;
        var explicitId = Text(item, "id", at, v);
        var id = string.IsNullOrWhiteSpace(explicitId) ? QuickstartId(index, width) : explicitId;
        return new Feature
        {
            Id = id,
            Name = FirstLine(description) ?? id,
            Description = description,
            Category = Text(item, "category", at, v),
            Steps = Steps(item, at, v),

            // passes says done or not; our optional "status" field keeps what passes cannot (in_progress, blocked).
            Status = Text(item, "status", at, v) ?? (passes ? FeatureStatuses.Completed : FeatureStatuses.Pending),
            Attempts = Attempts(item, at, v),
            Notes = Text(item, "notes", at, v),
            Index = index,
            Path = path,
        };
    }

    internal static int QuickstartIdWidth(int count) =>
        Math.Max(3, count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);

    internal static string QuickstartId(int index, int width) =>
        "F" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static string? Text(JsonElement o, string name, string at, JsonValidator v)
    {
        if (!o.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (p.ValueKind == JsonValueKind.String)
        {
            return p.GetString();
        }

        if (name == "id" && p.ValueKind == JsonValueKind.Number)
        {
            // Hand-written lists often number their features; accept 7 as "7".
            return p.GetRawText();
        }

        v.Report($"{at}.{name}", $"expected a string, found {JsonValidator.Describe(p)}");
        return null;
    }

    private static bool? Bool(JsonElement o, string name, string at, JsonValidator v)
    {
        if (!o.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (p.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return p.GetBoolean();
        }

        v.Report($"{at}.{name}", $"expected true or false, found {JsonValidator.Describe(p)}");
        return null;
    }

    private static int Attempts(JsonElement o, string at, JsonValidator v)
    {
        if (!o.TryGetProperty("attempts", out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var n) && n >= 0)
        {
            return n;
        }

        v.Report($"{at}.attempts", $"expected a whole number of at least 0, found {JsonValidator.Describe(p)}");
        return 0;
    }

    private static IReadOnlyList<string> Steps(JsonElement o, string at, JsonValidator v)
    {
        if (!o.TryGetProperty("steps", out var p) || p.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (p.ValueKind != JsonValueKind.Array)
        {
            v.Report($"{at}.steps", $"expected an array of strings, found {JsonValidator.Describe(p)}");
            return [];
        }

        var steps = new string[p.GetArrayLength()];
        var i = 0;
        foreach (var step in p.EnumerateArray())
        {
            if (step.ValueKind == JsonValueKind.String)
            {
                steps[i] = step.GetString()!;
            }
            else
            {
                v.Report($"{at}.steps[{i}]", $"expected a string, found {JsonValidator.Describe(step)}");
                steps[i] = step.GetRawText();
            }

            i++;
        }

        return steps;
    }

    private static string? FirstLine(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var line = text.AsSpan().Trim();
        var cut = line.IndexOfAny('\r', '\n');
        if (cut >= 0)
        {
            line = line[..cut].TrimEnd();
        }

        return line.Length <= 80 ? line.ToString() : string.Concat(line[..77], "...");
    }
}
