using System.Text.Json;
using Harness.TestKit;

namespace Harness.Cli.Tests;

public class CheckpointCommandTests
{
    [Theory]
    [InlineData("checkpoint", "save")]
    [InlineData("checkpoint", "list")]
    [InlineData("checkpoint", "restore")]
    [InlineData("summary")]
    [InlineData("metrics")]
    public void Every_new_command_has_help(params string[] command)
    {
        using var dir = TempDirectory.Create();

        var result = CliRunner.Run(dir.Path, [.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--project", result.StdOut);
    }

    [Fact]
    public void Save_list_dry_run_refuse_and_restore_end_to_end()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteState(repo.Path, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "session_id": "s1" }""");
        repo.Commit("initial", ("a.txt", "A1\n"));

        var save = CliRunner.Run(repo.Path, "checkpoint", "save", "--reason", "first", "--json");
        Assert.Equal(0, save.ExitCode);
        using var saved = JsonDocument.Parse(save.StdOut);
        var name = saved.RootElement.GetProperty("name").GetString()!;

        repo.Commit("agent", ("a.txt", "A2\n"));
        repo.WriteFile("u.txt", "U\n");

        var list = CliRunner.Run(repo.Path, "checkpoint", "list");
        Assert.Contains(name, list.StdOut);
        Assert.Contains("last good", list.StdOut);

        var dry = CliRunner.Run(repo.Path, "checkpoint", "restore", "--dry-run", "--json");
        Assert.Equal(0, dry.ExitCode);
        using var plan = JsonDocument.Parse(dry.StdOut);
        Assert.Equal(1, plan.RootElement.GetProperty("commits_dropped").GetArrayLength());
        Assert.Equal("A2\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));

        var refused = CliRunner.Run(repo.Path, "checkpoint", "restore");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Harness.WorkTreeDirty", refused.StdErr);
        Assert.Contains("u.txt", refused.StdErr);

        var restore = CliRunner.Run(repo.Path, "checkpoint", "restore", name, "--force");
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("refs/harness/backup/", restore.StdOut);
        Assert.Equal("A1\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.False(File.Exists(Path.Combine(repo.Path, "u.txt")));
    }

    [Fact]
    public void Summary_handoff_and_metrics_end_to_end()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        ProjectFiles.WriteState(repo.Path, """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": true, "session_id": "s5" }""");
        repo.Commit("initial", ("a.txt", "A1\n"));

        var first = CliRunner.Run(repo.Path, "summary", "--handoff", "--cost", "0.5", "--input-tokens", "10", "--output-tokens", "5", "--exit-reason", "completed", "--json");
        var second = CliRunner.Run(repo.Path, "summary", "--handoff", "--session", "s5");
        var metrics = CliRunner.Run(repo.Path, "metrics", "--json");
        var text = CliRunner.Run(repo.Path, "metrics");

        Assert.Equal(0, first.ExitCode);
        using var h = JsonDocument.Parse(first.StdOut);
        Assert.False(h.RootElement.GetProperty("already_done").GetBoolean());
        Assert.True(File.Exists(h.RootElement.GetProperty("summary").GetString()));
        Assert.Contains("nothing changed", second.StdOut);
        using var m = JsonDocument.Parse(metrics.StdOut);
        Assert.Equal(1, m.RootElement.GetProperty("sessions").GetInt32());
        Assert.Equal(0.5, m.RootElement.GetProperty("total_cost_usd").GetDouble());
        Assert.Equal(15, m.RootElement.GetProperty("total_tokens").GetInt64());
        Assert.Contains("Sessions:", text.StdOut);
    }
}
