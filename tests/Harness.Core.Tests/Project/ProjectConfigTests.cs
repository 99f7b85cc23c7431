using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Project;

public class ProjectConfigTests
{
    [Fact]
    public void Reads_every_seed_field_and_the_harness_additions()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            {
              "project_type": "fastapi",
              "init_script": "./scripts/dev-server.sh",
              "health_check": "curl -sf http://localhost:8000/health",
              "test_command": "pytest -q --tb=short",
              "smoke_test": "pytest tests/smoke/ -q",
              "dev_server_port": 8000,
              "required_env": ["DATABASE_URL"],
              "timeout_seconds": { "health_check": 7, "smoke_test": 61, "full_test": 301 },
              "agent": { "command": "claude", "model": "claude-sonnet-4-6", "max_turns": 50, "permission_mode": "acceptEdits", "allowed_tools": ["Read"], "extra_args": ["--x"] },
              "loop": { "continue_delay": 1.5, "max_iterations": 9, "max_retries": 2, "session_timeout": 600, "checkpoint_interval": 120 },
              "prompts": { "initializer": "prompts/init.md", "coding": "prompts/code.md" },
              "guard": { "protected_paths": ["app/**"], "allowed_commands": ["make"] }
            }
            """);

        var config = ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path));

        Assert.Equal(ProjectFiles.ConfigPath(dir.Path), config.FilePath);
        Assert.Equal("fastapi", config.ProjectType);
        Assert.Equal("./scripts/dev-server.sh", config.InitScript);
        Assert.Equal("curl -sf http://localhost:8000/health", config.HealthCheck);
        Assert.Equal("pytest -q --tb=short", config.TestCommand);
        Assert.Equal("pytest tests/smoke/ -q", config.SmokeTest);
        Assert.Equal(8000, config.DevServerPort);
        Assert.Equal(["DATABASE_URL"], config.RequiredEnv);
        Assert.Equal(new TimeoutSettings { HealthCheck = 7, SmokeTest = 61, FullTest = 301 }, config.Timeouts);
        Assert.Equal("claude-sonnet-4-6", config.Agent.Model);
        Assert.Equal(50, config.Agent.MaxTurns);
        Assert.Equal(["--x"], config.Agent.ExtraArgs);
        Assert.Equal(1.5, config.Loop.ContinueDelay);
        Assert.Equal(9, config.Loop.MaxIterations);
        Assert.Equal(600, config.Loop.SessionTimeout);
        Assert.Equal("prompts/code.md", config.Prompts.Coding);
        Assert.Equal(["app/**"], config.Guard.ProtectedPaths);
        Assert.Empty(config.UnknownFields);
    }

    [Fact]
    public void Missing_file_gives_the_seed_defaults()
    {
        using var dir = TempDirectory.Create();

        var config = ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path));

        Assert.False(config.Exists);
        Assert.Equal(5, config.Timeouts.HealthCheck);
        Assert.Equal(3, config.Loop.ContinueDelay);
        Assert.Null(config.Loop.MaxIterations);
        Assert.Equal(["src/**"], config.Guard.ProtectedPaths);
    }

    [Fact]
    public void Broken_json_names_file_and_line_and_leaves_the_file_alone()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteConfig(dir.Path, "{\n  \"project_type\": \"node\",\n  \"health_check\": \"npm test\"\n  \"test_command\": \"x\"\n}\n");
        var before = ProjectFiles.Snapshot(path);

        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Equal(ErrorIds.ConfigFileInvalid, error.ErrorId);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(4, error.Line);
        Assert.Contains($"{path}(4,", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Wrong_types_are_all_listed_with_path_line_and_expectation()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteConfig(dir.Path, """
            {
              "project_type": "node",
              "timeout_seconds": {
                "health_check": "5"
              },
              "dev_server_port": 70000,
              "required_env": ["OK_NAME", "not ok"]
            }
            """);

        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path)));

        Assert.Equal("$.timeout_seconds.health_check", error.JsonPath);
        Assert.Equal(4, error.Line);
        Assert.Contains($"{path}(4,", error.Message);
        Assert.Contains("$.timeout_seconds.health_check: expected a number (\"5\")", error.Message);
        Assert.Contains("$.dev_server_port: expected a whole number from 1 to 65535 (70000)", error.Message);
        Assert.Contains($"{path}(6,", error.Message);
        Assert.Contains("$.required_env[1]", error.Message);
        Assert.Equal(4, error.Message.Split('\n').Length); // one line per problem, then the fix
    }

    [Fact]
    public void Parallel_sessions_and_their_merge_mode_are_read_and_checked()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        ProjectFiles.WriteConfig(dir.Path, """{ "loop": { "parallel": 4, "merge": "fast_forward" } }""");
        var config = ProjectConfigStore.Load(layout);
        Assert.Equal(4, config.Loop.Parallel);
        Assert.Equal(LoopSettings.FastForwardMerge, config.Loop.Merge);

        ProjectFiles.WriteConfig(dir.Path, """{ "loop": {} }""");
        Assert.Equal((1, LoopSettings.MergeCommitMerge), (ProjectConfigStore.Load(layout).Loop.Parallel, ProjectConfigStore.Load(layout).Loop.Merge));

        var path = ProjectFiles.WriteConfig(dir.Path, """{ "loop": { "parallel": 0, "merge": "squash" } }""");
        var error = Assert.Throws<HarnessException>(() => ProjectConfigStore.Load(layout));
        Assert.Contains("$.loop.parallel: expected a whole number from 1 to 64 (0)", error.Message);
        Assert.Contains("$.loop.merge: expected \"merge_commit\" or \"fast_forward\" (\"squash\")", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Update_keeps_unknown_fields_and_their_values()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteConfig(dir.Path, """
            { "project_type": "node", "my_team_field": { "owner": "ana", "tags": [1, 2] }, "agent": { "command": "claude", "future_knob": true } }
            """);
        var layout = ProjectLayout.ForRoot(dir.Path);

        var updated = ProjectConfigStore.Update(layout, json => json["health_check"] = "npm run build");

        Assert.Equal("npm run build", updated.HealthCheck);
        Assert.Equal(["my_team_field"], updated.UnknownFields);
        var text = File.ReadAllText(layout.ConfigFile);
        Assert.Contains("\"owner\": \"ana\"", text);
        Assert.Contains("\"future_knob\": true", text);
        Assert.Equal("npm run build", ProjectConfigStore.Load(layout).HealthCheck);
    }

    [Fact]
    public void Update_that_would_make_the_file_invalid_writes_nothing()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteConfig(dir.Path, """{ "project_type": "node" }""");
        var before = ProjectFiles.Snapshot(path);

        Assert.Throws<HarnessException>(() => ProjectConfigStore.Update(ProjectLayout.ForRoot(dir.Path), json => json["dev_server_port"] = "eighty"));

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Missing_environment_variables_are_reported_by_name_only()
    {
        var config = new ProjectConfig { RequiredEnv = ["SET_ONE", "EMPTY_ONE", "UNSET_ONE"] };
        var values = new Dictionary<string, string?> { ["SET_ONE"] = "secret-value", ["EMPTY_ONE"] = "" };

        var missing = EnvironmentCheck.MissingVariables(config, name => values.GetValueOrDefault(name));

        Assert.Equal(["EMPTY_ONE", "UNSET_ONE"], missing);
    }
}
