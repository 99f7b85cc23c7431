using System.Text.Json.Nodes;

namespace Harness.TestKit;

/// <summary>Writes the harness files of a project under test, in the formats of DESIGN.md.</summary>
public static class ProjectFiles
{
    public static string ConfigPath(string root) => Path.Combine(root, ".claude", "config", "project.json");

    public static string StatePath(string root) => Path.Combine(root, ".claude", "progress", "state.json");

    public static string FeatureListPath(string root) => Path.Combine(root, ".claude", "progress", "feature-list.json");

    public static string WriteConfig(string root, string json) => Write(ConfigPath(root), json);

    public static string WriteState(string root, string json) => Write(StatePath(root), json);

    /// <summary>A seed-format list with one feature per (id, status).</summary>
    public static string WriteFeatures(string root, params (string Id, string Status)[] features)
    {
        var array = new JsonArray();
        foreach (var (id, status) in features)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["id"] = id,
                ["name"] = $"Feature {id}",
                ["description"] = $"Description of {id}",
                ["category"] = "functional",
                ["steps"] = new JsonArray("step one", "step two"),
                ["status"] = status,
                ["attempts"] = 0,
                ["notes"] = "",
            });
        }

        return Write(FeatureListPath(root), new JsonObject { ["features"] = array }.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>The Anthropic quickstart list at the project root: <c>[{category, description, steps, passes}]</c>.</summary>
    public static string WriteQuickstartFeatures(string root, params bool[] passes)
    {
        var array = new JsonArray();
        for (var i = 0; i < passes.Length; i++)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["category"] = "functional",
                ["description"] = $"User can do thing {i + 1}",
                ["steps"] = new JsonArray("open the app", "do it"),
                ["passes"] = passes[i],
            });
        }

        return Write(Path.Combine(root, "feature_list.json"), array.ToJsonString(new() { WriteIndented = true }));
    }

    public static string RalphPath(string root) => Path.Combine(root, "prd.json");

    /// <summary>
    /// Ralph's <c>prd.json</c> at the project root (<paramref name="path"/>: elsewhere, e.g.
    /// scripts/ralph/prd.json), shaped like snarktank/ralph's prd.json.example: one user story per
    /// (id, priority, passes), in the order given.
    /// </summary>
    public static string WriteRalphFeatures(string root, (string Id, int Priority, bool Passes)[] stories, string? path = null)
    {
        var array = new JsonArray();
        foreach (var (id, priority, passes) in stories)
        {
            array.Add((JsonNode)new JsonObject
            {
                ["id"] = id,
                ["title"] = $"Story {id}",
                ["description"] = $"As a user, I want {id} so that it works.",
                ["acceptanceCriteria"] = new JsonArray($"{id} works", "Typecheck passes"),
                ["priority"] = priority,
                ["passes"] = passes,
                ["notes"] = "",
            });
        }

        var prd = new JsonObject
        {
            ["project"] = "MyApp",
            ["branchName"] = "ralph/test-feature",
            ["description"] = "A test feature",
            ["userStories"] = array,
        };
        return Write(path ?? RalphPath(root), prd.ToJsonString(new() { WriteIndented = true }));
    }

    /// <summary>A state.json with the longest history the harness keeps (500 entries), laid out as the harness writes it; <paramref name="dirty"/> and <paramref name="at"/> are put in as raw JSON text.</summary>
    public static string LongState(string dirty = "false", string at = "\"2026-01-15T10:11:12.123Z\"")
    {
        var s = new System.Text.StringBuilder("{\n  \"state\": \"IMPLEMENT\",\n  \"entered_at\": \"2026-01-15T10:11:12.123Z\",\n  \"health_status\": \"HEALTHY\",\n");
        s.Append($"  \"dirty\": {dirty},\n  \"iteration\": 500,\n  \"history\": [\n");
        for (var i = 0; i < 500; i++)
        {
            s.Append($"    {{\n      \"from\": \"IMPLEMENT\",\n      \"to\": \"IMPLEMENT\",\n      \"at\": {at},\n      \"reason\": \"session s{i} recovered after a crash, the tree kept as it was\"\n    }}{(i < 499 ? "," : "")}\n");
        }

        return s.Append("  ]\n}\n").ToString();
    }

    public static string Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>The file's bytes, to assert a file was left exactly as it was.</summary>
    public static byte[] Snapshot(string path) => File.ReadAllBytes(path);
}
