using Harness.Core.Processes;

namespace Harness.Core.Tests.Processes;

/// <summary>Counts this process's open pipes, so nothing else may start processes meanwhile.</summary>
[CollectionDefinition(nameof(ProcessRunnerResourceTests), DisableParallelization = true)]
public sealed class IsolatedFromOtherTests;

[Collection(nameof(ProcessRunnerResourceTests))]
public sealed class ProcessRunnerResourceTests
{
    private static int OpenPipes() =>
        Directory.GetFiles("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while listing
            }
        });

    [LinuxFact]
    public async Task Pipes_are_closed_after_each_run()
    {
        var spec = new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "echo hi; echo err >&2"], WorkingDirectory = Path.GetTempPath() };
        await ProcessRunner.RunAsync(spec); // warm-up: the runtime opens its own pipes (SIGCHLD handling) once
        var before = OpenPipes();

        for (var i = 0; i < 10; i++) await ProcessRunner.RunAsync(spec);

        // A leak costs two descriptors per run (stdout and stderr); a little slack absorbs runtime noise.
        var growth = OpenPipes() - before;
        Assert.True(growth < 5, $"open pipes grew by {growth} over 10 runs");
    }

    [LinuxFact]
    public async Task Pipes_are_closed_even_when_an_orphan_still_holds_the_other_end()
    {
        // Each run waits out the drain timeout, so only a few runs.
        var spec = new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "sleep 5 & echo hi"], WorkingDirectory = Path.GetTempPath() };
        await ProcessRunner.RunAsync(spec with { Arguments = ["-c", "echo warm-up"] });
        var before = OpenPipes();

        for (var i = 0; i < 3; i++) await ProcessRunner.RunAsync(spec);
        await Task.Delay(200);

        // The orphans outlive the runs; a pending read that was not abandoned would keep their pipes open.
        var growth = OpenPipes() - before;
        Assert.True(growth < 3, $"open pipes grew by {growth} over 3 runs");
    }
}
