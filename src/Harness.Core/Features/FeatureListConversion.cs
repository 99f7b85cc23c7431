using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Json;

namespace Harness.Core.Features;

/// <summary>
/// Rewrites a feature list from one format into another, losing no field: what the harness models
/// moves to the target's spelling (Ralph's <c>title</c> is the seed's <c>name</c>, its
/// <c>acceptanceCriteria</c> the seed's <c>steps</c>, <c>passes</c> becomes a <c>status</c> and
/// back), and every other field, of the root and of each feature, is kept under its own name
/// (the writers and the readers keep unknown fields). A field that would have to overwrite another
/// with a different value, or root fields the quickstart's bare array has no place for, stop the
/// conversion with an error naming them: it never drops data silently.
/// </summary>
internal static class FeatureListConversion
{
    private const string ImportFix = "Change the source list so each field has one place in the target format (or import into another format), then import again.";

    /// <summary>
    /// The format of a list by its shape: a root array is the quickstart's, a root object with
    /// <c>userStories</c> Ralph's, one with <c>features</c> the seed's; an object with neither is
    /// Ralph's when the file is a <c>prd.json</c>, else the seed's (so the reader's error names the
    /// array that file should have). Text that is not JSON goes by the name too; the reader then
    /// reports where it breaks.
    /// </summary>
    public static FeatureListFormat Detect(string path, byte[] bytes)
    {
        var byName = string.Equals(Path.GetFileName(path), "prd.json", StringComparison.OrdinalIgnoreCase) ? FeatureListFormat.Ralph : FeatureListFormat.Seed;
        try
        {
            var reader = new Utf8JsonReader(JsonFile.SkipBom(bytes).Span, JsonFile.ReaderOptions);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
            {
                return FeatureListFormat.Quickstart;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals(FeatureListShape.Ralph.ListPropertyUtf8))
                    {
                        return FeatureListFormat.Ralph;
                    }

                    if (reader.ValueTextEquals(FeatureListShape.Seed.ListPropertyUtf8))
                    {
                        return FeatureListFormat.Seed;
                    }

                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (or cut short before the list): the reader words the error.
        }

        return byName;
    }

    /// <summary>
    /// The list at <paramref name="path"/> (its bytes; format detected) in the <paramref name="target"/>
    /// format, validated by the target's reader. Throws <see cref="ErrorIds.FeatureListInvalid"/>
    /// when the source does not read, or a field has no place in the target.
    /// </summary>
    /// <remarks><c>Kept</c>: where the fields the target format gives no meaning to now are, as JSON paths (<c>$.branchName</c>, <c>$.features[*].priority</c>).</remarks>
    public static (FeatureListFormat Source, byte[] Bytes, int Count, IReadOnlyList<string> Kept) Convert(string path, byte[] bytes, FeatureListFormat target)
    {
        var sourceFormat = Detect(path, bytes);
        var list = FeatureListReader.ReadList(path, bytes, sourceFormat);
        var from = FeatureListShape.Of(sourceFormat);
        var to = FeatureListShape.Of(target);
        JsonNode converted;
        try
        {
            var root = JsonFile.ParseNode(path, bytes, ErrorIds.FeatureListInvalid, FeatureListReader.Fix);
            var items = from.Items(root);

            // Ralph's order is its priorities; the other formats' is the file's: sort so the next feature stays the next one.
            var order = sourceFormat == FeatureListFormat.Ralph && target != FeatureListFormat.Ralph
                ? list.Features.OrderBy(f => FeatureList.Rank(f.Priority)).ThenBy(f => f.Index).ToArray()
                : list.Features.ToArray();

            // Ralph takes the story with the lowest priority: a list without any gets its file order as priorities.
            var numberStories = target == FeatureListFormat.Ralph && items.All(i => i is JsonObject o && !o.ContainsKey("priority"));
            var convertedItems = new JsonArray();
            for (var i = 0; i < order.Length; i++)
            {
                var feature = order[i];
                var item = Item(path, from, to, items[feature.Index]!.AsObject(), feature);
                if (numberStories)
                {
                    Put(path, JsonPaths.Index(from.ItemsPath, feature.Index), item, "priority", i + 1);
                }

                convertedItems.Add((JsonNode)item);
            }

            converted = Root(path, from, to, root, convertedItems);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The reader accepts what the node tree cannot hold: a field written twice in one feature.
            throw Conflict(path, $"the harness cannot rewrite this list ({ex.Message})");
        }

        var output = JsonFile.Serialize(converted);
        var readBack = FeatureListReader.ReadList(path, output, target);
        return (sourceFormat, output, readBack.Features.Count, Kept(converted, to));
    }

    /// <summary>The target's fields that format gives no meaning to (the harness reads the others): the root's, then the features', each once.</summary>
    private static IReadOnlyList<string> Kept(JsonNode converted, FeatureListShape to)
    {
        var kept = new List<string>();
        if (to.ListProperty is not null)
        {
            kept.AddRange(converted.AsObject().Where(p => p.Key != to.ListProperty).Select(p => JsonPaths.Child("$", p.Key)));
        }

        var modelled = new HashSet<string>(StringComparer.Ordinal) { "id", "status", "description", "category", "notes", "attempts", to.StepsField };
        if (to.NameField is { } name)
        {
            modelled.Add(name);
        }

        if (to.HasPasses)
        {
            modelled.Add("passes");
        }

        if (to.Format == FeatureListFormat.Ralph)
        {
            modelled.Add("priority");
        }

        var each = to.ItemsPath + "[*]";
        kept.AddRange(to.Items(converted).SelectMany(i => i!.AsObject().Select(p => p.Key)).Where(k => !modelled.Contains(k)).Distinct(StringComparer.Ordinal).Select(k => JsonPaths.Child(each, k)));
        return kept;
    }

    /// <summary>The target root: the source root's fields kept (an object), the features under the target's list property, or the bare array.</summary>
    private static JsonNode Root(string path, FeatureListShape from, FeatureListShape to, JsonNode sourceRoot, JsonArray items)
    {
        var extras = from.ListProperty is null
            ? []
            : sourceRoot.AsObject().Where(p => p.Key != from.ListProperty).Select(p => p.Key).ToArray();
        if (to.ListProperty is null)
        {
            if (extras.Length > 0)
            {
                throw Conflict(path, $"its fields {string.Join(", ", extras)} have no place in the quickstart format, which is a bare array of features; import into the seed or Ralph's format instead");
            }

            return items;
        }

        var root = new JsonObject();
        if (from.ListProperty is null)
        {
            root[to.ListProperty] = items;
            return root;
        }

        foreach (var (key, value) in sourceRoot.AsObject())
        {
            if (key == from.ListProperty)
            {
                Put(path, "$", root, to.ListProperty, items);
            }
            else
            {
                Put(path, "$", root, key, value?.DeepClone());
            }
        }

        return root;
    }

    private static JsonObject Item(string path, FeatureListShape from, FeatureListShape to, JsonObject source, Feature feature)
    {
        var at = JsonPaths.Index(from.ItemsPath, feature.Index);
        var item = new JsonObject();
        if (!source.ContainsKey("id"))
        {
            // The id the harness gave it (F001 by position, #3) goes with it, so `features set F001` still finds it.
            item["id"] = feature.Id;
        }

        var statusWritten = false;
        foreach (var (key, value) in source)
        {
            if (key == "status" || (from.HasPasses && key == "passes"))
            {
                // The status as the harness reads it, in the target's spelling, where the source kept its own.
                if (!statusWritten)
                {
                    WriteStatus(path, at, to, item, feature.Status);
                    statusWritten = true;
                }

                continue;
            }

            var name = key == from.NameField ? to.NameField ?? key
                : key == from.StepsField ? to.StepsField
                : key;
            Put(path, at, item, name, value?.DeepClone());
        }

        if (!statusWritten)
        {
            WriteStatus(path, at, to, item, feature.Status);
        }

        return item;
    }

    private static void WriteStatus(string path, string at, FeatureListShape to, JsonObject item, string status)
    {
        var fields = new JsonObject();
        to.WriteStatus(fields, status);
        foreach (var (key, value) in fields.ToArray())
        {
            fields.Remove(key);
            Put(path, at, item, key, value);
        }
    }

    /// <summary>Sets a field that is not there yet; one already there with another value is a conflict, never overwritten.</summary>
    private static void Put(string path, string at, JsonObject target, string key, JsonNode? value)
    {
        if (target.TryGetPropertyValue(key, out var existing))
        {
            if (JsonNode.DeepEquals(existing, value))
            {
                return;
            }

            throw Conflict(path, $"{JsonPaths.Child(at, key)} would be written twice with different values ({existing?.ToJsonString() ?? "null"} and {value?.ToJsonString() ?? "null"}); keep one");
        }

        target[key] = value;
    }

    private static HarnessException Conflict(string path, string problem) =>
        new(ErrorIds.FeatureListInvalid, HarnessErrorCategory.InvalidData, $"{path}: {problem}; nothing was written. {ImportFix}")
        {
            FilePath = path,
            Fix = ImportFix,
        };
}
