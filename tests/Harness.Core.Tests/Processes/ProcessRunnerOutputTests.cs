using System.Text;
using Harness.Core.Processes;
using static Harness.Core.Tests.Processes.ProcessTestSupport;

namespace Harness.Core.Tests.Processes;

/// <summary>The runner with a streaming output (as agents use it) and with a watched tree.</summary>
public sealed class ProcessRunnerOutputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private ProcessSpec Shell(string script) => new()
    {
        FileName = "/bin/sh",
        Arguments = ["-c", script],
        WorkingDirectory = _temp.Path,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [UnixFact]
    public async Task Streamed_stdout_comes_line_by_line_with_multi_megabyte_lines_and_a_byte_exact_copy()
    {
        var lines = new List<string>();
        using var copy = new MemoryStream();
        var output = new LineStreamOutput(line => lines.Add(Encoding.UTF8.GetString(line.Span)), () => lines.Add("<overlong>"), copy, stderrTailLines: 5);

        // A 3 MB line (an agent's stream-json lines reach MBs), a UTF-8 line, and a last line without newline.
        var script = "head -c 3000000 /dev/zero | tr '\\0' x; echo; printf 'caf\\303\\251\\n'; echo err1 >&2; echo err2 >&2; printf 'last'";
        var result = await ProcessRunner.RunAsync(Shell(script), output, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Null(result.OutputError);
        Assert.Equal([new string('x', 3_000_000), "café", "last"], lines);
        Assert.Equal(3_000_000 + 1 + 6 + 4, copy.Length);
        Assert.Equal("err1\nerr2", output.StandardErrorTail);
        Assert.Equal("", result.StandardOutput); // a streaming output keeps nothing in the result
    }

    [UnixFact]
    public async Task Each_line_is_handed_on_while_the_child_still_runs()
    {
        // The child waits for the marker that the first line's handler writes: were lines handed on
        // only at the end, it would wait until the timeout.
        var marker = _temp.File("first-seen");
        var output = new LineStreamOutput(
            line =>
            {
                if (Encoding.UTF8.GetString(line.Span) == "first") File.WriteAllText(marker, "");
            },
            () => { },
            copy: null,
            stderrTailLines: 0);
        var spec = Shell($"echo first; while [ ! -f '{marker}' ]; do sleep 0.05; done; echo second") with { Timeout = TimeSpan.FromSeconds(10) };

        var result = await ProcessRunner.RunAsync(spec, output, CancellationToken.None);

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
    }

    [UnixFact]
    public async Task A_failing_output_reader_is_reported_in_the_result_not_thrown()
    {
        var output = new LineStreamOutput(_ => throw new InvalidDataException("cannot take this line"), () => { }, copy: null, stderrTailLines: 0);

        var result = await ProcessRunner.RunAsync(Shell("echo one"), output, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("cannot take this line", result.OutputError);
    }

    [LinuxFact]
    public async Task A_watched_child_leaves_nothing_running_after_a_normal_exit()
    {
        // The grandchild leads a session of its own (like Claude Code's Bash tool) and is re-parented
        // away once the shell exits; only the watchdog's snapshots still know it.
        var pidFile = _temp.File("grandchild");
        var spec = Shell($"setsid sleep 60 & echo $! > '{pidFile}'; sleep 0.8") with { WatchDescendants = true };

        var result = await ProcessRunner.RunAsync(spec);
        var grandchild = ReadPids(pidFile).Single();
        try
        {
            Assert.Equal(0, result.ExitCode);
            Assert.Contains(grandchild, result.KilledProcesses);
            Assert.Empty(result.SurvivingProcesses);
            Assert.Empty(StillAliveAfterGrace([grandchild]));
        }
        finally
        {
            KillQuietly([grandchild]);
        }
    }
}
