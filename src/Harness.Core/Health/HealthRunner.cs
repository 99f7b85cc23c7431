using Harness.Core.Project;

namespace Harness.Core.Health;

/// <summary>Picks what to run for a project's checks (configured command or the seed's fallback) and runs it.</summary>
internal static class HealthRunner
{
    public const string HealthCheckKind = "health_check";
    public const string SmokeTestKind = "smoke_test";
    public const string TestCommandKind = "test_command";

    /// <summary>
    /// The configured <c>health_check</c>; without one, the seed's fallback for the project type
    /// (the result says it was a fallback); without that, SKIPPED with status UNKNOWN. The check's
    /// processes go to <paramref name="record"/> while it runs (the lock holder's, for crash recovery).
    /// </summary>
    public static Task<HealthCheckResult> RunHealthCheckAsync(ProjectLayout layout, ProjectConfig config, ProjectInfo project, CancellationToken cancellationToken = default, Processes.ProcessRecord? record = null)
    {
        var timeout = TimeSpan.FromSeconds(config.Timeouts.HealthCheck);
        if (config.HealthCheck is { } command)
        {
            return CommandCheck.RunAsync(HealthCheckKind, command, layout.Root, timeout, isFallback: false, "configured check passed", cancellationToken, record);
        }

        if (Fallback(layout.Root, project) is { } fallback)
        {
            return CommandCheck.RunAsync(HealthCheckKind, fallback.Command, layout.Root, timeout, isFallback: true, fallback.Description, cancellationToken, record);
        }

        return Task.FromResult(HealthCheckResult.Skipped(HealthCheckKind, "no health check configured"));
    }

    /// <summary>Runs <c>smoke_test</c> (timeout <c>timeout_seconds.smoke_test</c>); SKIPPED when not configured.</summary>
    public static Task<HealthCheckResult> RunSmokeTestAsync(ProjectLayout layout, ProjectConfig config, CancellationToken cancellationToken = default) =>
        config.SmokeTest is { } command
            ? CommandCheck.RunAsync(SmokeTestKind, command, layout.Root, TimeSpan.FromSeconds(config.Timeouts.SmokeTest), false, "smoke test passed", cancellationToken)
            : Task.FromResult(HealthCheckResult.Skipped(SmokeTestKind, "no smoke test configured"));

    /// <summary>Runs <c>test_command</c> (timeout <c>timeout_seconds.full_test</c>); SKIPPED when not configured.</summary>
    public static Task<HealthCheckResult> RunTestsAsync(ProjectLayout layout, ProjectConfig config, CancellationToken cancellationToken = default) =>
        config.TestCommand is { } command
            ? CommandCheck.RunAsync(TestCommandKind, command, layout.Root, TimeSpan.FromSeconds(config.Timeouts.FullTest), false, "tests passed", cancellationToken)
            : Task.FromResult(HealthCheckResult.Skipped(TestCommandKind, "no test command configured"));

    /// <summary>The seed's fallbacks: for Python and Node projects, check that the toolchain itself runs.</summary>
    internal static (string Command, string Description)? Fallback(string root, ProjectInfo project)
    {
        if (File.Exists(Path.Combine(root, "pytest.ini")) || File.Exists(Path.Combine(root, "pyproject.toml")))
        {
            var python = OperatingSystem.IsWindows() ? "python" : "python3";
            return ($"{python} -c \"import sys; sys.exit(0)\"", "Python imports work");
        }

        if (project.Markers.Contains("package.json"))
        {
            return ("node -e \"process.exit(0)\"", "Node works");
        }

        return null;
    }
}
