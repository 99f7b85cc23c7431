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
}
