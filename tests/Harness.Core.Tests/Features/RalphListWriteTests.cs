using System.Text;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

/// <summary>
/// Ralph's prd.json read and updated in place: a story's passes flips when it is done and back when
/// it is not, and every byte the edit did not change stays (indentation, inline arrays, escapes,
/// comments, unknown fields and their order).
/// </summary>
public class RalphListWriteTests
{
    // Laid out the way people and other tools write it, not the way the harness would: four spaces,
    // inline arrays, an escaped é, a comment, fields the harness does not model, in their own order.
    private const string Prd = "{\n" +
        "    \"branchName\": \"ralph/caf\\u00e9\",\n" +
        "    // the stories, lowest priority first\n" +
        "    \"userStories\": [\n" +
        "        {\n" +
        "            \"passes\": false,\n" +
        "            \"id\": \"US-001\",\n" +
        "            \"title\": \"Caf\\u00e9 menu\",\n" +
        "            \"acceptanceCriteria\": [\"Menu shows\", \"Typecheck passes\"],\n" +
        "            \"priority\": 2,\n" +
        "            \"notes\": \"\",\n" +
        "            \"estimate\": 1.50\n" +
        "        },\n" +
        "        {\"id\": \"US-002\", \"title\": \"Badge\", \"acceptanceCriteria\": [], \"priority\": 1, \"passes\": false, \"notes\": \"\"}\n" +
        "    ],\n" +
        "    \"owner\": { \"team\": \"web\" }\n" +
        "}\n";

    [Fact]
    public void Done_flips_passes_in_place_and_undone_flips_it_back_to_the_very_same_bytes()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", Prd);

        FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Completed);
        Assert.Equal(Prd.Replace("\"passes\": false,\n            \"id\": \"US-001\"", "\"passes\": true,\n            \"id\": \"US-001\"", StringComparison.Ordinal), File.ReadAllText(path));

        FeatureStore.SetStatus(layout, ["US-002"], FeatureStatuses.Tested);
        Assert.EndsWith("\"priority\": 1, \"passes\": true, \"notes\": \"\", \"status\": \"tested\"}\n    ],\n    \"owner\": { \"team\": \"web\" }\n}\n", File.ReadAllText(path), StringComparison.Ordinal);

        FeatureStore.SetStatus(layout, ["US-001", "US-002"], FeatureStatuses.Pending);
        Assert.Equal(Prd, File.ReadAllText(path));
    }

    [Fact]
    public void A_field_the_harness_adds_is_indented_like_the_story_s_last_field_and_removed_cleanly()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", Prd);

        FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.InProgress);
        Assert.Equal(Prd.Replace("\"estimate\": 1.50\n", "\"estimate\": 1.50,\n            \"status\": \"in_progress\"\n", StringComparison.Ordinal), File.ReadAllText(path));

        var failed = FeatureStore.RecordFailedAttempt(layout, "US-001", attemptsBefore: 0, limit: 3, "Session s1 ended without finishing it.");
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(Prd.Replace("\"notes\": \"\",\n            \"estimate\": 1.50\n", "\"notes\": \"Session s1 ended without finishing it.\",\n            \"estimate\": 1.50,\n            \"status\": \"in_progress\",\n            \"attempts\": 1\n", StringComparison.Ordinal), File.ReadAllText(path));

        FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Completed, notes: "");
        Assert.Equal(Prd.Replace("\"passes\": false,\n            \"id\": \"US-001\"", "\"passes\": true,\n            \"id\": \"US-001\"", StringComparison.Ordinal).Replace("\"estimate\": 1.50\n", "\"estimate\": 1.50,\n            \"attempts\": 1\n", StringComparison.Ordinal), File.ReadAllText(path));
    }

    [Fact]
    public void A_compact_one_line_list_stays_on_one_line()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", """{"userStories":[{"id":"A","passes":false},{"id":"B"}]}""");

        FeatureStore.SetStatus(layout, ["A", "B"], FeatureStatuses.Blocked);

        Assert.Equal("""{"userStories":[{"id":"A","passes":false,"status":"blocked"},{"id":"B","passes":false,"status":"blocked"}]}""", File.ReadAllText(path));
    }

    [Fact]
    public void A_status_that_is_the_story_s_first_field_goes_with_the_comma_after_it()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", """{"userStories":[{"status":"in_progress", "id":"A","passes":false}]}""");

        FeatureStore.SetStatus(layout, ["A"], FeatureStatuses.Completed);

        Assert.Equal("""{"userStories":[{"id":"A","passes":true}]}""", File.ReadAllText(path));
    }

    [Fact]
    public void A_layout_the_splice_does_not_follow_is_written_whole_with_the_same_content()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        // A comment between the last field's colon and its value: no plain spacing to copy for a new field.
        var path = dir.Write("prd.json", """{ "branchName": "b", "userStories": [ { "id": "A", "passes": false, "x": /* why */ [1] } ] }""");

        FeatureStore.SetStatus(layout, ["A"], FeatureStatuses.InProgress);

        Assert.Equal("{\n  \"branchName\": \"b\",\n  \"userStories\": [\n    {\n      \"id\": \"A\",\n      \"passes\": false,\n      \"x\": [\n        1\n      ],\n      \"status\": \"in_progress\"\n    }\n  ]\n}\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_story_written_as_an_empty_object_gets_its_fields_inside_the_braces()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", "{ \"userStories\": [ {} ] }\n");

        Assert.Equal("#1", FeatureStore.Load(layout)!.Features[0].Id);
        FeatureStore.SetStatus(layout, ["#1"], FeatureStatuses.Completed);

        Assert.Equal("{ \"userStories\": [ { \"passes\": true } ] }\n", File.ReadAllText(path));
    }

    [Fact]
    public void A_byte_order_mark_and_windows_line_ends_are_kept()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var crlf = Prd.Replace("\n", "\r\n", StringComparison.Ordinal);
        var path = Path.Combine(dir.Path, "prd.json");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(crlf)]);

        FeatureStore.SetStatus(layout, ["US-002"], FeatureStatuses.InProgress);
        FeatureStore.SetStatus(layout, ["US-002"], FeatureStatuses.Pending);

        Assert.Equal([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(crlf)], File.ReadAllBytes(path));
    }

    [Fact]
    public void Stories_are_taken_by_priority_whatever_their_place_in_the_file()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        dir.Write("prd.json", Prd);

        Assert.Equal("US-002", FeatureStore.Load(layout)!.NextFeature!.Id);
        Assert.Equal("US-002", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);
        FeatureStore.SetStatus(layout, ["US-002"], FeatureStatuses.Completed);
        Assert.Equal("US-001", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);
    }

    public static TheoryData<string, string, string> InvalidFiles => new()
    {
        // What is wrong, the file's text, the JSON path the error must name.
        { "passes is not a boolean", """{ "userStories": [ { "id": "US-001", "passes": "false" } ] }""", "$.userStories[0].passes" },
        { "truncated", "{ \"userStories\": [ { \"id\": \"US-001\", \"passes\": fal", "" },
        { "no userStories", """{ "branchName": "ralph/x", "stories": [] }""", "$.userStories" },
        { "userStories is not an array", """{ "userStories": { "US-001": { "passes": false } } }""", "$.userStories" },
        { "a seed list beside the stories", """{ "userStories": [ { "id": "US-001", "passes": false } ], "features": [] }""", "$.features" },
        { "a title that is not text", """{ "userStories": [ { "id": "US-001", "title": ["a"], "passes": false } ] }""", "$.userStories[0].title" },
    };

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void An_invalid_prd_json_is_an_error_naming_file_and_field_and_is_never_written(string problem, string json, string jsonPath)
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = dir.Write("prd.json", json);

        var read = Assert.Throws<HarnessException>(() => FeatureStore.LoadSummary(layout));
        var write = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Completed));

        foreach (var error in new[] { read, write })
        {
            Assert.True(error.ErrorId == ErrorIds.FeatureListInvalid, problem);
            Assert.Equal(path, error.FilePath);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(error.Fix), problem);
            if (jsonPath.Length > 0)
            {
                Assert.Equal(jsonPath, error.JsonPath);
            }
        }

        Assert.Equal(json, File.ReadAllText(path));
        Assert.False(File.Exists(layout.SidecarOf(path, ".bak")));
    }

    [Fact]
    public void Duplicate_ids_are_reported_by_name_and_a_write_to_one_of_them_changes_nothing()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var json = """{ "userStories": [ { "id": "US-001", "passes": false }, { "id": "US-001", "passes": false }, { "id": "US-002", "passes": false } ] }""";
        var path = dir.Write("prd.json", json);

        var problem = Assert.Single(FeatureStore.LoadSummary(layout)!.Problems);
        var error = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Completed));

        Assert.Equal(["US-001"], problem.FeatureIds);
        Assert.Contains("duplicate feature ids: US-001", problem.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorIds.FeatureIdAmbiguous, error.ErrorId);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("positions 1, 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void A_story_without_an_id_is_reported_and_named_by_its_position()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var json = """{ "userStories": [ { "id": "US-001", "passes": true }, { "title": "No id", "passes": false } ] }""";
        var path = dir.Write("prd.json", json);

        var summary = FeatureStore.LoadSummary(layout)!;

        Assert.Equal("#2", summary.NextFeature!.Id);
        var problem = Assert.Single(summary.Problems);
        Assert.Equal(["#2"], problem.FeatureIds);
        Assert.Contains("without an id", problem.Message, StringComparison.Ordinal);
        Assert.Equal(json, File.ReadAllText(path));
    }

    [Fact]
    public void A_list_with_both_a_seed_and_a_ralph_array_is_ambiguous_wherever_it_is_read()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var json = """{ "features": [ { "id": "F1", "status": "pending" } ], "userStories": [ { "id": "US-001", "passes": false } ] }""";
        var seed = ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), json);

        var read = Assert.Throws<HarnessException>(() => FeatureStore.Load(layout));
        var import = Assert.Throws<HarnessException>(() => FeatureListConversion.Convert(seed, Encoding.UTF8.GetBytes(json), FeatureListFormat.Ralph));

        Assert.Equal("$.userStories", read.JsonPath);
        Assert.Contains("does not guess", read.Message, StringComparison.Ordinal);
        Assert.Equal(seed, import.FilePath);
        Assert.Equal("$.userStories", import.JsonPath);
        Assert.Equal(json, File.ReadAllText(seed));
    }
}
