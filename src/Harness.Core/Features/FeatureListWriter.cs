using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.IO;
using Harness.Core.Json;
using Harness.Core.Project;

namespace Harness.Core.Features;

/// <summary>A change to one feature: its JSON object (edited in place), its record as read now, the list's format.</summary>
internal delegate void FeatureEdit(JsonObject item, Feature feature, FeatureListFormat format);

/// <summary>
/// The one read-modify-write of the feature list, safe against every other writer. Harness writers
/// (<c>harness features set</c>, Set-HarnessFeature, the loop) take a short lock on a sidecar file
/// (<c>.claude/progress/feature-list.json.lock</c>; <c>feature_list.json.lock</c> and
/// <c>prd.json.lock</c> there for the quickstart's and Ralph's lists), held only while they read, edit and write.
/// Writers that take no lock (the agent editing the list by hand) are caught by a compare: the file
/// is replaced only if it still holds the bytes the edit was applied to; if it changed, the edit is
/// applied again to what is there now. An edit is never applied to a stale read, and never lost.
/// </summary>
internal sealed class FeatureListWriter
{
    public static readonly FeatureListWriter Default = new();

    /// <summary>How long to wait for another harness writer; they hold the lock for milliseconds.</summary>
    public TimeSpan LockPatience { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times the edit is applied before giving up on a file that keeps changing under it.</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>Runs on each attempt after the edit is made and before the compare-and-write: the tests' window for a hand edit.</summary>
    internal Action<string>? BeforeWrite { get; init; }

    /// <summary>The sidecar lock file of a feature list.</summary>
    public static string LockPathFor(ProjectLayout layout, string listPath) => layout.SidecarOf(listPath, ".lock");

    /// <summary>
    /// Applies <paramref name="edit"/> to the features named by <paramref name="ids"/>. Every id must
    /// name exactly one feature, else nothing is written; the node tree is edited so fields the
    /// harness does not model stay; the write is atomic and keeps a .bak.
    /// </summary>
    /// <returns>The updated features, in the order asked.</returns>
    public IReadOnlyList<Feature> Edit(ProjectLayout layout, IReadOnlyList<string> ids, FeatureEdit edit)
    {
        if (FeatureStore.Locate(layout) is not { } found)
        {
            throw FeatureQuery.Missing(layout);
        }

        var (path, format) = found;
        using var held = Lock(LockPathFor(layout, path), path);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var before = Read(layout, path);
            var list = FeatureListReader.ReadList(path, before, format);
            var targets = Resolve(list, ids);
            var after = Apply(path, before, format, targets, edit);
            BeforeWrite?.Invoke(path);
            if (Write(path, after, before, layout.SidecarOf(path, ".bak")))
            {
                var updated = FeatureListReader.ReadList(path, after, format);
                return targets.Select(f => updated.Features[f.Index]).ToArray();
            }
        }

        throw new HarnessException(ErrorIds.LockHeld, HarnessErrorCategory.ResourceBusy,
            $"{path}: changed by another writer each of the {Attempts} times the edit was applied; nothing was written.")
        {
            FilePath = path,
            Fix = "Something is rewriting the feature list continuously (an agent session, a script); try again when it has finished.",
        };
    }

    private ShortFileLock Lock(string lockPath, string listPath)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            return ShortFileLock.Acquire(lockPath, LockPatience, $"update the feature list {listPath}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.CannotWrite(lockPath, ex);
        }
    }

    private static byte[] Read(ProjectLayout layout, string path) =>
        FileBytes.ReadIfExists(path) ?? throw FeatureQuery.Missing(layout);

    private static Feature[] Resolve(FeatureList list, IReadOnlyList<string> ids)
    {
        var targets = new Feature[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            var matches = list.Features.Where(f => string.Equals(f.Id, id, StringComparison.Ordinal)).ToArray();
            if (matches.Length == 0)
            {
                throw new HarnessException(ErrorIds.FeatureNotFound, HarnessErrorCategory.ObjectNotFound,
                    $"{list.FilePath}: no feature with id \"{id}\". 'harness features' lists the ids.")
                {
                    FilePath = list.FilePath,
                };
            }

            if (matches.Length > 1)
            {
                throw new HarnessException(ErrorIds.FeatureIdAmbiguous, HarnessErrorCategory.InvalidData,
                    $"{list.FilePath}: {matches.Length} features have the id \"{id}\" (positions {string.Join(", ", matches.Select(m => m.Index + 1))}); give each its own id first.")
                {
                    FilePath = list.FilePath,
                };
            }

            targets[i] = matches[0];
        }

        return targets;
    }

    private static byte[] Apply(string path, byte[] bytes, FeatureListFormat format, IReadOnlyList<Feature> targets, FeatureEdit edit)
    {
        var root = JsonFile.ParseNode(path, bytes, ErrorIds.FeatureListInvalid, FeatureListReader.Fix);
        try
        {
            var shape = FeatureListShape.Of(format);
            var array = shape.Items(root);
            var edits = new List<FeatureListSplice.ItemEdit>(targets.Count);
            foreach (var feature in targets)
            {
                var item = array[feature.Index]!.AsObject();
                var before = item.DeepClone().AsObject();
                edit(item, feature, format);
                edits.Add(new(feature.Index, before, item));
            }

            // Only the changed fields' bytes move; should the splice not give exactly the edited
            // document (a layout it does not follow), the document is written whole instead.
            return FeatureListSplice.Apply(bytes, shape, edits) is { } spliced && SameDocument(path, spliced, root)
                ? spliced
                : JsonFile.Serialize(root);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The reader accepts what the node tree cannot hold: a field written twice in one
            // feature, text that is not UTF-8 in a field the harness does not model.
            throw new HarnessException(ErrorIds.FeatureListInvalid, HarnessErrorCategory.InvalidData,
                $"{path}: the harness cannot rewrite this list ({ex.Message}); nothing was written. {FeatureListReader.Fix}", ex)
            {
                FilePath = path,
                Fix = FeatureListReader.Fix,
            };
        }
    }

    private static bool SameDocument(string path, byte[] spliced, JsonNode edited)
    {
        try
        {
            return JsonNode.DeepEquals(JsonFile.ParseNode(path, spliced, ErrorIds.FeatureListInvalid, FeatureListReader.Fix), edited);
        }
        catch (HarnessException)
        {
            return false;
        }
    }

    private static bool Write(string path, byte[] after, byte[] before, string backup)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
            return AtomicFile.WriteIfUnchanged(path, after, before, backup);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw FileErrors.CannotWrite(path, ex);
        }
    }
}
