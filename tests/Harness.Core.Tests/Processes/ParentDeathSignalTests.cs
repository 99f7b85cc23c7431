using Harness.Core.Processes;

namespace Harness.Core.Tests.Processes;

/// <summary>Where the parent-death signal comes from (util-linux's setpriv) and the clean fallback without it (docs/loop.md, Processes).</summary>
public sealed class ParentDeathSignalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [LinuxFact]
    public void No_setpriv_means_no_wrapper()
    {
        Assert.Null(ParentDeathSignal.FindSetpriv([_temp.Path]));
    }

    [LinuxFact]
    public void A_setpriv_without_the_option_is_not_used()
    {
        // An older util-linux (before 2.33): its option table does not name the option.
        var old = _temp.File("setpriv");
        File.WriteAllText(old, "#!/bin/sh\nexec \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Assert.Null(ParentDeathSignal.FindSetpriv([_temp.Path]));
    }

    [LinuxFact]
    public void Debians_setpriv_is_found_and_wraps_a_program_by_its_full_path_or_its_name_on_path()
    {
        if (!File.Exists("/usr/bin/setpriv"))
        {
            Assert.Fail("util-linux's setpriv is missing: it is Essential on Debian 12, where these tests run");
        }

        Assert.Equal("/usr/bin/setpriv", ParentDeathSignal.FindSetpriv([_temp.Path, "/usr/bin"]));
        var wrapped = ParentDeathSignal.Wrap(new ProcessSpec { FileName = "/bin/sh", Arguments = ["-c", "exit 3"], WorkingDirectory = _temp.Path });
        Assert.NotNull(wrapped);
        Assert.Equal(["--pdeathsig", "KILL", "--", "/bin/sh", "-c", "exit 3"], wrapped.Arguments);

        // A bare name (the default agent command is "claude") is found on PATH, as Process.Start finds it.
        var byName = ParentDeathSignal.Wrap(new ProcessSpec { FileName = "sh", Arguments = ["-c", "exit 3"], WorkingDirectory = _temp.Path });
        Assert.NotNull(byName);
        Assert.Equal(Harness.Core.Agents.CommandLine.ResolveExecutable("sh", Environment.GetEnvironmentVariable("PATH")), byName.Arguments[3]);
        Assert.True(Path.IsPathFullyQualified(byName.Arguments[3]));

        // A name on no PATH folder, or a relative path, is left to fail to start as it would have, not as setpriv's exit 127.
        Assert.Null(ParentDeathSignal.Wrap(new ProcessSpec { FileName = "no-such-program-here", WorkingDirectory = _temp.Path }));
        Assert.Null(ParentDeathSignal.Wrap(new ProcessSpec { FileName = "./sh", WorkingDirectory = _temp.Path }));
    }

    [LinuxFact]
    public async Task A_child_that_dies_with_the_harness_runs_and_reports_its_own_exit_code()
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec
        {
            FileName = "/bin/sh",
            Arguments = ["-c", "echo $HARNESS_PROCESS_TREE; exit 3"],
            WorkingDirectory = _temp.Path,
            WatchDescendants = true,
            DieWithHarness = true,
        });

        Assert.Equal(3, result.ExitCode);
        Assert.Matches("^[0-9a-f]{16}$", result.StandardOutput.Trim());
    }
}
