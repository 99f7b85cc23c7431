using System.Globalization;
using Harness.Core.Processes;
using Harness.Core.State;

namespace Harness.Core.Health;

/// <summary>Runs a health check, smoke test or test command given as a shell command string.</summary>
internal static class CommandCheck
{
    /// <summary>Enough to show why a check failed without flooding state.json or the console.</summary>
    internal const int TailLines = 40;

    /// <summary>
    /// Runs <paramref name="command"/> through the platform shell and maps how it ended to a health result.
    /// Cancellation through <paramref name="ct"/> kills the process tree and throws <see cref="OperationCanceledException"/>:
    /// an aborted check says nothing about the project's health. The command and all it starts die when
    /// it ends and with the harness (a server left behind by <c>setsid</c> included; docs/loop.md, Processes).
    /// </summary>
    public static async Task<HealthCheckResult> RunAsync(
        string kind,
        string command,
        string workingDirectory,
        TimeSpan timeout,
        bool isFallback,
        string passedDescription,
        CancellationToken ct = default,
        ProcessRecord? record = null)
    {
        var spec = PlatformShell.ForCommand(command, workingDirectory, timeout) with
        {
            // Only the tail goes into the result; keeping all output would cost memory for nothing.
            CaptureStandardOutput = false,
            CaptureStandardError = false,
            TailLines = TailLines,
            WatchDescendants = true,
            DieWithHarness = true,
            Record = record,
            RecordRole = kind,
        };
        var run = await ProcessRunner.RunAsync(spec, ct).ConfigureAwait(false);
        if (run.Cancelled) throw new OperationCanceledException($"{kind} '{command}' was cancelled", ct);

        var (status, outcome, description) = Classify(run, timeout, passedDescription);
        return new HealthCheckResult
        {
            Kind = kind,
            Status = status,
            Outcome = outcome,
            Command = command,
            IsFallback = isFallback,
            Description = description,
            ExitCode = run.ExitCode,
            Duration = run.Duration,
            Timeout = timeout,
            OutputTail = run.OutputTail,
        };
    }

    private static (HealthStatus, HealthOutcome, string) Classify(ProcessResult run, TimeSpan timeout, string passedDescription)
    {
        if (run.StartError is not null)
            return (HealthStatus.BROKEN, HealthOutcome.ERROR, $"could not start: {run.StartError}");
        if (run.TimedOut)
            return (HealthStatus.BROKEN, HealthOutcome.TIMED_OUT, $"timed out after {FormatSeconds(timeout)}; process tree killed");
        if (run.ExitCode == 0)
            return (HealthStatus.HEALTHY, HealthOutcome.PASSED, passedDescription);
        return (HealthStatus.BROKEN, HealthOutcome.FAILED, $"exited with code {run.ExitCode}");
    }

    private static string FormatSeconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";
}
