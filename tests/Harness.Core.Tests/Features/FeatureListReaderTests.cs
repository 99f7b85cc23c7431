using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

/// <summary>The summary (the entry's view) and the full list (`features`, the writers) accept, count and reject exactly the same bytes.</summary>
public class FeatureListReaderTests
{
    public static TheoryData<string, string> ValidLists => new()
    {
        { "feature-list", """{ "features": [ {"id": "A", "status": "pending"}, {"id": "B", "status": "in_progress", "steps": ["x"]}, {"id": "C", "status": "completed"} ] }""" },
        { "feature-list", """{ "version": 3, "features": [ {"id": 7, "name": "Seven"}, {"id": "", "status": "blocked"}, {"status": "wip", "extra": {"deep": [1, {"a": null}]}} ], "after": true }""" },
        { "feature-list", """{ "features": [ {"id": "A", "status": "tested"}, {"id": "A", "status": "done"} ] }""" },
        { "feature-list", """{ "features": [] }""" },
        { "feature-list", "\uFEFF{ // comment\n \"features\": [ {\"id\": \"A\", \"status\": \"pending\", \"attempts\": 2, \"notes\": null,}, ] }" },
        { "feature-list", """{ "features": [ {"id": "A", "status": "completed"}, {"id": "B", "status": "pending", "name": "Bee", "description": "d", "category": "c", "steps": ["1", "2"], "attempts": 1, "notes": "n"} ] }""" },
        { "quickstart", """[ {"category": "functional", "description": "One", "steps": ["a"], "passes": true}, {"description": "Two", "passes": false}, {"description": "Three", "passes": false, "status": "in_progress"} ]""" },
        { "quickstart", """[ {"id": "X1", "description": "One", "passes": null}, {"description": "Two", "id": ""} ]""" },
        { "quickstart", """[ {"description": "One", "passes": true, "status": "in_progress"}, {"description": "Two", "passes": true, "status": "tested"}, {"description": "Three", "passes": false, "status": "tested"} ]""" },
        { "ralph", """{ "branchName": "ralph/x", "userStories": [ {"id": "US-001", "title": "One", "acceptanceCriteria": ["a"], "priority": 2, "passes": false}, {"id": "US-002", "priority": 1, "passes": false}, {"id": "US-003", "priority": 0, "passes": true} ] }""" },
        { "ralph", """{ "userStories": [ {"id": "US-001", "priority": "high", "passes": false}, {"id": "US-002", "priority": 3.5, "passes": false}, {"id": 7, "title": null, "priority": null}, {"id": "", "priority": {"n": 1}} ], "project": "P" }""" },
        { "ralph", """{ "userStories": [ {"id": "US-001", "priority": 1, "passes": false}, {"id": "US-002", "priority": 2, "passes": false, "status": "in_progress"}, {"id": "US-003", "priority": 1, "passes": false, "status": "in_progress"} ] }""" },
        { "ralph", """{ "userStories": [] }""" },
        { "ralph-scripts", """{ "userStories": [ {"id": "US-001", "passes": false, "steps": 3, "name": 4} ] }""" },
    };

    public static TheoryData<string, string> InvalidLists => new()
    {
        { "feature-list", """{ "features": [ {"id": "A", "steps": "not a list"} ] }""" },
        { "feature-list", """{ "features": [ {"id": "A", "status": 3} ] }""" },
        { "feature-list", """{ "features": [ {"id": "A", "attempts": -1} ] }""" },
        { "feature-list", """{ "features": [ "A" ] }""" },
        { "feature-list", """{ "features": { "A": 1 } }""" },
        { "feature-list", """{ "items": [] }""" },
        { "feature-list", """[ {"id": "A"} ]""" },
        { "feature-list", "{ \"features\": [ {\"id\": \"A\" \"status\": \"pending\"} ] }" },
        { "feature-list", "{ \"features\": [ {\"id\": \"A\", \"status\": \"pending\"}" },
        { "quickstart", """[ {"description": "One", "passes": "yes"} ]""" },
        { "quickstart", """{ "features": [] }""" },
        { "ralph", """{ "features": [] }""" },
        { "ralph", """[ {"id": "US-001"} ]""" },
        { "ralph", """{ "userStories": { "US-001": {} } }""" },
        { "ralph", """{ "userStories": [ {"id": "US-001", "passes": "yes"} ] }""" },
        { "ralph", """{ "userStories": [ {"id": "US-001", "acceptanceCriteria": "Typecheck passes"} ] }""" },
        { "ralph", """{ "userStories": [ {"id": "US-001", "title": 1} ] }""" },
        { "ralph", """{ "userStories": [], "userStories": [] }""" },
    };

    [Theory]
    [MemberData(nameof(ValidLists))]
    public void Summary_matches_the_full_parse(string kind, string json)
    {
        using var dir = TempDirectory.Create();
        var layout = Write(dir, kind, json);

        var full = FeatureStore.Load(layout)!.ToSummary();
        var fast = FeatureStore.LoadSummary(layout)!;

        Assert.Equal(full.Path, fast.Path);
        Assert.Equal(full.Format, fast.Format);
        Assert.Equal(full.Counts, fast.Counts);
        Assert.Equal(full.NextFeature, fast.NextFeature);
        Assert.Equal(full.Problems.Select(p => (p.Kind, p.Message)), fast.Problems.Select(p => (p.Kind, p.Message)));
    }

    [Theory]
    [MemberData(nameof(InvalidLists))]
    public void Summary_rejects_what_the_full_parse_rejects_with_the_same_error(string kind, string json)
    {
        using var dir = TempDirectory.Create();
        var layout = Write(dir, kind, json);

        var full = Assert.Throws<HarnessException>(() => FeatureStore.Load(layout));
        var fast = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));

        Assert.Equal(ErrorIds.FeatureListInvalid, fast.ErrorId);
        Assert.Equal(full.Message, fast.Message);
        Assert.Equal(full.Line, fast.Line);
    }

    public static TheoryData<string, string, int> CutOrExtendedLists => new()
    {
        // The root object never closed: the entry used to count these features, `features` refused.
        { "feature-list", "{\n \"features\": [\n  {\"id\": \"F1\", \"status\": \"pending\"}\n ]\n", 5 },
        { "feature-list", "{\n \"features\": [\n  {\"id\": \"F1\", \"status\": \"pending\"}\n ]", 4 },

        // Garbage, or a second document, after the root.
        { "feature-list", "{\n \"features\": [\n  {\"id\": \"F1\", \"status\": \"pending\"}\n ]\n}\nxyz\n", 6 },
        { "feature-list", "{\n \"features\": []\n}\n{ \"features\": [] }\n", 4 },
        { "feature-list", "{\n \"features\": [\n  {\"id\": \"F1\"}\n ]\n}}\n", 5 },
        { "quickstart", "[\n  {\"description\": \"One\", \"passes\": false}\n]\n]\n", 4 },
        { "quickstart", "[\n  {\"description\": \"One\", \"passes\": false}\n", 3 },
    };

    [Theory]
    [MemberData(nameof(CutOrExtendedLists))]
    public void A_cut_list_or_garbage_after_the_root_is_rejected_by_both_with_file_and_line(string kind, string json, int line)
    {
        using var dir = TempDirectory.Create();
        var layout = Write(dir, kind, json);
        var path = FeatureStore.Locate(layout)!.Value.Path;

        var full = Assert.Throws<HarnessException>(() => FeatureStore.Load(layout));
        var fast = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));

        Assert.Equal(ErrorIds.FeatureListInvalid, full.ErrorId);
        Assert.Equal(ErrorIds.FeatureListInvalid, fast.ErrorId);
        Assert.Equal(full.Message, fast.Message);
        Assert.True(fast.Message.StartsWith($"{path}({line},", StringComparison.Ordinal), fast.Message);
        Assert.Equal(line, fast.Line);
        Assert.Equal(path, fast.FilePath);
    }

    [Fact]
    public void Text_that_is_not_utf8_is_a_problem_with_its_path_not_a_crash()
    {
        using var dir = TempDirectory.Create();
        var layout = WriteWithBadBytes(dir, "{ \"features\": [\n {\"id\": \"A\", \"description\": \"caf\u00e9\"},\n {\"id\": \"B\", \"notes\": \"XX\"}\n] }", 0xC3, 0x28);

        var full = Assert.Throws<HarnessException>(() => FeatureStore.Load(layout));
        var fast = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));

        Assert.Equal("$.features[1].notes", full.JsonPath);
        Assert.Equal(3, full.Line);
        Assert.Equal(full.Message, fast.Message);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_in_a_field_the_harness_does_not_read_are_accepted_by_both()
    {
        using var dir = TempDirectory.Create();
        var layout = WriteWithBadBytes(dir, "{ \"features\": [ {\"id\": \"A\", \"status\": \"in_progress\", \"owner\": \"XX\"}, {\"id\": \"B\"} ] }", 0xFF, 0x20);

        var full = FeatureStore.Load(layout)!.ToSummary();
        var fast = FeatureStore.LoadSummary(layout)!;

        Assert.Equal(full.Counts, fast.Counts);
        Assert.Equal(full.NextFeature, fast.NextFeature);
        Assert.Equal("A", fast.NextFeature!.Id);
    }

    [Fact]
    public void Two_features_arrays_are_refused_rather_than_one_silently_read()
    {
        using var dir = TempDirectory.Create();
        var layout = Write(dir, "feature-list", "{ \"features\": [ {\"id\": \"A\"} ],\n  \"features\": [ {\"id\": \"B\"} ] }");

        var full = Assert.Throws<HarnessException>(() => FeatureStore.Load(layout));
        var fast = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));

        Assert.Equal("$.features", full.JsonPath);
        Assert.Contains("appears twice", full.Message);
        Assert.Equal(full.Message, fast.Message);
    }

    [Fact]
    public void Next_feature_is_materialized_in_full()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "completed"), ("F2", "pending"), ("F3", "in_progress"));

        var next = FeatureStore.LoadSummary(ProjectLayout.ForRoot(dir.Path))!.NextFeature!;

        Assert.Equal("F3", next.Id);
        Assert.Equal(2, next.Index);
        Assert.Equal("Description of F3", next.Description);
        Assert.Equal(["step one", "step two"], next.Steps);
        Assert.Equal(ProjectFiles.FeatureListPath(dir.Path), next.Path);
    }

    /// <summary>A seed list whose "XX" is replaced by two raw bytes (not UTF-8: a file saved in another encoding, or damaged).</summary>
    private static ProjectLayout WriteWithBadBytes(TempDirectory dir, string json, byte first, byte second)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var at = bytes.AsSpan().IndexOf("XX"u8);
        bytes[at] = first;
        bytes[at + 1] = second;
        var path = ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), "");
        File.WriteAllBytes(path, bytes);
        return ProjectLayout.ForRoot(dir.Path);
    }

    [Fact]
    public void A_ralph_error_names_ralph_s_own_fields()
    {
        using var dir = TempDirectory.Create();
        var layout = Write(dir, "ralph", "{\n \"userStories\": [\n  {\"id\": \"US-001\",\n   \"acceptanceCriteria\": [\"ok\", 3]}\n ]\n}\n");

        var error = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));

        Assert.Equal("$.userStories[0].acceptanceCriteria[1]", error.JsonPath);
        Assert.Equal(4, error.Line);
        Assert.Equal(ProjectFiles.RalphPath(dir.Path), error.FilePath);
    }

    private static ProjectLayout Write(TempDirectory dir, string kind, string json)
    {
        switch (kind)
        {
            case "quickstart":
                dir.Write("feature_list.json", json);
                break;
            case "ralph":
                dir.Write("prd.json", json);
                break;
            case "ralph-scripts":
                ProjectFiles.Write(Path.Combine(dir.Path, "scripts", "ralph", "prd.json"), json);
                break;
            default:
                ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), json);
                break;
        }

        return ProjectLayout.ForRoot(dir.Path);
    }
}
