using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

public class FeatureStoreTests
{
    [Fact]
    public void Counts_the_seed_format_by_status()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ("F2", "in_progress"), ("F3", "tested"), ("F4", "completed"), ("F5", "blocked"), ("F6", "pending"));

        var list = FeatureStore.Load(ProjectLayout.ForRoot(dir.Path))!;

        Assert.Equal(FeatureListFormat.Seed, list.Format);
        Assert.Equal(new FeatureCounts { Total = 6, Pending = 2, InProgress = 1, Tested = 1, Completed = 1, Blocked = 1 }, list.Counts);
        Assert.Equal(2, list.Counts.Done);
        Assert.Equal(3, list.Counts.Remaining);
        Assert.Equal("F2", list.NextFeature!.Id);
        Assert.Equal(["step one", "step two"], list.Features[0].Steps);
        Assert.Empty(list.Problems);
    }

    [Fact]
    public void Reads_the_quickstart_format_when_the_seed_file_is_absent()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteQuickstartFeatures(dir.Path, true, false, false);

        var list = FeatureStore.Load(ProjectLayout.ForRoot(dir.Path))!;

        Assert.Equal(FeatureListFormat.Quickstart, list.Format);
        Assert.Equal(["F001", "F002", "F003"], list.Features.Select(f => f.Id));
        Assert.Equal(["completed", "pending", "pending"], list.Features.Select(f => f.Status));
        Assert.Equal("User can do thing 2", list.Features[1].Name);
        Assert.Equal("F002", list.NextFeature!.Id);
    }

    [Fact]
    public void Seed_file_wins_over_the_quickstart_file()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteQuickstartFeatures(dir.Path, false);
        ProjectFiles.WriteFeatures(dir.Path, ("A", "completed"));

        Assert.Equal(FeatureListFormat.Seed, FeatureStore.Load(ProjectLayout.ForRoot(dir.Path))!.Format);
    }

    [Fact]
    public void Validation_lists_duplicate_ids_and_unknown_statuses_by_id()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ("F1", "completed"), ("F2", "done"), ("F3", "wip"));

        var list = FeatureStore.Load(ProjectLayout.ForRoot(dir.Path))!;

        var duplicate = Assert.Single(list.Problems, p => p.Kind == FeatureValidation.DuplicateId);
        Assert.Equal(["F1"], duplicate.FeatureIds);
        var unknown = Assert.Single(list.Problems, p => p.Kind == FeatureValidation.UnknownStatus);
        Assert.Equal(["F2", "F3"], unknown.FeatureIds);
        Assert.Contains("F2 (\"done\")", unknown.Message);
        Assert.Equal(2, list.Counts.Unknown);
    }

    [Fact]
    public void Broken_list_names_the_line_and_is_left_alone()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), "{\n \"features\": [\n  {\"id\": \"F1\", \"status\": \"pending\"},\n  {\"id\": \"F2\" \"status\": \"pending\"}\n ]\n}\n");
        var before = File.ReadAllBytes(path);

        var load = Assert.Throws<HarnessException>(() => FeatureStore.Load(ProjectLayout.ForRoot(dir.Path)));
        Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(ProjectLayout.ForRoot(dir.Path), ["F1"], "completed"));

        Assert.Equal(ErrorIds.FeatureListInvalid, load.ErrorId);
        Assert.Equal(4, load.Line);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Structural_errors_name_path_and_line()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), "{\n \"features\": [\n  {\"id\": \"F1\", \"steps\": \"not a list\"}\n ]\n}\n");

        var error = Assert.Throws<HarnessException>(() => FeatureStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Equal("$.features[0].steps", error.JsonPath);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void Set_status_updates_in_one_write_and_keeps_unknown_fields()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), """
            { "version": 2, "features": [
              { "id": "F1", "name": "Login", "status": "pending", "owner": "ana" },
              { "id": "F2", "name": "Logout", "status": "pending" }
            ] }
            """);
        var layout = ProjectLayout.ForRoot(dir.Path);

        var updated = FeatureStore.SetStatus(layout, ["F1", "F2"], "in_progress", notes: "started");

        Assert.All(updated, f => Assert.Equal("in_progress", f.Status));
        var text = File.ReadAllText(path);
        Assert.Contains("\"owner\": \"ana\"", text);
        Assert.Contains("\"version\": 2", text);
        Assert.Equal(["started", "started"], FeatureStore.Load(layout)!.Features.Select(f => f.Notes));
        Assert.True(File.Exists(path + ".bak"));
    }

    [Fact]
    public void Set_status_with_an_unknown_id_or_status_writes_nothing()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"));
        var layout = ProjectLayout.ForRoot(dir.Path);
        var before = File.ReadAllBytes(path);

        var notFound = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(layout, ["F1", "NOPE"], "completed"));
        var badStatus = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(layout, ["F1"], "done"));

        Assert.Equal(ErrorIds.FeatureNotFound, notFound.ErrorId);
        Assert.Contains("NOPE", notFound.Message);
        Assert.Equal(ErrorIds.FeatureStatusInvalid, badStatus.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Set_status_refuses_an_ambiguous_id()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ("F1", "pending"));

        var error = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(ProjectLayout.ForRoot(dir.Path), ["F1"], "completed"));

        Assert.Equal(ErrorIds.FeatureIdAmbiguous, error.ErrorId);
    }

    [Fact]
    public void Quickstart_status_updates_map_to_passes()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteQuickstartFeatures(dir.Path, false, false);
        var layout = ProjectLayout.ForRoot(dir.Path);

        FeatureStore.SetStatus(layout, ["F001"], "completed");
        FeatureStore.SetStatus(layout, ["F002"], "blocked");

        var list = FeatureStore.Load(layout)!;
        Assert.Equal(["completed", "blocked"], list.Features.Select(f => f.Status));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        Assert.True(json[0]!["passes"]!.GetValue<bool>());
        Assert.Null(json[0]!["status"]);
        Assert.False(json[1]!["passes"]!.GetValue<bool>());
        Assert.Equal("blocked", json[1]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void Reads_ralph_s_prd_json_its_title_criteria_passes_and_priority()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteRalphFeatures(dir.Path, [("US-001", 1, true), ("US-002", 3, false), ("US-003", 2, false)]);

        var list = FeatureStore.Load(ProjectLayout.ForRoot(dir.Path))!;
        var summary = FeatureStore.LoadSummary(ProjectLayout.ForRoot(dir.Path))!;

        Assert.Equal(FeatureListFormat.Ralph, list.Format);
        Assert.Equal(ProjectFiles.RalphPath(dir.Path), list.FilePath);
        Assert.Equal(["US-001", "US-002", "US-003"], list.Features.Select(f => f.Id));
        Assert.Equal(["completed", "pending", "pending"], list.Features.Select(f => f.Status));
        Assert.Equal("Story US-002", list.Features[1].Name);
        Assert.Equal("As a user, I want US-002 so that it works.", list.Features[1].Description);
        Assert.Equal(["US-002 works", "Typecheck passes"], list.Features[1].Steps);
        Assert.Equal([1d, 3d, 2d], list.Features.Select(f => f.Priority!.Value));

        // Ralph takes the story with the lowest priority that does not pass, wherever it is in the file.
        Assert.Equal("US-003", list.NextFeature!.Id);
        Assert.Equal(list.NextFeature, summary.NextFeature);
        Assert.Equal(new FeatureCounts { Total = 3, Pending = 2, Completed = 1 }, summary.Counts);
    }

    [Fact]
    public void Ralph_work_in_progress_comes_first_then_priority_then_file_order_and_unranked_last()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        dir.Write("prd.json", """
            { "userStories": [
              { "id": "A", "priority": "high", "passes": false },
              { "id": "B", "priority": 5, "passes": false },
              { "id": "C", "passes": false },
              { "id": "D", "priority": 5, "passes": false },
              { "id": "E", "priority": 9, "passes": false, "status": "in_progress" },
              { "id": "F", "priority": 4, "passes": false, "status": "in_progress" }
            ] }
            """);

        Assert.Equal("F", FeatureStore.Load(layout)!.NextFeature!.Id);
        Assert.Equal("F", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);

        FeatureStore.SetStatus(layout, ["E", "F"], FeatureStatuses.Completed);
        Assert.Equal("B", FeatureStore.Load(layout)!.NextFeature!.Id);
        Assert.Equal("B", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);

        FeatureStore.SetStatus(layout, ["B", "D"], FeatureStatuses.Completed);
        Assert.Equal("A", FeatureStore.Load(layout)!.NextFeature!.Id);
        Assert.Equal("A", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);
        Assert.Null(FeatureStore.Load(layout)!.Features[0].Priority);
    }

    [Fact]
    public void A_list_is_found_in_order_seed_quickstart_ralph_at_the_root_then_in_scripts_ralph()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var scripts = ProjectFiles.WriteRalphFeatures(dir.Path, [("S-1", 1, false)], Path.Combine(dir.Path, "scripts", "ralph", "prd.json"));
        Assert.Equal((scripts, FeatureListFormat.Ralph), FeatureStore.Locate(layout));
        Assert.Equal("S-1", FeatureStore.LoadSummary(layout)!.NextFeature!.Id);

        ProjectFiles.WriteRalphFeatures(dir.Path, [("R-1", 1, false)]);
        Assert.Equal((ProjectFiles.RalphPath(dir.Path), FeatureListFormat.Ralph), FeatureStore.Locate(layout));

        ProjectFiles.WriteQuickstartFeatures(dir.Path, false);
        Assert.Equal(FeatureListFormat.Quickstart, FeatureStore.Locate(layout)!.Value.Format);

        ProjectFiles.WriteFeatures(dir.Path, ("A", "pending"));
        Assert.Equal((ProjectFiles.FeatureListPath(dir.Path), FeatureListFormat.Seed), FeatureStore.Locate(layout));
    }

    [Theory]
    [InlineData("quickstart")]
    [InlineData("ralph")]
    public void Passes_set_to_true_is_done_even_when_an_older_status_field_says_in_progress(string format)
    {
        // The harness's prompt has the agent set "status": "in_progress"; Ralph's and the
        // quickstart's own prompts then have it set "passes": true and leave the status alone.
        using var dir = TempDirectory.Create();
        if (format == "ralph")
        {
            dir.Write("prd.json", """{ "userStories": [ { "id": "US-001", "passes": true, "status": "in_progress" }, { "id": "US-002", "passes": true, "status": "tested" } ] }""");
        }
        else
        {
            dir.Write("feature_list.json", """[ { "description": "One", "passes": true, "status": "in_progress" }, { "description": "Two", "passes": true, "status": "tested" } ]""");
        }

        var layout = ProjectLayout.ForRoot(dir.Path);

        Assert.Equal(["completed", "tested"], FeatureStore.Load(layout)!.Features.Select(f => f.Status));
        Assert.Equal(2, FeatureStore.LoadSummary(layout)!.Counts.Done);
    }

    [Fact]
    public void Ralph_status_updates_flip_passes_and_keep_every_other_field()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteRalphFeatures(dir.Path, [("US-001", 1, false), ("US-002", 2, false)]);
        var layout = ProjectLayout.ForRoot(dir.Path);

        FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Tested);
        FeatureStore.SetStatus(layout, ["US-002"], FeatureStatuses.Blocked, notes: "needs a key");
        var afterBlocked = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        FeatureStore.SetStatus(layout, ["US-001"], FeatureStatuses.Completed);

        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        var stories = json["userStories"]!.AsArray();
        Assert.Equal("tested", afterBlocked["userStories"]![0]!["status"]!.GetValue<string>());
        Assert.True(stories[0]!["passes"]!.GetValue<bool>());
        Assert.Null(stories[0]!["status"]);
        Assert.False(stories[1]!["passes"]!.GetValue<bool>());
        Assert.Equal("blocked", stories[1]!["status"]!.GetValue<string>());
        Assert.Equal("needs a key", stories[1]!["notes"]!.GetValue<string>());
        Assert.Equal("ralph/test-feature", json["branchName"]!.GetValue<string>());
        Assert.Equal(2, stories[1]!["priority"]!.GetValue<int>());
        Assert.Equal(["US-002 works", "Typecheck passes"], stories[1]!["acceptanceCriteria"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["completed", "blocked"], FeatureStore.Load(layout)!.Features.Select(f => f.Status));
        Assert.True(File.Exists(Path.Combine(dir.Path, ".claude", "progress", "prd.json.bak")));
        Assert.False(File.Exists(path + ".bak"));
    }
}
