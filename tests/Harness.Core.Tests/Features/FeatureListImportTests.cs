using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

/// <summary><c>harness init --import</c> through the project: checked before anything is created, never over a list, nothing lost.</summary>
public class FeatureListImportTests
{
    private const string Prd = """
        {
          "project": "MyApp",
          "branchName": "ralph/task-priority",
          "userStories": [
            { "id": "US-002", "title": "Badge", "description": "d2", "acceptanceCriteria": ["Badge shows"], "priority": 2, "passes": false, "notes": "" },
            { "id": "US-001", "title": "Field", "description": "d1", "acceptanceCriteria": ["Migration runs"], "priority": 1, "passes": true, "dependencies": [], "notes": "" }
          ]
        }

        """;

    [Fact]
    public async Task A_prd_json_imported_into_the_seed_format_is_the_list_the_harness_reads_and_says_where_ralph_s_own_fields_went()
    {
        using var dir = TempDirectory.Create();
        var source = dir.Write(Path.Combine("scripts", "ralph", "prd.json"), Prd);
        using var project = TestProject.Open(dir.Path);

        var result = await project.InitializeAsync(import: new FeatureListImport(source));

        var import = result.Import!;
        var layout = ProjectLayout.ForRoot(dir.Path);
        Assert.Equal((FeatureListFormat.Ralph, FeatureListFormat.Seed, 2, true), (import.SourceFormat, import.TargetFormat, import.Features, import.ReadByHarness));
        Assert.Equal(layout.FeatureListFile, import.TargetPath);
        Assert.Equal(["$.project", "$.branchName", "$.features[*].priority", "$.features[*].dependencies"], import.Kept);
        Assert.Contains(layout.FeatureListFile, result.Created);
        Assert.True(File.Exists(layout.ConfigFile));
        Assert.Equal(Prd, File.ReadAllText(source));

        var list = FeatureStore.Load(layout)!;
        Assert.Equal((layout.FeatureListFile, FeatureListFormat.Seed), (list.FilePath, list.Format));
        Assert.Equal(["US-001", "US-002"], list.Features.Select(f => f.Id));
        Assert.Equal(["completed", "pending"], list.Features.Select(f => f.Status));
        Assert.Equal("ralph/task-priority", JsonNode.Parse(File.ReadAllText(layout.FeatureListFile))!["branchName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dry_run_reports_the_import_and_writes_nothing()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        var source = dir.Write("prd.json", Prd);
        using var project = TestProject.Open(dir.Path);

        var result = await project.InitializeAsync(dryRun: true, import: new FeatureListImport("prd.json"));

        Assert.True(result.DryRun);
        Assert.Equal(2, result.Import!.Features);
        Assert.Equal(source, result.Import.SourcePath);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
        Assert.Equal(["package.json", "prd.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_import_onto_an_existing_list_is_refused_before_anything_is_created()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        var source = ProjectFiles.WriteFeatures(dir.Path, [("F1", "pending")]);
        var existing = dir.Write("prd.json", Prd);
        using var project = TestProject.Open(dir.Path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.InitializeAsync(import: new FeatureListImport(source, FeatureListFormat.Ralph)));

        Assert.Equal(ErrorIds.FeatureListExists, error.ErrorId);
        Assert.Equal(existing, error.FilePath);
        Assert.Contains("never overwrites", error.Message, StringComparison.Ordinal);
        Assert.Equal(Prd, File.ReadAllText(existing));
        Assert.False(File.Exists(ProjectLayout.ForRoot(dir.Path).ConfigFile));
    }

    [Fact]
    public async Task A_source_that_does_not_read_is_refused_naming_it_and_nothing_is_created()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        var source = dir.Write("prd.json", """{ "userStories": [ { "id": "US-001", "passes": 1 } ] }""");
        using var project = TestProject.Open(dir.Path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.InitializeAsync(import: new FeatureListImport("prd.json")));

        Assert.Equal(ErrorIds.FeatureListInvalid, error.ErrorId);
        Assert.Equal(source, error.FilePath);
        Assert.Equal("$.userStories[0].passes", error.JsonPath);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }

    [Fact]
    public async Task Seed_into_ralph_and_back_loses_nothing_and_the_seed_list_keeps_being_read()
    {
        using var first = TempDirectory.Create();
        first.Write("package.json", "{}");
        var seedText = """{ "version": 2, "features": [ { "id": "F1", "name": "Login", "description": "d", "category": "functional", "steps": ["open"], "status": "in_progress", "attempts": 1, "notes": "n", "owner": "ann" }, { "id": "F2", "name": "Logout", "status": "completed" } ] }""";
        var seed = ProjectFiles.Write(ProjectFiles.FeatureListPath(first.Path), seedText);
        using var project = TestProject.Open(first.Path);

        var toRalph = (await project.InitializeAsync(import: new FeatureListImport(seed, FeatureListFormat.Ralph))).Import!;

        Assert.False(toRalph.ReadByHarness);
        Assert.Equal(seed, FeatureStore.Locate(ProjectLayout.ForRoot(first.Path))!.Value.Path);
        var prd = JsonNode.Parse(File.ReadAllText(toRalph.TargetPath))!;
        Assert.Equal([1, 2], prd["userStories"]!.AsArray().Select(s => s!["priority"]!.GetValue<int>()));
        Assert.Equal([false, true], prd["userStories"]!.AsArray().Select(s => s!["passes"]!.GetValue<bool>()));

        using var second = TempDirectory.Create();
        second.Write("package.json", "{}");
        using var other = TestProject.Open(second.Path);
        var back = (await other.InitializeAsync(import: new FeatureListImport(toRalph.TargetPath))).Import!;

        // Back in the seed format: every field of the original, plus the priorities Ralph needed.
        var expected = JsonNode.Parse(seedText)!;
        var features = expected["features"]!.AsArray();
        for (var i = 0; i < features.Count; i++)
        {
            features[i]!["priority"] = i + 1;
        }

        var roundTripped = JsonNode.Parse(File.ReadAllText(back.TargetPath))!;
        Assert.True(JsonNode.DeepEquals(expected, roundTripped), roundTripped.ToJsonString());
    }
}
