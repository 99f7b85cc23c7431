using Harness.Core.Json;
using Harness.Core.Json.Contracts;

namespace Harness.Core.Project;

/// <summary>A first project.json for a project type: commands that fit the toolchain, the seed's timeouts, harness defaults.</summary>
internal static class StarterConfig
{
    private sealed record Commands(string? HealthCheck, string? TestCommand, string? SmokeTest, double HealthTimeout);

    /// <summary>The file <c>harness init</c> writes.</summary>
    public static byte[] ToBytes(string? projectType) => HarnessJson.FileBytes(For(projectType), HarnessJsonContext.Default.ProjectConfigJson);

    public static ProjectConfigJson For(string? projectType)
    {
        var commands = CommandsFor(projectType);
        return new ProjectConfigJson
        {
            ProjectType = projectType ?? "unknown",
            InitScript = null,
            HealthCheck = commands.HealthCheck,
            TestCommand = commands.TestCommand,
            SmokeTest = commands.SmokeTest,
            RequiredEnv = [],
            TimeoutSeconds = new TimeoutsJson { HealthCheck = commands.HealthTimeout, SmokeTest = 60, FullTest = 300 },
            Agent = new AgentJson
            {
                Command = "claude",
                Model = null,
                MaxTurns = 200,
                // Only bypassPermissions lets Claude Code write under .claude/ (the feature list) and run
                // `git add -A && git commit` headless; the guard hooks are the safety layer instead
                // (docs/agents.md, "Permissions and the guard"). As root it needs IS_SANDBOX=1.
                PermissionMode = "bypassPermissions",
                AllowedTools = [],
                ExtraArgs = [],
            },
            Loop = new LoopJson
            {
                ContinueDelay = 3,
                MaxIterations = null,
                MaxRetries = 3,
                SessionTimeout = 3600,
                CheckpointInterval = 300,
            },
            Guard = new GuardJson { ProtectedPaths = ["src/**"], AllowedCommands = [] },
        };
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
