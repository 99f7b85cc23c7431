using System.Text.Json.Nodes;

namespace Harness.Core.Project;

/// <summary>A first project.json for a project type: commands that fit the toolchain, the seed's timeouts, harness defaults.</summary>
internal static class StarterConfig
{
    private sealed record Commands(string? HealthCheck, string? TestCommand, string? SmokeTest, double HealthTimeout);

    public static JsonObject For(string? projectType)
    {
        var commands = CommandsFor(projectType);
        var config = new JsonObject { ["project_type"] = projectType ?? "unknown" };
        config["init_script"] = null;
        config["health_check"] = commands.HealthCheck;
        config["test_command"] = commands.TestCommand;
        config["smoke_test"] = commands.SmokeTest;
        config["required_env"] = new JsonArray();
        config["timeout_seconds"] = new JsonObject
        {
            ["health_check"] = commands.HealthTimeout,
            ["smoke_test"] = 60,
            ["full_test"] = 300,
        };
        config["agent"] = new JsonObject
        {
            ["command"] = "claude",
            ["model"] = null,
            ["max_turns"] = 200,
            // Only bypassPermissions lets Claude Code write under .claude/ (the feature list) and run
            // `git add -A && git commit` headless; the guard hooks are the safety layer instead
            // (docs/agents.md, "Permissions and the guard"). As root it needs IS_SANDBOX=1.
            ["permission_mode"] = "bypassPermissions",
            ["allowed_tools"] = new JsonArray(),
            ["extra_args"] = new JsonArray(),
        };
        config["loop"] = new JsonObject
        {
            ["continue_delay"] = 3,
            ["max_iterations"] = null,
            ["max_retries"] = 3,
            ["session_timeout"] = 3600,
            ["checkpoint_interval"] = 300,
        };
        config["guard"] = new JsonObject
        {
            ["protected_paths"] = new JsonArray("src/**"),
            ["allowed_commands"] = new JsonArray(),
        };
        return config;
    }

    // Health checks must be quick (they run at every session entry); builds get a longer timeout.
    private static Commands CommandsFor(string? type) => type switch
    {
        "node" or "vite" or "nextjs" => new("npm run build --if-present", "npm test", null, 120),
        "python" or "fastapi" or "django" => new("python3 -m compileall -q .", "pytest -q --tb=short", null, 30),
        "rust" => new("cargo check --quiet", "cargo test --quiet", null, 300),
        "go" => new("go build ./...", "go test ./...", null, 120),
        "dotnet" => new("dotnet build --nologo -v quiet", "dotnet test --nologo", null, 300),
        "java-maven" => new("mvn -q -DskipTests compile", "mvn -q test", null, 300),
        "java-gradle" => new("./gradlew -q compileJava", "./gradlew -q test", null, 300),
        "ruby" => new("bundle exec ruby -e 'exit 0'", "bundle exec rake test", null, 30),
        "cmake" => new("cmake -S . -B build && cmake --build build", "ctest --test-dir build", null, 300),
        "make" => new("make -q || make", "make test", null, 300),
        _ => new(null, null, null, 5),
    };
}
