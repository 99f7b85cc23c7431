using System.Diagnostics;
using Harness.Core.Processes;
using static Harness.Core.Tests.Processes.ProcessTestSupport;

namespace Harness.Core.Tests.Processes;

public sealed class ProcessRunnerTests : IDisposable
{
    /// <summary>Loose on purpose: proves "returns promptly, not after the 60 s sleep" without timing flakiness.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ProcessSpec Shell(string script, TimeSpan? timeout = null) => new()
    {
        FileName = "/bin/sh",
        Arguments = ["-c", script],
        WorkingDirectory = _temp.Path,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    [UnixFact]
    public async Task Exit_codes_are_reported()
    {
        foreach (var code in new[] { 0, 1, 3, 255 })
        {
            var result = await ProcessRunner.RunAsync(Shell($"exit {code}"));
            Assert.Equal(code, result.ExitCode);
            Assert.Equal(code == 0, result.Succeeded);
            Assert.False(result.TimedOut);
            Assert.Null(result.StartError);
        }
    }

    [UnixFact]
    public void Sync_run_wrapper_returns_the_same_result()
    {
        var result = ProcessRunner.Run(Shell("echo sync; exit 4"));
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("sync\n", result.StandardOutput);
        Assert.True(result.ProcessId > 0);
    }

    [UnixFact]
    public async Task Stdout_and_stderr_are_captured_separately_and_interleaved_in_the_tail()
    {
        // Separate pipes race each other; the pauses make the arrival order unambiguous, even on a
        // loaded machine where a reader may wait a few hundred milliseconds for a core.
        var result = await ProcessRunner.RunAsync(Shell("echo out1; sleep 1; echo err1 >&2; sleep 1; echo out2"));
        Assert.Equal("out1\nout2\n", result.StandardOutput);
        Assert.False(result.OutputCutOff);
        Assert.Equal("err1\n", result.StandardError);
        Assert.Equal("out1\nerr1\nout2", result.OutputTail);
    }

    [UnixFact]
    public async Task Full_output_is_dropped_when_capture_is_off_but_the_tail_remains()
    {
        var spec = Shell("echo out; echo err >&2") with { CaptureStandardOutput = false, CaptureStandardError = false };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("", result.StandardError);
        Assert.Contains("out", result.OutputTail);
        Assert.Contains("err", result.OutputTail);
    }

    [UnixFact]
    public async Task Tail_keeps_only_the_last_lines_of_a_long_output()
    {
        var spec = Shell("i=1; while [ $i -le 10000 ]; do echo line$i; i=$((i+1)); done") with
        {
            TailLines = 5,
            CaptureStandardOutput = false,
        };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("line9996\nline9997\nline9998\nline9999\nline10000", result.OutputTail);
    }

    [UnixFact]
    public async Task Captured_stdout_keeps_everything_when_asked()
    {
        var result = await ProcessRunner.RunAsync(Shell("i=1; while [ $i -le 10000 ]; do echo line$i; i=$((i+1)); done"));
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10000, lines.Length);
        Assert.Equal("line1", lines[0]);
        Assert.Equal("line10000", lines[^1]);
    }

    [UnixFact]
    public async Task Unterminated_last_line_and_carriage_returns_are_handled_in_the_tail()
    {
        var result = await ProcessRunner.RunAsync(Shell("printf 'a\\r\\nb'"));
        Assert.Equal("a\r\nb", result.StandardOutput);
        Assert.Equal("a\nb", result.OutputTail);
    }

    [UnixFact]
    public async Task Output_is_decoded_as_utf8()
    {
        // Bytes of "é" and "€" written raw, so the test does not depend on the shell's locale.
        var result = await ProcessRunner.RunAsync(Shell("printf 'caf\\303\\251 \\342\\202\\254\\n'"));
        Assert.Equal("café €\n", result.StandardOutput);
    }

    [UnixFact]
    public async Task Environment_overrides_set_and_remove_variables()
    {
        var inherited = "HARNESS_TEST_INHERITED_" + Guid.NewGuid().ToString("N");
        var removed = "HARNESS_TEST_REMOVED_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(inherited, "from-parent");
        Environment.SetEnvironmentVariable(removed, "from-parent");
        try
        {
            var spec = Shell($"echo \"${{{inherited}-unset}}\"; echo \"${{{removed}-unset}}\"; echo \"${{HARNESS_TEST_SET-unset}}\"") with
            {
                Environment = new Dictionary<string, string?> { [removed] = null, ["HARNESS_TEST_SET"] = "set by spec" },
            };
            var result = await ProcessRunner.RunAsync(spec);
            Assert.Equal("from-parent\nunset\nset by spec\n", result.StandardOutput);
        }
        finally
        {
            Environment.SetEnvironmentVariable(inherited, null);
            Environment.SetEnvironmentVariable(removed, null);
        }
    }

    [UnixFact]
    public async Task Stdin_text_reaches_the_child_and_is_closed()
    {
        var spec = Shell("cat") with { StandardInput = "héllo\nworld\n", Timeout = TimeSpan.FromSeconds(20) };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.False(result.TimedOut);
        Assert.Equal("héllo\nworld\n", result.StandardOutput);
    }

    [UnixFact]
    public async Task Null_stdin_is_empty_and_closed_so_a_reader_sees_eof()
    {
        // Were stdin left open or inherited, cat would wait for input until the timeout.
        var result = await ProcessRunner.RunAsync(Shell("cat; echo done") with { Timeout = TimeSpan.FromSeconds(20) });
        Assert.False(result.TimedOut);
        Assert.Equal("done\n", result.StandardOutput);
    }

    [UnixFact]
    public async Task Large_stdin_that_the_child_never_reads_does_not_block()
    {
        var spec = Shell("exit 0") with { StandardInput = new string('x', 1_000_000), Timeout = TimeSpan.FromSeconds(20) };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Program_not_found_gives_start_error_without_throwing()
    {
        var spec = new ProcessSpec { FileName = "harness-no-such-program-" + Guid.NewGuid().ToString("N"), WorkingDirectory = _temp.Path };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.NotNull(result.StartError);
        Assert.Null(result.ExitCode);
        Assert.False(result.Succeeded);
    }

    [UnixFact]
    public async Task Missing_working_directory_gives_start_error_without_throwing()
    {
        var spec = Shell("true") with { WorkingDirectory = _temp.File("does-not-exist") };
        var result = await ProcessRunner.RunAsync(spec);
        Assert.NotNull(result.StartError);
        Assert.Null(result.ExitCode);
    }

    [LinuxFact]
    public async Task Timeout_kills_the_whole_tree_and_returns_promptly()
    {
        var pidFile = _temp.File("pids");
        var script = $"echo $$ >> '{pidFile}'; sleep 61 & echo $! >> '{pidFile}'; sleep 62 & echo $! >> '{pidFile}'; echo ready; wait";
        var stopwatch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(Shell(script, TimeSpan.FromSeconds(1)));
        stopwatch.Stop();

        var pids = ReadPids(pidFile);
        try
        {
            Assert.True(result.TimedOut);
            Assert.False(result.Cancelled);
            Assert.Null(result.ExitCode);
            Assert.True(stopwatch.Elapsed < Prompt, $"took {stopwatch.Elapsed}");
            Assert.Equal("ready", result.OutputTail);
            Assert.Equal(3, pids.Count); // the shell and both sleeps really ran
            Assert.Empty(StillAliveAfterGrace(pids));
        }
        finally
        {
            KillQuietly(pids);
        }
    }

    [LinuxFact]
    public async Task Timeout_kills_a_grandchild_in_its_own_session_that_holds_the_pipe()
    {
        // The grandchild leaves the shell's session and process group (a group kill would miss it)
        // but keeps stdout; it records its pid and session id so the test can check both.
        var pidFile = _temp.File("grandchild");
        var script = $"setsid sh -c 'echo $$ $(cut -d\" \" -f6 /proc/$$/stat) > {pidFile}; exec sleep 63' & sleep 60";
        var stopwatch = Stopwatch.StartNew();
        var runTask = ProcessRunner.RunAsync(Shell(script, TimeSpan.FromSeconds(2)));
        WaitUntil(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), "the grandchild to record its pid");
        var result = await runTask;
        stopwatch.Stop();

        var line = File.ReadAllText(pidFile).Trim().Split(' ');
        var grandchild = int.Parse(line[0]);
        try
        {
            Assert.Equal(line[0], line[1]); // it leads its own session
            Assert.True(result.TimedOut);
            Assert.True(stopwatch.Elapsed < Prompt, $"took {stopwatch.Elapsed}");
            Assert.Empty(StillAliveAfterGrace([grandchild]));
        }
        finally
        {
            KillQuietly([grandchild]);
        }
    }

    [LinuxFact]
    public async Task Returns_promptly_when_an_orphaned_grandchild_keeps_the_pipe_open_after_the_child_exits()
    {
        // The direct child exits at once; the setsid'ed sleep inherited stdout and would keep a
        // read-to-EOF waiting for 63 s. It is no longer in the tree, so it is not killed: cleaned up here.
        var pidFile = _temp.File("orphan");
        var script = $"setsid sh -c 'echo $$ > {pidFile}; exec sleep 63' & sleep 0.3; echo hi";
        var stopwatch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(Shell(script, TimeSpan.FromSeconds(60)));
        stopwatch.Stop();

        var pids = ReadPids(pidFile);
        try
        {
            Assert.Equal(0, result.ExitCode);
            Assert.False(result.TimedOut);
            Assert.Equal("hi\n", result.StandardOutput);
            Assert.True(result.OutputCutOff);
            Assert.True(stopwatch.Elapsed < Prompt, $"took {stopwatch.Elapsed}");
            Assert.Single(pids);
            Assert.True(IsAlive(pids[0]), "the orphan should still hold the pipe, or this test proves nothing");
        }
        finally
        {
            KillQuietly(pids);
        }
    }

    [UnixFact]
    public async Task Cancellation_kills_the_process_and_reports_cancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var stopwatch = Stopwatch.StartNew();
        var result = await ProcessRunner.RunAsync(Shell("echo started; sleep 60", TimeSpan.FromSeconds(60)), cts.Token);
        stopwatch.Stop();

        Assert.True(result.Cancelled);
        Assert.False(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.Equal("started", result.OutputTail);
        Assert.True(stopwatch.Elapsed < Prompt, $"took {stopwatch.Elapsed}");
    }

    [UnixFact]
    public async Task Already_cancelled_token_does_not_start_anything()
    {
        var marker = _temp.File("ran");
        var result = await ProcessRunner.RunAsync(Shell($"touch '{marker}'"), new CancellationToken(canceled: true));
        Assert.True(result.Cancelled);
        Assert.False(File.Exists(marker));
    }
}
