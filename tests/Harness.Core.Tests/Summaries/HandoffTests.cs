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
