using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

public class OtherCommandTests
{
    [Theory]
    [InlineData("entry")]
    [InlineData("state")]
    [InlineData("features")]
    [InlineData("features", "set")]
    [InlineData("init")]
    public void Every_command_has_help(params string[] command)
    {
        using var dir = TempDirectory.Create();

        var result = CliRunner.Run(dir.Path, [.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.StdOut);
        Assert.Contains("--project", result.StdOut);
    }

    [Fact]
    public void Init_writes_a_starter_config_and_keeps_an_existing_one()
    {
        using var dir = TempDirectory.Create();
        dir.Write("go.mod", "module example.com/x");

        var first = CliRunner.Run(dir.Path, "init");
        File.WriteAllText(ProjectFiles.ConfigPath(dir.Path), "{ \"health_check\": \"mine\" }");
        var second = CliRunner.Run(dir.Path, "init", "--json");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Project type: go", first.StdOut);
        Assert.Equal(0, second.ExitCode);
        using var json = JsonDocument.Parse(second.StdOut);
        Assert.Equal(0, json.RootElement.GetProperty("created").GetArrayLength());
        Assert.Equal("{ \"health_check\": \"mine\" }", File.ReadAllText(ProjectFiles.ConfigPath(dir.Path)));
    }

    [Fact]
    public void Features_filter_by_status_and_print_json()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "completed"), ("F2", "pending"), ("F3", "pending"));

        var text = CliRunner.Run(dir.Path, "features", "--status", "pending");
        var json = CliRunner.Run(dir.Path, "features", "--json");
        var bad = CliRunner.Run(dir.Path, "features", "--status", "done");

        Assert.Equal(0, text.ExitCode);
        Assert.Contains("F2  pending", text.StdOut);
        Assert.DoesNotContain("F1 ", text.StdOut);
        Assert.Contains("2 shown; 3 in", text.StdOut);
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.Equal(["F1", "F2", "F3"], doc.RootElement.EnumerateArray().Select(f => f.GetProperty("id").GetString()));
        Assert.Equal(1, bad.ExitCode);
    }

    [Fact]
    public void Features_set_changes_status_and_refuses_unknown_ids()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ("F2", "pending"));

        var ok = CliRunner.Run(dir.Path, "features", "set", "F1", "F2", "--status", "in_progress");
        var before = File.ReadAllBytes(path);
        var unknown = CliRunner.Run(dir.Path, "features", "set", "F1", "F9", "--status", "completed");

        Assert.Equal(0, ok.ExitCode);
        Assert.Contains("F1: in_progress", ok.StdOut);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Harness.FeatureNotFound", unknown.StdErr);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Features_without_a_list_is_an_input_error()
    {
        using var dir = TempDirectory.Create();

        var result = CliRunner.Run(dir.Path, "features");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Harness.FeatureListMissing", result.StdErr);
    }

    [Fact]
    public void State_prints_the_file_or_says_there_is_none()
    {
        using var dir = TempDirectory.Create();
        var none = CliRunner.Run(dir.Path, "state", "--json");
        ProjectFiles.WriteState(dir.Path, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "custom": 1 }""");

        var text = CliRunner.Run(dir.Path, "state");
        var json = CliRunner.Run(dir.Path, "state", "--json");

        Assert.Equal("null", none.StdOut.Trim());
        Assert.Contains("State:           IMPLEMENT", text.StdOut);
        using var doc = JsonDocument.Parse(json.StdOut);
        Assert.Equal("IMPLEMENT", doc.RootElement.GetProperty("state").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("custom").GetInt32());
    }
}
