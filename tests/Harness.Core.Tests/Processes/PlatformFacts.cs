using System.Diagnostics;
using System.Globalization;

namespace Harness.Core.Tests.Processes;

/// <summary>For tests that drive /bin/sh: they cannot run on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows()) Skip = "Needs /bin/sh; Unix only.";
    }
}

/// <summary>For tests that inspect /proc or use setsid from util-linux.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Inspects /proc and uses setsid; Linux only.";
    }
}

/// <summary>Helpers these tests share; kept here rather than in Harness.TestKit, which is being written elsewhere.</summary>
internal static class ProcessTestSupport
{
    /// <summary>
    /// Alive per /proc: present and not a zombie. A zombie is dead, just not reaped; in a container
    /// whose init does not reap, killed orphans stay zombies indefinitely.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
        return state is not ("Z" or "X");
    }

    /// <summary>Polls briefly: SIGKILL delivery is asynchronous, a pid may linger for a moment.</summary>
    public static List<int> StillAliveAfterGrace(IEnumerable<int> pids)
    {
        var stopwatch = Stopwatch.StartNew();
        List<int> alive;
        do
        {
            alive = pids.Where(IsAlive).ToList();
            if (alive.Count == 0) break;
            Thread.Sleep(50);
        }
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(2));
        return alive;
    }

    /// <summary>Reads pids a test script wrote, one per line (first word of each line).</summary>
    public static List<int> ReadPids(string file) =>
        File.Exists(file)
            ? File.ReadAllLines(file)
                .Where(line => line.Trim().Length > 0)
                .Select(line => int.Parse(line.Trim().Split(' ')[0], CultureInfo.InvariantCulture))
                .ToList()
            : [];

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test if it never does.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"timed out waiting for {what}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Best-effort cleanup so a failing test does not leave sleeps behind.</summary>
    public static void KillQuietly(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception)
            {
                // Already gone.
            }
        }
    }
}

/// <summary>A scratch directory per test, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "harness-proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling process may still hold a file; the OS cleans temp eventually.
        }
    }
}
