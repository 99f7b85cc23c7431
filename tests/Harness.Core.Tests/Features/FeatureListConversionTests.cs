using System.Text;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Features;

namespace Harness.Core.Tests.Features;

/// <summary>One format into another, losing no field; what cannot be kept is refused, never dropped.</summary>
public class FeatureListConversionTests
{
    // snarktank/ralph's prd.json.example, with what forks and people add: a root field, a story field, our status and attempts.
    private const string Prd = """
        {
          "project": "MyApp",
          "branchName": "ralph/task-priority",
          "description": "Task Priority System",
          "verificationCommands": { "typecheck": "npm run build" },
          "userStories": [
            {
              "id": "US-001",
              "title": "Add priority field to database",
              "description": "As a developer, I need to store task priority.",
              "acceptanceCriteria": ["Generate and run migration successfully", "Typecheck passes"],
              "priority": 1,
              "passes": true,
              "notes": ""
            },
            {
              "id": "US-002",
              "title": "Display priority indicator",
              "description": "As a user, I want to see task priority at a glance.",
              "acceptanceCriteria": ["Badge shows", "Verify in browser using dev-browser skill"],
              "priority": 2,
              "passes": false,
              "status": "in_progress",
              "attempts": 1,
              "dependencies": ["US-001"],
              "notes": "half done"
            },
            {
              "id": "US-003",
              "title": "Add priority selector",
              "description": "As a user, I want to change a task's priority.",
              "acceptanceCriteria": ["Dropdown"],
              "priority": 3,
              "passes": false,
              "notes": ""
            }
          ]
        }
        """;

    [Fact]
    public void Ralph_to_seed_maps_every_modelled_field_keeps_the_rest_and_back_gives_the_same_document()
    {
        var (source, seed, count, _) = FeatureListConversion.Convert("/p/prd.json", Bytes(Prd), FeatureListFormat.Seed);

        Assert.Equal(FeatureListFormat.Ralph, source);
        Assert.Equal(3, count);
        var root = JsonNode.Parse(seed)!;
        Assert.Equal("ralph/task-priority", root["branchName"]!.GetValue<string>());
        Assert.Equal("npm run build", root["verificationCommands"]!["typecheck"]!.GetValue<string>());
        Assert.Null(root["userStories"]);
        var second = root["features"]![1]!;
        Assert.Equal("Display priority indicator", second["name"]!.GetValue<string>());
        Assert.Equal(["Badge shows", "Verify in browser using dev-browser skill"], second["steps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("in_progress", second["status"]!.GetValue<string>());
        Assert.Null(second["passes"]);
        Assert.Null(second["title"]);
        Assert.Equal(2, second["priority"]!.GetValue<int>());
        Assert.Equal(["US-001"], second["dependencies"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("completed", root["features"]![0]!["status"]!.GetValue<string>());

        var seedList = FeatureListReader.ReadList("/p/feature-list.json", seed, FeatureListFormat.Seed);
        var ralphList = FeatureListReader.ReadList("/p/prd.json", Bytes(Prd), FeatureListFormat.Ralph);
        Assert.Equal(
            ralphList.Features.Select(f => (f.Id, f.Name, f.Description, string.Join("|", f.Steps), f.Status, f.Attempts, f.Notes)),
            seedList.Features.Select(f => (f.Id, f.Name, f.Description, string.Join("|", f.Steps), f.Status, f.Attempts, f.Notes)));

        // And back: the very document it came from, field for field.
        var (_, back, _, _) = FeatureListConversion.Convert("/p/feature-list.json", seed, FeatureListFormat.Ralph);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Prd), JsonNode.Parse(back)), Encoding.UTF8.GetString(back));
    }

    [Fact]
    public void Ralph_stories_go_into_the_other_formats_in_priority_order_so_the_next_feature_stays_the_next()
    {
        var prd = """
            { "userStories": [
              { "id": "C", "priority": 3, "passes": false },
              { "id": "W", "priority": "high", "passes": false },
              { "id": "A", "priority": 1, "passes": true },
              { "id": "B", "priority": 2, "passes": false },
              { "id": "B2", "priority": 2, "passes": false }
            ] }
            """;

        var (_, seed, _, _) = FeatureListConversion.Convert("/p/prd.json", Bytes(prd), FeatureListFormat.Seed);
        var (_, quickstart, _, _) = FeatureListConversion.Convert("/p/prd.json", Bytes(prd), FeatureListFormat.Quickstart);

        var seedList = FeatureListReader.ReadList("/p/feature-list.json", seed, FeatureListFormat.Seed);
        var quickstartList = FeatureListReader.ReadList("/p/feature_list.json", quickstart, FeatureListFormat.Quickstart);
        Assert.Equal(["A", "B", "B2", "C", "W"], seedList.Features.Select(f => f.Id));
        Assert.Equal(["A", "B", "B2", "C", "W"], quickstartList.Features.Select(f => f.Id));
        Assert.Equal("B", FeatureListReader.ReadList("/p/prd.json", Bytes(prd), FeatureListFormat.Ralph).NextFeature!.Id);
        Assert.Equal("B", seedList.NextFeature!.Id);
        Assert.Equal("B", quickstartList.NextFeature!.Id);
        Assert.Equal("high", JsonNode.Parse(seed)!["features"]![4]!["priority"]!.GetValue<string>());
    }

    [Fact]
    public void A_quickstart_list_keeps_its_derived_ids_and_numbers_its_stories_for_ralph()
    {
        var quickstart = """
            [
              { "category": "functional", "description": "New chat button\nsecond line", "steps": ["Click it"], "passes": true },
              { "category": "ui", "description": "Sidebar lists conversations", "steps": [], "passes": false, "status": "blocked", "notes": "needs an API key" }
            ]
            """;

        var (source, seed, _, _) = FeatureListConversion.Convert("/p/feature_list.json", Bytes(quickstart), FeatureListFormat.Seed);
        var (_, prd, _, _) = FeatureListConversion.Convert("/p/feature_list.json", Bytes(quickstart), FeatureListFormat.Ralph);

        Assert.Equal(FeatureListFormat.Quickstart, source);
        var seedList = FeatureListReader.ReadList("/p/feature-list.json", seed, FeatureListFormat.Seed);
        Assert.Equal(["F001", "F002"], seedList.Features.Select(f => f.Id));
        Assert.Equal(["completed", "blocked"], seedList.Features.Select(f => f.Status));
        Assert.Equal("New chat button", seedList.Features[0].Name);
        var stories = JsonNode.Parse(prd)!["userStories"]!.AsArray();
        Assert.Equal(["F001", "F002"], stories.Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal([1, 2], stories.Select(s => s!["priority"]!.GetValue<int>()));
        Assert.Equal([true, false], stories.Select(s => s!["passes"]!.GetValue<bool>()));
        Assert.Equal("blocked", stories[1]!["status"]!.GetValue<string>());
        Assert.Equal(["Click it"], stories[0]!["acceptanceCriteria"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("ui", stories[1]!["category"]!.GetValue<string>());
    }

    [Fact]
    public void Into_the_quickstart_a_name_is_kept_under_its_own_field_and_comes_back()
    {
        var seed = """{ "features": [ { "id": "F7", "name": "Login", "description": "User logs in", "steps": ["open"], "status": "tested", "attempts": 2, "notes": "n" } ] }""";

        var (_, quickstart, _, _) = FeatureListConversion.Convert("/p/feature-list.json", Bytes(seed), FeatureListFormat.Quickstart);
        var (_, back, _, _) = FeatureListConversion.Convert("/p/feature_list.json", quickstart, FeatureListFormat.Seed);

        var item = JsonNode.Parse(quickstart)!.AsArray()[0]!;
        Assert.Equal("Login", item["name"]!.GetValue<string>());
        Assert.True(item["passes"]!.GetValue<bool>());
        Assert.Equal("tested", item["status"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(seed), JsonNode.Parse(back)), Encoding.UTF8.GetString(back));
    }

    [Fact]
    public void Root_fields_the_quickstart_s_bare_array_cannot_hold_are_refused_by_name()
    {
        var error = Assert.Throws<HarnessException>(() => FeatureListConversion.Convert("/p/prd.json", Bytes(Prd), FeatureListFormat.Quickstart));

        Assert.Equal(ErrorIds.FeatureListInvalid, error.ErrorId);
        Assert.Contains("project, branchName, description, verificationCommands", error.Message);
        Assert.Contains("no place in the quickstart format", error.Message);
        Assert.Equal("/p/prd.json", error.FilePath);
    }

    [Fact]
    public void A_field_that_would_overwrite_another_with_a_different_value_is_refused()
    {
        // A Ralph fork's story with both a title and a name: the seed has one place for a name.
        var prd = """{ "userStories": [ { "id": "US-001", "title": "Title", "name": "Other", "passes": false } ] }""";
        var same = """{ "userStories": [ { "id": "US-001", "title": "Same", "name": "Same", "passes": false } ] }""";

        var error = Assert.Throws<HarnessException>(() => FeatureListConversion.Convert("/p/prd.json", Bytes(prd), FeatureListFormat.Seed));
        var (_, converted, _, _) = FeatureListConversion.Convert("/p/prd.json", Bytes(same), FeatureListFormat.Seed);

        Assert.Contains("$.userStories[0].name would be written twice", error.Message);
        Assert.Contains("nothing was written", error.Message);
        Assert.Equal("Same", JsonNode.Parse(converted)!["features"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_source_that_does_not_read_is_refused_with_the_reader_s_error()
    {
        var error = Assert.Throws<HarnessException>(() => FeatureListConversion.Convert("/p/prd.json", Bytes("""{ "userStories": [ { "id": "US-001", "passes": "yes" } ] }"""), FeatureListFormat.Seed));

        Assert.Equal(ErrorIds.FeatureListInvalid, error.ErrorId);
        Assert.Equal("$.userStories[0].passes", error.JsonPath);
    }

    [Theory]
    [InlineData("x.json", """[ {"description": "a"} ]""", FeatureListFormat.Quickstart)]
    [InlineData("x.json", """{ "meta": [1, {"userStories": []}], "userStories": [] }""", FeatureListFormat.Ralph)]
    [InlineData("prd.json", """{ "features": [] }""", FeatureListFormat.Seed)]
    [InlineData("prd.json", """{ "stories": [] }""", FeatureListFormat.Ralph)]
    [InlineData("prd.json", "{ not json", FeatureListFormat.Ralph)]
    [InlineData("list.json", """{ "stories": [] }""", FeatureListFormat.Seed)]
    public void The_format_is_told_by_the_shape_and_by_the_name_when_the_shape_does_not_say(string name, string json, FeatureListFormat expected) =>
        Assert.Equal(expected, FeatureListConversion.Detect("/p/" + name, Bytes(json)));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
