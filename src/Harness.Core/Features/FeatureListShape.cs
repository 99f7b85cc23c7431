using System.Text.Json.Nodes;

namespace Harness.Core.Features;

/// <summary>
/// Where each of the three formats keeps what the harness models: the array of features (under a
/// property of the root object, or the root itself), the name, the steps, and whether done-ness is
/// a <c>passes</c> flag. The reader, the writer, the integrity check and the import all ask this
/// one table, so a format's field names are spelled once.
/// </summary>
internal sealed class FeatureListShape
{
    public static readonly FeatureListShape Seed = new(FeatureListFormat.Seed, "features", "name", "steps", hasPasses: false);

    public static readonly FeatureListShape Quickstart = new(FeatureListFormat.Quickstart, listProperty: null, nameField: null, "steps", hasPasses: true);

    /// <summary>Ralph's <c>prd.json</c> (snarktank/ralph): <c>{ "branchName", "userStories": [ {id, title, description, acceptanceCriteria, priority, passes, notes} ] }</c>.</summary>
    public static readonly FeatureListShape Ralph = new(FeatureListFormat.Ralph, "userStories", "title", "acceptanceCriteria", hasPasses: true);

    private FeatureListShape(FeatureListFormat format, string? listProperty, string? nameField, string stepsField, bool hasPasses)
    {
        Format = format;
        ListProperty = listProperty;
        ListPropertyUtf8 = listProperty is null ? [] : System.Text.Encoding.UTF8.GetBytes(listProperty);
        NameField = nameField;
        NameFieldUtf8 = nameField is null ? [] : System.Text.Encoding.UTF8.GetBytes(nameField);
        StepsField = stepsField;
        StepsFieldUtf8 = System.Text.Encoding.UTF8.GetBytes(stepsField);
        HasPasses = hasPasses;
        ItemsPath = listProperty is null ? "$" : Json.JsonPaths.Child("$", listProperty);
    }

    public FeatureListFormat Format { get; }

    /// <summary>The root object's property holding the features; null: the root is the array (the quickstart).</summary>
    public string? ListProperty { get; }

    public byte[] ListPropertyUtf8 { get; }

    /// <summary>The feature's name; null: the format has none (the quickstart names a feature by its description's first line).</summary>
    public string? NameField { get; }

    public byte[] NameFieldUtf8 { get; }

    /// <summary>The feature's list of steps to verify (Ralph's acceptance criteria).</summary>
    public string StepsField { get; }

    public byte[] StepsFieldUtf8 { get; }

    /// <summary>Done is <c>passes: true</c>; the harness's finer statuses go in an extra <c>status</c> field.</summary>
    public bool HasPasses { get; }

    /// <summary>The JSON path of the array of features, for error messages.</summary>
    public string ItemsPath { get; }

    /// <summary>Features without an id are numbered by position (F001, ...) rather than named <c>#N</c>: only the quickstart, whose features have no ids.</summary>
    public bool DerivesIdsFromPosition => Format == FeatureListFormat.Quickstart;

    public static FeatureListShape Of(FeatureListFormat format) => format switch
    {
        FeatureListFormat.Seed => Seed,
        FeatureListFormat.Quickstart => Quickstart,
        FeatureListFormat.Ralph => Ralph,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a feature-list format"),
    };

    /// <summary>The array of features of a parsed list the reader accepted.</summary>
    public JsonArray Items(JsonNode root) => ListProperty is null ? root.AsArray() : root[ListProperty]!.AsArray();

    /// <summary>
    /// Writes a status the harness's way: the seed's <c>status</c> field; in a format with
    /// <c>passes</c>, the flag (true for tested and completed) plus a <c>status</c> field for what
    /// the flag cannot say (in progress, tested, blocked, or a status the harness does not know).
    /// </summary>
    public void WriteStatus(JsonObject item, string status)
    {
        if (!HasPasses)
        {
            item["status"] = status;
            return;
        }

        item["passes"] = FeatureStatuses.IsDone(status);
        if (status is FeatureStatuses.Pending or FeatureStatuses.Completed)
        {
            item.Remove("status");
        }
        else
        {
            item["status"] = status;
        }
    }
}
