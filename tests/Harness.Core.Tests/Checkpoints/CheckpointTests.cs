using Harness.Core.Checkpoints;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.Core.Summaries;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Checkpoints;

public class CheckpointTests
{
    private static readonly GitCli Git = new();

    private static string HealthyState(string health = "HEALTHY", bool dirty = false, string session = "s1") =>
        $$"""{ "state": "IMPLEMENT", "health_status": "{{health}}", "dirty": {{(dirty ? "true" : "false")}}, "session_id": "{{session}}", "history": [] }""";

    private static (TempGitRepo Repo, ProjectLayout Layout, CheckpointStore Store, HarnessProject Project) Project()
    {
        var repo = TempGitRepo.Init();
        ProjectFiles.WriteState(repo.Path, HealthyState());
        repo.Commit("initial", ("a.txt", "A1\n"), ("b.txt", "B1\n"), (".gitignore", "*.log\n"));
        var project = TestProject.Open(repo.Path);
        return (repo, project.Layout, new CheckpointStore(project), project);
    }

    [UnixFact]
    public void Restore_after_deletes_history_rewrite_and_untracked_files_keeps_every_byte_in_the_backup()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        var good = store.Save(new CheckpointOptions { Reason = "before the agent" });

        // The agent: deletes a file and commits, rewrites that commit, edits without committing, leaves untracked files.
        File.Delete(Path.Combine(repo.Path, "a.txt"));
        repo.Commit("agent deletes a", ("c.txt", "C1\n"));
        repo.Git("commit", "--quiet", "--amend", "-m", "agent rewrote history");
        var agentHead = repo.Git("rev-parse", "HEAD").Trim();
        repo.WriteFile("b.txt", "B2 uncommitted\n");
        repo.WriteFile("new/untracked.txt", "U1\n");
        repo.WriteFile("debug.log", "ignored\n");

        var refused = Assert.Throws<HarnessException>(() => store.Restore(new RestoreOptions()));
        Assert.Equal(ErrorIds.WorkTreeDirty, refused.ErrorId);
        Assert.Contains("b.txt", refused.Message);
        Assert.Equal("B2 uncommitted\n", File.ReadAllText(Path.Combine(repo.Path, "b.txt")));

        var plan = store.Restore(new RestoreOptions { DryRun = true });
        Assert.Contains(plan.Files, f => f.Path == "a.txt");
        Assert.Contains(plan.Files, f => f.Path == "new/untracked.txt" && f.Status == 'D');
        Assert.Equal(agentHead, Assert.Single(plan.CommitsDropped).Hash);
        Assert.Equal(agentHead, repo.Git("rev-parse", "HEAD").Trim());

        var result = store.Restore(new RestoreOptions { Force = true, Reason = "test" });

        Assert.Equal(good.Commit, repo.Git("rev-parse", "HEAD").Trim());
        Assert.Equal("A1\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.Equal("B1\n", File.ReadAllText(Path.Combine(repo.Path, "b.txt")));
        Assert.False(File.Exists(Path.Combine(repo.Path, "c.txt")));
        Assert.False(File.Exists(Path.Combine(repo.Path, "new", "untracked.txt")));
        Assert.True(File.Exists(Path.Combine(repo.Path, "debug.log")), "ignored files are not the harness's to delete");

        // Every byte that existed before the restore is reachable from the backup ref.
        Assert.StartsWith("refs/harness/backup/", result.BackupRef);
        Assert.Equal("B2 uncommitted\n", repo.Git("show", $"{result.BackupRef}:b.txt"));
        Assert.Equal("U1\n", repo.Git("show", $"{result.BackupRef}:new/untracked.txt"));
        Assert.Equal("C1\n", repo.Git("show", $"{result.BackupRef}:c.txt"));
        Assert.Equal(agentHead, repo.Git("rev-parse", $"{result.BackupRef}^1").Trim());
        var state = StateStore.Load(layout)!;
        Assert.Contains(state.History, h => h.Reason.Contains($"restored checkpoint {good.Name}") && h.Reason.Contains(result.BackupRef!));
    }

    [UnixFact]
    public void Checkpoints_list_newest_first_with_the_last_healthy_marked_and_survive_a_reset()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        var first = store.Save();
        repo.WriteFile("a.txt", "A2\n");
        ProjectFiles.WriteState(repo.Path, HealthyState("BROKEN"));
        var second = store.Save(new CheckpointOptions { Reason = "broken one" });
        File.Delete(layout.CheckpointFile);
        repo.Git("reset", "--quiet", "--hard", first.Commit);

        var list = store.List();

        Assert.Equal([second.Name, first.Name], list.Select(c => c.Name));
        Assert.True(list[1].IsLastGood);
        Assert.False(list[0].IsLastGood);
        Assert.Equal(HealthStatus.BROKEN, list[0].Health);
        Assert.Equal("s1", list[0].SessionId);
        Assert.True(list[0].CreatedCommit);
        Assert.Equal(second.Commit, list[0].Commit);
        Assert.Contains("health BROKEN", repo.Git("log", "-1", "--format=%s", second.Commit));
    }

    [UnixFact]
    public void Nothing_to_commit_records_the_checkpoint_at_HEAD()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        store.Save();
        var head = repo.Git("rev-parse", "HEAD").Trim();
        repo.Git("add", "-A");
        repo.Git("commit", "--quiet", "-m", "state");
        head = repo.Git("rev-parse", "HEAD").Trim();

        var again = store.Save();

        Assert.False(again.CreatedCommit);
        Assert.Equal(head, again.Commit);
        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
        Assert.Contains(again.Commit, File.ReadAllText(layout.CheckpointFile));
    }

    [UnixFact]
    public void Save_works_without_commits_and_on_a_detached_head()
    {
        using var repo = TempGitRepo.Init();
        repo.WriteFile("x.txt", "X\n");
        using var project = TestProject.Open(repo.Path);
        var layout = project.Layout;
        var store = new CheckpointStore(project);

        var first = store.Save();
        Assert.True(first.CreatedCommit);
        Assert.Equal(first.Commit, repo.Git("rev-parse", "main").Trim());
        Assert.Equal("X\n", repo.Git("show", "HEAD:x.txt"));
        Assert.Equal("", repo.Git("status", "--porcelain", "--", "x.txt"));

        repo.DetachHead();
        repo.WriteFile("y.txt", "Y\n");
        var detached = store.Save();
        Assert.True(detached.Detached);
        Assert.Null(detached.Branch);
        Assert.Equal(detached.Commit, repo.Git("rev-parse", "HEAD").Trim());
        Assert.DoesNotContain("user.name", File.ReadAllText(Path.Combine(repo.Path, ".git", "config")));
    }

    [UnixFact]
    public void Autosave_leaves_status_index_and_files_exactly_as_they_were()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        repo.WriteFile("a.txt", "A staged\n");
        repo.Git("add", "a.txt");
        repo.WriteFile("a.txt", "A unstaged on top\n");
        repo.WriteFile("u.txt", "untracked\n");
        var index = Path.Combine(repo.Path, ".git", "index");
        var statusBefore = repo.Git("status", "--porcelain=v2", "--branch", "--untracked-files=all");
        var indexBefore = File.ReadAllBytes(index);
        var indexTime = File.GetLastWriteTimeUtc(index);
        var head = repo.Git("rev-parse", "HEAD").Trim();

        var save = store.AutosaveNow("session 7", keep: 2);

        Assert.Equal(indexBefore, File.ReadAllBytes(index));
        Assert.Equal(indexTime, File.GetLastWriteTimeUtc(index));
        Assert.Equal(statusBefore, repo.Git("status", "--porcelain=v2", "--branch", "--untracked-files=all"));
        Assert.Equal(head, repo.Git("rev-parse", "HEAD").Trim());
        Assert.StartsWith("refs/harness/autosave/session-7/", save.Ref);
        Assert.Equal("untracked\n", repo.Git("show", $"{save.Ref}:u.txt"));
        Assert.Equal("A unstaged on top\n", repo.Git("show", $"{save.Ref}:a.txt"));

        Assert.False(store.AutosaveNow("session 7", keep: 2).Created);
        repo.WriteFile("u.txt", "2\n");
        store.AutosaveNow("session 7", keep: 2);
        repo.WriteFile("u.txt", "3\n");
        var last = store.AutosaveNow("session 7", keep: 2);
        Assert.Single(last.Pruned);
        Assert.Equal(2, repo.Git("for-each-ref", "refs/harness/autosave/").Trim().Split('\n').Length);
    }

    [UnixFact]
    public async Task Crash_recovery_keep_records_the_crash_and_keeps_the_tree()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        store.Save();
        ProjectFiles.WriteState(repo.Path, HealthyState(dirty: true, session: "s9"));
        repo.WriteFile("half-done.txt", "work\n");

        var report = await project.EnterAsync(new EntryOptions { RunHealthCheck = false });

        Assert.NotNull(report.Crash);
        Assert.Equal("kept", report.Crash!.Action);
        Assert.Equal("s9", report.Crash.SessionId);
        Assert.True(report.PreviousSessionDirty);
        Assert.True(File.Exists(Path.Combine(repo.Path, "half-done.txt")));
        var state = StateStore.Load(layout)!;
        Assert.False(state.Dirty);
        Assert.Contains(state.History, h => h.Reason.StartsWith("crash recovered: the previous session (s9) did not end cleanly", StringComparison.Ordinal));
    }

    [UnixFact]
    public async Task A_loop_holding_the_lock_between_sessions_still_recovers_a_crash()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        store.Save();
        ProjectFiles.WriteState(repo.Path, HealthyState(dirty: true, session: "s10"));

        // The loop holds the lock for its whole run; a dirty state found at its entry is a crash of an earlier run.
        project.EnsureLocked("autonomous loop");
        var report = await project.EnterAsync(new EntryOptions { RunHealthCheck = false });

        Assert.Equal("s10", report.Crash?.SessionId);
        Assert.False(StateStore.Load(layout)!.Dirty);
    }

    [UnixFact]
    public async Task A_dry_run_while_another_live_harness_holds_the_lock_sees_a_session_in_progress()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        store.Save();
        project.Dispose();
        ProjectFiles.WriteState(repo.Path, HealthyState(dirty: true, session: "s11"));
        using var other = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        File.WriteAllText(layout.LockFile, $$"""{"pid": {{other.Id}}, "host": "{{Environment.MachineName}}", "started_at": "{{DateTimeOffset.UtcNow:O}}", "purpose": "autonomous loop"}""");

        using var reader = TestProject.Open(repo.Path);
        var report = await reader.EnterAsync(new EntryOptions { RunHealthCheck = false, DryRun = true });

        other.Kill();
        Assert.Null(report.Crash);
        Assert.False(report.PreviousSessionDirty);
        Assert.Contains(report.Warnings, w => w.Contains($"another harness is running (pid {other.Id}"));
    }

    [UnixFact]
    public async Task Crash_recovery_rollback_restores_the_last_good_checkpoint_and_loses_nothing()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        var good = store.Save();
        repo.Commit("agent commit", ("a.txt", "A broken\n"));
        repo.WriteFile("half-done.txt", "work\n");
        ProjectFiles.WriteState(repo.Path, HealthyState(dirty: true, session: "s9"));

        var report = await project.EnterAsync(new EntryOptions { RunHealthCheck = false, CrashPolicy = CrashPolicy.Rollback });

        Assert.Equal("rolled_back", report.Crash!.Action);
        Assert.Equal(good.Name, report.Crash.Checkpoint);
        Assert.Equal("A1\n", File.ReadAllText(Path.Combine(repo.Path, "a.txt")));
        Assert.False(File.Exists(Path.Combine(repo.Path, "half-done.txt")));
        Assert.Equal("work\n", repo.Git("show", $"{report.Crash.BackupRef}:half-done.txt"));
        Assert.Equal("A broken\n", repo.Git("show", $"{report.Crash.BackupRef}:a.txt"));
        Assert.Equal(good.Commit, report.Git.Repository.HeadCommit);
        Assert.False(StateStore.Load(layout)!.Dirty);
    }

    [UnixFact]
    public async Task Broken_entry_reports_what_changed_since_the_last_good_checkpoint()
    {
        var (repo, layout, store, project) = Project();
        using var __ = project;
        using var _ = repo;
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "exit 1" }""");
        store.Save();
        repo.Commit("break it", ("a.txt", "broken\n"));
        repo.WriteFile("new.txt", "n\n");

        var report = await project.EnterAsync(new EntryOptions());

        Assert.Equal(HealthStatus.BROKEN, report.HealthStatus);
        Assert.NotNull(report.WhatBroke);
        Assert.Equal("break it", Assert.Single(report.WhatBroke!.Commits).Subject);
        Assert.Contains(report.WhatBroke.Files, f => f.Path == "a.txt");
        Assert.Contains(report.WhatBroke.Files, f => f.Path == "new.txt" && f.Status == '?');
        Assert.Contains("\"what_broke\"", Harness.Core.Json.HarnessJson.Serialize(report));
    }

    [UnixFact]
    public void Scripted_session_summary_and_an_idempotent_handoff()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"), ("F2", "pending"), ("F3", "pending"));
        repo.Commit("initial", ("app.txt", "v1\n"));
        using var project = TestProject.Open(repo.Path);
        var layout = project.Layout;
        var baseline = SessionLifecycle.Begin(project, "s42");
        Assert.True(StateStore.Load(layout)!.Dirty);

        // The agent's session: completes F1, starts F2, commits, edits, records a decision and a blocker.
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "in_progress"), ("F3", "blocked"));
        repo.Commit("Implement F1", ("app.txt", "v2\n"));
        repo.WriteFile("notes.txt", "wip\n");
        StateStore.Update(project, _ => { });
        var stateJson = File.ReadAllText(layout.StateFile).TrimEnd().TrimEnd('}') +
            """, "decisions": [ { "decision": "Use SQLite", "rationale": "no server needed", "session_id": "s42" }, { "decision": "old one", "session_id": "s1" } ], "blockers": [ "Need an API key for F3" ] }""";
        File.WriteAllText(layout.StateFile, stateJson);

        var outcome = new SessionOutcome { SessionId = "s42", StartedAt = baseline.StartedAt, ResultText = "Done with F1.", CostUsd = 1.25, InputTokens = 1000, OutputTokens = 200, Turns = 12, ExitReason = "completed" };
        var handoff = new Handoff(project);
        var result = handoff.Run(outcome);

        var md = File.ReadAllText(result.SummaryPath!);
        Assert.StartsWith("# Session Summary - ", md);
        Assert.Contains("## State\n- Final state:", md);
        Assert.Contains("1. [F1] Feature F1 - Implemented and completed", md);
        Assert.Contains("[F2] Feature F2 - Implementation started, testing pending", md);
        Assert.Contains(": Implement F1", md);
        Assert.Contains("- Use SQLite: no server needed", md);
        Assert.DoesNotContain("old one", md);
        Assert.Contains("- [ ] Need an API key for F3", md);
        Assert.Contains("3. Continue with feature: F2", md);
        Assert.Contains("- app.txt - modified", md);
        Assert.Contains("- notes.txt - added", md);
        Assert.Contains("> Done with F1.", md);
        Assert.Contains("cost: $1.2500", md);
        Assert.Equal(1, result.Metrics!.FeaturesCompleted);
        Assert.False(StateStore.Load(layout)!.Dirty);
        Assert.False(File.Exists(SessionBaseline.PathFor(layout)));
        Assert.NotNull(result.Checkpoint);

        var metricsBefore = File.ReadAllBytes(layout.MetricsFile);
        var stateBefore = File.ReadAllBytes(layout.StateFile);
        var head = repo.Git("rev-parse", "HEAD");
        var summaries = Directory.GetFiles(layout.SessionsDirectory).Length;
        var again = handoff.Run(outcome);

        Assert.True(again.AlreadyDone);
        Assert.Equal(metricsBefore, File.ReadAllBytes(layout.MetricsFile));
        Assert.Equal(stateBefore, File.ReadAllBytes(layout.StateFile));
        Assert.Equal(head, repo.Git("rev-parse", "HEAD"));
        Assert.Equal(summaries, Directory.GetFiles(layout.SessionsDirectory).Length);
    }
}
