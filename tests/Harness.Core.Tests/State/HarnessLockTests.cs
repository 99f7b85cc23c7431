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
    private static HarnessLock Acquire(ProjectLayout layout, string purpose, TimeSpan wait = default) =>
        HarnessLock.AcquireAsync(layout, purpose, wait, CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Lock_file_names_this_process_and_is_removed_on_release()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        using (Acquire(layout, "test"))
        {
            var json = JsonNode.Parse(File.ReadAllText(layout.LockFile))!;
            Assert.Equal(Environment.ProcessId, json["pid"]!.GetValue<int>());
            Assert.Equal(Environment.MachineName, json["host"]!.GetValue<string>());
            Assert.NotNull(json["started_at"]);
        }

        Assert.False(File.Exists(layout.LockFile));
    }

    [Fact]
    public void A_second_acquire_in_the_same_process_is_refused_like_another_process()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        using (Acquire(layout, "autonomous loop"))
        {
            var error = Assert.Throws<HarnessException>(() => Acquire(layout, "session entry"));

            Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
            Assert.Contains($"this process (pid {Environment.ProcessId}) already has the project open (autonomous loop)", error.Message);
            Assert.True(File.Exists(layout.LockFile));
        }

        Assert.False(File.Exists(layout.LockFile));
    }

    [Fact]
    public async Task A_waiting_acquire_gets_the_lock_when_the_holder_releases_it_in_time()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        var first = Acquire(layout, "features set");

        var waiting = HarnessLock.AcquireAsync(layout, "features set", TimeSpan.FromSeconds(10), CancellationToken.None);
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        first.Dispose();

        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("features set", second.Info.Purpose);
    }

    [Fact]
    public void A_live_holder_gives_a_clear_error_naming_pid_and_time()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);
        using var other = StartSleeper();
        WriteLock(layout, other.Id, Environment.MachineName, DateTimeOffset.UtcNow);
        var before = File.ReadAllBytes(layout.LockFile);

        var error = Assert.Throws<HarnessException>(() => Acquire(layout, "test"));

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
        using (var taken = Acquire(layout, "test"))
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

        using (Acquire(layout, "test"))
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
