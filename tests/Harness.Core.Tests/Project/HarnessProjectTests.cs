using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Project;

/// <summary>The open project: one lock handle per project, validation before change, clean errors for files it cannot write.</summary>
public class HarnessProjectTests
{
    private const string DirtyState = """{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": true, "session_id": "live", "history": [] }""";

    [UnixFact]
    public async Task An_entry_in_the_same_process_as_a_running_loop_is_refused_and_leaves_the_live_session_dirty()
    {
        // A loop in a thread job holds the project (its agent is running: dirty). Before, a second
        // entry in the same process re-entered a static lock, called it a crash and cleared dirty.
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("a.txt", "A\n"));
        ProjectFiles.WriteState(repo.Path, DirtyState);
        using var loop = TestProject.Open(repo.Path);
        loop.EnsureLocked("autonomous loop");

        using var second = TestProject.Open(repo.Path);
        var error = await Assert.ThrowsAsync<HarnessException>(() => second.EnterAsync(new EntryOptions { RunHealthCheck = false, CrashPolicy = CrashPolicy.Rollback }));

        Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
        Assert.Contains("(autonomous loop)", error.Message);
        Assert.True(StateStore.Load(second.Layout)!.Dirty);

        var look = await second.EnterAsync(new EntryOptions { RunHealthCheck = false, DryRun = true });
        Assert.Null(look.Crash);
        Assert.False(look.PreviousSessionDirty);
        Assert.True(StateStore.Load(second.Layout)!.Dirty);
    }

    [UnixFact]
    public async Task The_lock_is_released_when_the_project_is_disposed_and_a_waiting_writer_then_goes_ahead()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("a.txt", "A\n"));
        var first = TestProject.Open(repo.Path);
        await first.EnsureLockedAsync("features set", CancellationToken.None);

        using var second = TestProject.Open(repo.Path);
        second.LockWait = TimeSpan.FromSeconds(10);
        var entry = second.EnterAsync(new EntryOptions { RunHealthCheck = false });
        await Task.Delay(200);
        Assert.False(entry.IsCompleted);
        first.Dispose();

        var report = await entry.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(second.HoldsLock);
        Assert.Equal(SessionState.INIT, report.NextState);
    }

    [UnixFact]
    public async Task A_forced_restore_with_an_invalid_state_file_changes_nothing_and_says_why()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("a.txt", "A1\n"));
        using var project = TestProject.Open(repo.Path);
        var good = await project.SaveCheckpointAsync();
        repo.Commit("later", ("a.txt", "A2\n"));
        var head = repo.Git("rev-parse", "HEAD").Trim();
        File.WriteAllText(project.Layout.StateFile, "{ \"state\": \"IMPLEMENT\", \"dirty\": tru }\n");

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.RestoreCheckpointAsync(new RestoreOptions { Checkpoint = good.Name, Force = true }));

        Assert.Equal(ErrorIds.StateFileInvalid, error.ErrorId);
        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
        Assert.Equal("A2\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.Equal("", repo.Git("for-each-ref", "refs/harness/backup/"));
    }

    [UnixFact]
    public async Task A_read_only_progress_folder_is_a_clean_error_naming_the_folder()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("a.txt", "A\n"));
        var progress = Path.Combine(repo.Path, ".claude", "progress");
        using var readOnly = ReadOnlyFolder.Create(progress);
        using var project = TestProject.Open(repo.Path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.EnterAsync(new EntryOptions { RunHealthCheck = false }));

        Assert.Equal(ErrorIds.IoFailed, error.ErrorId);
        Assert.Equal(HarnessErrorCategory.PermissionDenied, error.Category);
        Assert.StartsWith($"cannot write {progress}", error.Message);
    }

    [UnixFact]
    public async Task A_read_only_progress_folder_stops_a_restore_before_the_tree_moves()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("a.txt", "A1\n"));
        using (var saver = TestProject.Open(repo.Path))
        {
            await saver.SaveCheckpointAsync();
        }

        repo.Commit("later", ("a.txt", "A2\n"));
        var head = repo.Git("rev-parse", "HEAD").Trim();
        using var readOnly = ReadOnlyFolder.Create(Path.Combine(repo.Path, ".claude", "progress"));
        using var project = TestProject.Open(repo.Path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.RestoreCheckpointAsync(new RestoreOptions { Force = true }));

        Assert.Equal(ErrorIds.IoFailed, error.ErrorId);
        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
        Assert.Equal("", repo.Git("for-each-ref", "refs/harness/backup/"));
    }

    [Fact]
    public async Task A_folder_that_is_no_project_gets_no_harness_files()
    {
        using var dir = TempDirectory.Create("harness-plain");
        using var project = TestProject.Open(dir.Path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => project.EnterAsync(new EntryOptions { RunHealthCheck = false }));

        Assert.Equal(ErrorIds.ProjectNotFound, error.ErrorId);
        Assert.Contains("is not a project", error.Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
        var look = await project.EnterAsync(new EntryOptions { RunHealthCheck = false, DryRun = true });
        Assert.Equal(SessionState.INIT, look.NextState);
    }

    [Fact]
    public void A_stray_claude_progress_in_the_home_folder_does_not_capture_folders_below_it()
    {
        using var home = TempDirectory.Create("harness-home");
        home.Write(".claude/progress/state.json", "{}");
        var below = Path.Combine(home.Path, "notes", "draft");
        Directory.CreateDirectory(below);
        var saved = Environment.GetEnvironmentVariable("HOME");
        Environment.SetEnvironmentVariable("HOME", home.Path);
        try
        {
            Assert.Equal(below, ProjectLayout.Resolve(below).Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOME", saved);
        }
    }
}
