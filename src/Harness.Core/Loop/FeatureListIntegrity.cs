using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Loop.Integrity;
using Harness.Core.Project;

namespace Harness.Core.Loop;

/// <summary>The feature list as it was before a session: what the integrity check compares with and restores from.</summary>
internal sealed class FeatureListSnapshot
{
    private FeatureListSnapshot(string? path, FeatureListFormat? format, byte[]? bytes, FeatureList? list)
    {
        Path = path;
        Format = format;
        Bytes = bytes;
        List = list;
    }

    public string? Path { get; }

    public FeatureListFormat? Format { get; }

    internal byte[]? Bytes { get; }

    public FeatureList? List { get; }

    public static FeatureListSnapshot Take(ProjectLayout layout)
    {
        if (FeatureStore.Locate(layout) is not { } found)
        {
            return new FeatureListSnapshot(null, null, null, null);
        }

        var bytes = File.ReadAllBytes(found.Path);
        return new FeatureListSnapshot(found.Path, found.Format, bytes, FeatureStore.Load(layout));
    }
}

/// <summary>
/// The agent may change a feature's status, attempts and notes, and nothing else: after each
/// session, features it removed, added (unless it is the initializer) or rewrote (name,
/// description, category, steps) are restored from the snapshot, keeping its allowed status
/// changes; a status change the session may not make (<see cref="StatusChangeRules"/>) is undone
/// too. The quickstart only asks the model not to do this; the harness enforces it. What the agent
/// wrote is kept beside the list, one copy per violation (<see cref="RejectedFeatureLists"/>), so
/// nothing is lost.
/// </summary>
internal static class FeatureListIntegrity
{
    private static readonly string[] AgentFields = ["status", "attempts", "notes", "passes"];
    private static readonly string[] StatusFields = ["status", "passes"];

    /// <returns>One sentence per violation; empty when the list was left as it should be.</returns>
    public static IReadOnlyList<string> Enforce(ProjectLayout layout, FeatureListSnapshot before, SessionScope scope, DateTimeOffset now)
    {
        if (before.Path is null || before.Bytes is null || before.List is null)
        {
            // No list before the session (INIT creates it), or one we could not read: nothing to protect.
            return [];
        }

        if (!File.Exists(before.Path))
        {
            AtomicFile.Write(before.Path, before.Bytes);
            return [$"the feature list {before.Path} was deleted; restored"];
        }

        var afterBytes = File.ReadAllBytes(before.Path);
        FeatureList? after;
        try
        {
            after = FeatureStore.Load(layout);
        }
        catch (HarnessException ex)
        {
            var rejected = RejectedFeatureLists.Save(layout, before.Path, afterBytes, now);
            AtomicFile.Write(before.Path, before.Bytes);
            return [$"the feature list no longer parsed ({ex.Message.Split('\n')[0]}); restored, the agent's version is in {rejected}"];
        }

        if (after is null || after.Format != before.List.Format)
        {
            AtomicFile.Write(before.Path, before.Bytes);
            return [$"the feature list {before.Path} was replaced; restored"];
        }

        var violations = new List<string>();
        var statusRestored = new HashSet<string>(StringComparer.Ordinal);
        var afterByKey = ByKey(after);
        var beforeByKey = ByKey(before.List);
        foreach (var (key, old) in beforeByKey)
        {
            if (!afterByKey.TryGetValue(key, out var current))
            {
                violations.Add($"{old.Id} ({old.Name}) was removed");
                continue;
            }

            if (Rewritten(old, current) is { } what)
            {
                violations.Add($"{old.Id} had its {what} rewritten");
            }

            if (StatusChangeRules.Refusal(scope, old, current) is { } refusal)
            {
                violations.Add(refusal);
                statusRestored.Add(key);
            }
        }

        var added = after.Features.Where(f => !beforeByKey.ContainsKey(Key(after, f))).ToList();
        if (!scope.MayAdd)
        {
            violations.AddRange(added.Select(f => $"{f.Id} ({f.Name}) was added"));
        }

        if (violations.Count == 0)
        {
            return violations;
        }

        RejectedFeatureLists.Save(layout, before.Path, afterBytes, now);
        AtomicFile.Write(before.Path, JsonFile.Serialize(Rebuild(before, after, afterBytes, scope.MayAdd ? added : [], statusRestored)));
        return violations;
    }

    /// <summary>
    /// The list as it was, with the agent's status, attempts and notes carried over (but not the
    /// status of <paramref name="statusRestored"/>), plus the features it may add.
    /// </summary>
    private static JsonNode Rebuild(FeatureListSnapshot before, FeatureList after, byte[] afterBytes, IReadOnlyList<Feature> allowedAdditions, IReadOnlySet<string> statusRestored)
    {
        var root = JsonFile.ParseNode(before.Path!, before.Bytes!, ErrorIds.FeatureListInvalid, "");
        var afterRoot = JsonFile.ParseNode(before.Path!, afterBytes, ErrorIds.FeatureListInvalid, "");
        var shape = FeatureListShape.Of(before.List!.Format);
        var items = shape.Items(root);
        var afterItems = shape.Items(afterRoot);
        var afterByKey = ByKey(after);
        foreach (var old in before.List.Features)
        {
            var key = Key(before.List, old);
            if (afterByKey.TryGetValue(key, out var now) && afterItems[now.Index] is JsonObject source && items[old.Index] is JsonObject target)
            {
                foreach (var field in statusRestored.Contains(key) ? AgentFields.Except(StatusFields) : AgentFields)
                {
                    if (source[field] is { } value)
                    {
                        target[field] = value.DeepClone();
                    }
                    else
                    {
                        target.Remove(field);
                    }
                }
            }
        }

        foreach (var feature in allowedAdditions)
        {
            items.Add(afterItems[feature.Index]!.DeepClone());
        }

        return root;
    }

    private static Dictionary<string, Feature> ByKey(FeatureList list)
    {
        var map = new Dictionary<string, Feature>(StringComparer.Ordinal);
        foreach (var feature in list.Features)
        {
            map.TryAdd(Key(list, feature), feature);
        }

        return map;
    }

    // Quickstart ids are positions, which shift when one is removed: match by the description there.
    private static string Key(FeatureList list, Feature feature) =>
        list.Format != FeatureListFormat.Quickstart ? feature.Id : feature.Description ?? feature.Id;

    private static string? Rewritten(Feature old, Feature now)
    {
        var fields = new List<string>();
        if (old.Name != now.Name)
        {
            fields.Add("name");
        }

        if (old.Description != now.Description)
        {
            fields.Add("description");
        }

        if (old.Category != now.Category)
        {
            fields.Add("category");
        }

        if (!old.Steps.SequenceEqual(now.Steps))
        {
            fields.Add("steps");
        }

        return fields.Count == 0 ? null : string.Join(", ", fields);
    }
}
