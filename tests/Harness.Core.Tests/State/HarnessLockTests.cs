using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.State;

public class HarnessLockTests
{
    [Fact]
    public void Lock_file_names_this_process_and_is_removed_on_release()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        using (HarnessLock.Acquire(layout, "test"))
        {
            var json = JsonNode.Parse(File.ReadAllText(layout.LockFile))!;
            Assert.Equal(Environment.ProcessId, json["pid"]!.GetValue<int>());
            Assert.Equal(Environment.MachineName, json["host"]!.GetValue<string>());
            Assert.NotNull(json["started_at"]);
        }

        Assert.False(File.Exists(layout.LockFile));
    }

    [Fact]
    public void Nested_acquire_in_one_process_is_reentrant()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        using (HarnessLock.Acquire(layout, "outer"))
        {
            using (HarnessLock.Acquire(layout, "inner"))
            {
            }

            Assert.True(File.Exists(layout.LockFile));
        }

        Assert.False(File.Exists(layout.LockFile));
    }

    [Fact]
    public void A_live_holder_gives_a_clear_error_naming_pid_and_time()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        using var other = StartSleeper();
        WriteLock(layout, other.Id, Environment.MachineName, DateTimeOffset.UtcNow);
        var before = File.ReadAllBytes(layout.LockFile);

        var error = Assert.Throws<HarnessException>(() => HarnessLock.Acquire(layout, "test"));

        Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
        Assert.Equal(HarnessErrorCategory.ResourceBusy, error.Category);
        Assert.Contains($"another harness is running (pid {other.Id} on {Environment.MachineName} since ", error.Message);
        Assert.Equal(before, File.ReadAllBytes(layout.LockFile));
        Assert.Equal(other.Id, HarnessLock.CurrentHolder(layout)!.Pid);
        other.Kill();
    }

    [Fact]
    public void A_dead_holders_lock_is_taken_over()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var dead = StartSleeper();
        var deadPid = dead.Id;
        dead.Kill();
        dead.WaitForExit();
        dead.Dispose();
        WriteLock(layout, deadPid, Environment.MachineName, DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.Null(HarnessLock.CurrentHolder(layout));
        using (var taken = HarnessLock.Acquire(layout, "test"))
        {
            Assert.Equal(Environment.ProcessId, taken.Info.Pid);
            Assert.Equal(Environment.ProcessId, JsonNode.Parse(File.ReadAllText(layout.LockFile))!["pid"]!.GetValue<int>());
        }
    }

    [Fact]
    public void A_reused_pid_does_not_keep_a_stale_lock_alive()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        using var unrelated = StartSleeper();

        // The lock says its holder started a day before this pid's process did: the pid was reused.
        WriteLock(layout, unrelated.Id, Environment.MachineName, DateTimeOffset.UtcNow.AddDays(-1));

        using (HarnessLock.Acquire(layout, "test"))
        {
            Assert.Equal(Environment.ProcessId, JsonNode.Parse(File.ReadAllText(layout.LockFile))!["pid"]!.GetValue<int>());
        }

        unrelated.Kill();
    }

    private static Process StartSleeper() =>
        Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;

    private static void WriteLock(ProjectLayout layout, int pid, string host, DateTimeOffset startedAt)
    {
        Directory.CreateDirectory(layout.ProgressDirectory);
        File.WriteAllText(layout.LockFile, new JsonObject
        {
            ["pid"] = pid,
            ["host"] = host,
            ["started_at"] = startedAt.ToString("O", CultureInfo.InvariantCulture),
            ["purpose"] = "loop",
        }.ToJsonString());
    }
}
