using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary><c>harness init --import</c>: the CLI maps its options and prints what Core did.</summary>
public class InitImportCommandTests
{
    private const string Prd = """
        { "branchName": "ralph/x", "userStories": [
          { "id": "US-002", "title": "Badge", "priority": 2, "passes": false },
          { "id": "US-001", "title": "Field", "priority": 1, "passes": true, "dependencies": [] } ] }

        """;

    [Fact]
    public void A_dry_run_says_what_would_be_imported_and_where_the_extra_fields_would_go_and_writes_nothing()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        dir.Write("prd.json", Prd);

        var result = CliRunner.Run(dir.Path, "init", "--import", "prd.json", "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"would import: 2 features from {Path.Combine(dir.Path, "prd.json")} (ralph) into {ProjectFiles.FeatureListPath(dir.Path)} (seed)", result.StdOut);
        Assert.Contains("$.branchName, $.features[*].priority, $.features[*].dependencies", result.StdOut);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }

    [Fact]
    public void Json_output_carries_the_import_and_the_list_is_written_in_the_format_asked()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        var seed = ProjectFiles.WriteFeatures(dir.Path, [("F1", "completed"), ("F2", "pending")]);
        var elsewhere = Path.Combine(dir.Path, "old-list.json");
        File.Move(seed, elsewhere);

        var result = CliRunner.Run(dir.Path, "init", "--import", "old-list.json", "--import-to", "ralph", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StdOut);
        var import = json.RootElement.GetProperty("import");
        Assert.Equal("Seed", import.GetProperty("source_format").GetString());
        Assert.Equal("Ralph", import.GetProperty("target_format").GetString());
        Assert.Equal(Path.Combine(dir.Path, "prd.json"), import.GetProperty("target").GetString());
        Assert.Equal(2, import.GetProperty("features").GetInt32());
        Assert.True(import.GetProperty("read_by_harness").GetBoolean());
        using var prd = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "prd.json")));
        Assert.Equal([true, false], prd.RootElement.GetProperty("userStories").EnumerateArray().Select(s => s.GetProperty("passes").GetBoolean()));
    }

    [Fact]
    public void Import_to_without_import_is_a_usage_error_and_an_existing_target_is_never_overwritten()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");
        var prd = dir.Write("prd.json", Prd);

        var usage = CliRunner.Run(dir.Path, "init", "--import-to", "ralph");
        var taken = CliRunner.Run(dir.Path, "init", "--import", "prd.json", "--import-to", "ralph");

        Assert.Equal(1, usage.ExitCode);
        Assert.Contains("--import-to needs --import FILE", usage.StdErr);
        Assert.NotEqual(0, taken.ExitCode);
        Assert.Contains("never overwrites", taken.StdErr);
        Assert.Equal(Prd, File.ReadAllText(prd));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }
}
