using Harness.Core.Health;
using Harness.Core.State;
using Harness.Core.Tests.Processes;

namespace Harness.Core.Tests.Health;

public sealed class CommandCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [LinuxFact]
    public async Task A_setsid_grandchild_whose_parent_exited_at_once_dies_with_the_check()
    {
        // The middle shell starts the grandchild in a session of its own and exits at once: the
        // grandchild is re-parented before the watchdog can see it below the check (issue 15).
        var pidFile = Path.Combine(_temp.Path, "grandchild.pid");
        var command = $"sh -c \"setsid sh -c 'echo \\$\\$ > {pidFile}; exec sleep 300' &\"; sleep 1";
        try
        {
            var result = await CommandCheck.RunAsync("health_check", command, _temp.Path, TimeSpan.FromSeconds(30), isFallback: false, "configured check passed");

            Assert.Equal(HealthOutcome.PASSED, result.Outcome);
            var grandchild = Assert.Single(ProcessTestSupport.ReadPids(pidFile));
            Assert.Empty(ProcessTestSupport.StillAliveAfterGrace([grandchild]));
        }
        finally
        {
            ProcessTestSupport.KillQuietly(ProcessTestSupport.ReadPids(pidFile));
        }
    }

    [UnixFact]
    public async Task Exit_zero_is_healthy_and_passed()
    {
        var result = await CommandCheck.RunAsync("smoke_test", "echo ok", _temp.Path, TimeSpan.FromSeconds(30), isFallback: true, "Python imports work");

        Assert.Equal("smoke_test", result.Kind);
        Assert.Equal(HealthStatus.HEALTHY, result.Status);
        Assert.Equal(HealthOutcome.PASSED, result.Outcome);
        Assert.Equal("Python imports work", result.Description);
        Assert.Equal("echo ok", result.Command);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.IsFallback);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Timeout);
        Assert.Equal("ok", result.OutputTail);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [UnixFact]
    public async Task Non_zero_exit_is_broken_and_failed_with_code_and_tail()
    {
        var result = await CommandCheck.RunAsync("health_check", "echo first; echo boom >&2; exit 3", _temp.Path, TimeSpan.FromSeconds(30), isFallback: false, "configured check passed");

        Assert.Equal(HealthStatus.BROKEN, result.Status);
        Assert.Equal(HealthOutcome.FAILED, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exited with code 3", result.Description);
        // stdout and stderr are separate pipes, so their relative order in the tail is not guaranteed.
        Assert.Equal(["boom", "first"], result.OutputTail.Split('\n').Order());
        Assert.False(result.IsFallback);
    }

    [UnixFact]
    public async Task Tail_is_limited_to_the_last_forty_lines()
    {
        var result = await CommandCheck.RunAsync("test_command", "i=1; while [ $i -le 500 ]; do echo t$i; i=$((i+1)); done; exit 1", _temp.Path, TimeSpan.FromSeconds(30), false, "tests pass");

        var lines = result.OutputTail.Split('\n');
        Assert.Equal(40, lines.Length);
        Assert.Equal("t461", lines[0]);
        Assert.Equal("t500", lines[^1]);
    }

    [UnixFact]
    public async Task Timeout_is_broken_and_timed_out()
    {
        var result = await CommandCheck.RunAsync("health_check", "echo waiting; sleep 60", _temp.Path, TimeSpan.FromSeconds(1), false, "configured check passed");

        Assert.Equal(HealthStatus.BROKEN, result.Status);
        Assert.Equal(HealthOutcome.TIMED_OUT, result.Outcome);
        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.Equal("timed out after 1 s; process tree killed", result.Description);
        Assert.Equal("waiting", result.OutputTail);
        Assert.True(result.Duration < TimeSpan.FromSeconds(10), $"took {result.Duration}");
    }

    [UnixFact]
    public async Task Command_that_cannot_start_is_broken_with_error()
    {
        var missing = Path.Combine(_temp.Path, "no-such-dir");
        var result = await CommandCheck.RunAsync("health_check", "true", missing, TimeSpan.FromSeconds(5), false, "configured check passed");

        Assert.Equal(HealthStatus.BROKEN, result.Status);
        Assert.Equal(HealthOutcome.ERROR, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.StartsWith("could not start", result.Description);
    }

    [UnixFact]
    public async Task Cancellation_throws_rather_than_reporting_a_health_result()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CommandCheck.RunAsync("health_check", "sleep 60", _temp.Path, TimeSpan.FromSeconds(60), false, "passed", cts.Token));
    }
}
