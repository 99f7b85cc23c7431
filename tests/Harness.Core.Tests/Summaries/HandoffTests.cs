using Harness.Core.Summaries;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Summaries;

public class HandoffTests
{
    [UnixFact]
    public void After_a_handoff_and_at_the_next_session_start_git_status_is_clean()
    {
        // Before, state.json, checkpoint.json and metrics.jsonl were written after the checkpoint
        // commit and versioned, so the agent's next 'git add -A' swept them into its feature commit.
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"), ("F2", "pending"));
        repo.Commit("initial", ("app.txt", "v1\n"));
        using var project = TestProject.Open(repo.Path);

        var first = SessionLifecycle.Begin(project, "s1");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "pending"));
        repo.Commit("Implement F1", ("app.txt", "v2\n"));
        new Handoff(project).Run(new SessionOutcome { SessionId = first.SessionId, CostUsd = 0.5, ExitReason = "completed" });

        Assert.Equal("", repo.Git("status", "--porcelain", "--untracked-files=all"));

        SessionLifecycle.Begin(project, "s2");
        Assert.Equal("", repo.Git("status", "--porcelain", "--untracked-files=all"));
        Assert.Contains(".claude/progress/sessions/", repo.Git("ls-files"));
        Assert.DoesNotContain(".claude/progress/state.json", repo.Git("ls-files"));
    }
}

/// <summary>The documented manual session: the entry, work by hand, a handoff with no session id.</summary>
public class ManualHandoffTests
{
    [UnixFact]
    public async Task A_handoff_after_an_entry_ends_the_entry_s_session_once()
    {
        // Before: Harness.SessionUnknown, because the entry starts no session and records no id.
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("initial", ("app.txt", "v1\n"));
        using var project = TestProject.Open(repo.Path);
        await project.EnterAsync(new Harness.Core.Entry.EntryOptions { RunHealthCheck = false });

        var first = await project.HandOffAsync(new SessionOutcome { CostUsd = 1.25 });
        var again = await project.HandOffAsync(new SessionOutcome { CostUsd = 1.25 });

        Assert.False(first.AlreadyDone);
        Assert.EndsWith("-entry", first.SessionId, StringComparison.Ordinal);
        Assert.Equal(1.25, first.Metrics!.CostUsd);
        Assert.True(again.AlreadyDone);
        Assert.Equal(first.SessionId, again.SessionId);
        Assert.Single(File.ReadAllLines(project.Layout.MetricsFile));
    }

    [UnixFact]
    public async Task The_next_entry_starts_a_new_manual_session_and_a_loop_session_stays_handed_off()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("initial", ("app.txt", "v1\n"));
        using (var loop = TestProject.Open(repo.Path))
        {
            // A session the loop began and handed off: handing off again changes nothing.
            await loop.EnterAsync(new Harness.Core.Entry.EntryOptions { RunHealthCheck = false });
            SessionLifecycle.Begin(loop, "s1");
            Assert.False((await loop.HandOffAsync(new SessionOutcome())).AlreadyDone);
            var repeated = await loop.HandOffAsync(new SessionOutcome());
            Assert.True(repeated.AlreadyDone);
            Assert.Equal("s1", repeated.SessionId);
        }

        await Task.Delay(20);
        using var manual = TestProject.Open(repo.Path);
        await manual.EnterAsync(new Harness.Core.Entry.EntryOptions { RunHealthCheck = false });
        var next = await manual.HandOffAsync(new SessionOutcome());

        Assert.False(next.AlreadyDone);
        Assert.NotEqual("s1", next.SessionId);
        Assert.Equal(2, File.ReadAllLines(manual.Layout.MetricsFile).Length);
    }

    [Fact]
    public async Task Without_any_entry_the_handoff_says_to_run_the_entry_first()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"));
        using var project = TestProject.Open(dir.Path);

        var ex = await Assert.ThrowsAsync<Harness.Core.Errors.HarnessException>(() => project.HandOffAsync(new SessionOutcome()));

        Assert.Equal(Harness.Core.Errors.ErrorIds.SessionUnknown, ex.ErrorId);
        Assert.Equal(project.Layout.StateFile, ex.FilePath);
        Assert.Contains("session entry", ex.Fix, StringComparison.Ordinal);
    }
}

public class ExitReasonTests
{
    [Fact]
    public void Every_exit_reason_the_loop_records_is_a_known_one()
    {
        // The fronts offer KnownExitReasons for completion: a new agent outcome must be listed there.
        foreach (var outcome in Enum.GetValues<Harness.Core.Agents.AgentOutcome>())
        {
            Assert.Contains(Harness.Core.Loop.AutonomousLoop.ExitReason(outcome), SessionOutcome.KnownExitReasons);
        }
    }
}
