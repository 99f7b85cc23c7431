using Harness.Core.State;

namespace Harness.Core.Health;

/// <summary>How a check command ended.</summary>
public enum HealthOutcome
{
    /// <summary>Exit code 0.</summary>
    PASSED,

    /// <summary>Non-zero exit code.</summary>
    FAILED,

    /// <summary>Ran past its timeout; the whole process tree was killed.</summary>
    TIMED_OUT,

    /// <summary>Nothing to run (no command configured and no fallback for the project type), or skipped on request.</summary>
    SKIPPED,

    /// <summary>The command could not be started at all.</summary>
    ERROR,
}

/// <summary>The result of a health check, smoke test or test command.</summary>
public sealed record HealthCheckResult
{
    /// <summary>Which check: <c>health_check</c>, <c>smoke_test</c> or <c>test_command</c>.</summary>
    public string Kind { get; init; } = "health_check";

    public HealthStatus Status { get; init; }

    public HealthOutcome Outcome { get; init; }

    /// <summary>The shell command that ran (or would have), null when skipped.</summary>
    public string? Command { get; init; }

    /// <summary>True when no command was configured and one was picked from the project type.</summary>
    public bool IsFallback { get; init; }

    /// <summary>One line saying what ran or why nothing did: "configured check passed", "Python imports work", "no health check configured".</summary>
    public string Description { get; init; } = "";

    public int? ExitCode { get; init; }

    public TimeSpan Duration { get; init; }

    public TimeSpan Timeout { get; init; }

    /// <summary>For JSON readers: <see cref="Duration"/> in milliseconds.</summary>
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 3);

    /// <summary>For JSON readers: <see cref="Timeout"/> in seconds.</summary>
    public double TimeoutSeconds => Timeout.TotalSeconds;

    public bool TimedOut => Outcome == HealthOutcome.TIMED_OUT;

    /// <summary>The last lines the command printed (stdout and stderr interleaved).</summary>
    public string OutputTail { get; init; } = "";

    public static HealthCheckResult Skipped(string kind, string description) => new()
    {
        Kind = kind,
        Status = HealthStatus.UNKNOWN,
        Outcome = HealthOutcome.SKIPPED,
        Description = description,
    };
}
