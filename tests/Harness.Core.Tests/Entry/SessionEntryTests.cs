using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Git;
using Harness.Core.Health;
using Harness.Core.Project;
using Harness.Core.State;
using Harness.TestKit;

namespace Harness.Core.Tests.Entry;

public class SessionEntryTests
{
    private static async Task<EntryReport> Enter(string dir, bool health = true, bool dryRun = false, Func<string, string?>? env = null)
    {
        await using var project = await HarnessProject.OpenAsync(dir);
        return await project.EnterAsync(new EntryOptions { RunHealthCheck = health, DryRun = dryRun, EnvironmentLookup = env });
    }

    [Fact]
    public async Task Fresh_repository_is_an_init_session_and_state_is_created()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "hello"));

        var report = await Enter(repo.Path);

        Assert.Equal(SessionType.INIT, report.SessionType);
        Assert.Equal(FeatureListStatus.NO_FEATURE_LIST, report.FeatureStatus);
        Assert.Equal(SessionState.START, report.CurrentState);
        Assert.Equal(SessionState.INIT, report.NextState);
        Assert.Equal("initialization/", report.Skill);
        Assert.True(report.StateCreated);
        var state = StateStore.Load(ProjectLayout.ForRoot(repo.Path))!;
        Assert.Equal(SessionState.INIT, state.State);
        var transition = Assert.Single(state.History);
        Assert.Equal((SessionState.START, SessionState.INIT, "no feature list"), (transition.From, transition.To, transition.Reason));
        Assert.NotNull(state.LastEntryAt);
    }

    [Fact]
    public async Task Pending_features_mean_implement_with_the_next_feature_named()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "pending"), ("F3", "pending"));
        repo.Commit("features");

        var report = await Enter(repo.Path);

        Assert.Equal(SessionType.CONTINUE, report.SessionType);
        Assert.Equal(FeatureListStatus.HAS_PENDING_FEATURES, report.FeatureStatus);
        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
        Assert.Equal("2 of 3 features remaining", report.NextStateReason);
        Assert.Equal("F2", report.Features.NextFeature!.Id);
        Assert.Equal(3, report.Features.Counts.Total);
    }

    [Fact]
    public async Task All_done_means_complete()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "completed"), ("F2", "tested"));
        repo.Commit("features");

        var report = await Enter(repo.Path);

        Assert.Equal(FeatureListStatus.ALL_COMPLETE, report.FeatureStatus);
        Assert.Equal(SessionState.COMPLETE, report.NextState);
    }

    [Fact]
    public async Task Failing_health_check_means_fix_broken_and_is_recorded()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "echo compile error in app.py >&2; exit 3" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("setup");

        var report = await Enter(repo.Path);

        Assert.Equal(HealthStatus.BROKEN, report.HealthStatus);
        Assert.Equal(HealthOutcome.FAILED, report.Health.Outcome);
        Assert.Equal(3, report.Health.ExitCode);
        Assert.Contains("compile error in app.py", report.Health.OutputTail);
        Assert.False(report.Health.IsFallback);
        Assert.Equal(SessionState.FIX_BROKEN, report.NextState);
        Assert.Equal("enforcement/", report.Skill);
        var state = StateStore.Load(ProjectLayout.ForRoot(repo.Path))!;
        Assert.Equal(HealthStatus.BROKEN, state.HealthStatus);
        Assert.NotNull(state.HealthCheckedAt);
        Assert.Equal(SessionState.FIX_BROKEN, state.State);
    }

    [Fact]
    public async Task Passing_health_check_is_healthy()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "true" }""");

        var report = await Enter(repo.Path);

        Assert.Equal(HealthStatus.HEALTHY, report.HealthStatus);
        Assert.Equal("configured check passed", report.Health.Description);
    }

    [Fact]
    public async Task Without_a_configured_check_the_seed_fallback_runs_and_says_so()
    {
        using var repo = TempGitRepo.Init();
        repo.WriteFile("pyproject.toml", "[project]\nname = 'x'\n");

        var report = await Enter(repo.Path);

        Assert.True(report.Health.IsFallback);
        Assert.Equal("Python imports work", report.Health.Description);
        Assert.Equal(HealthStatus.HEALTHY, report.HealthStatus);
    }

    [Fact]
    public async Task No_check_and_no_fallback_is_unknown_and_does_not_block()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));

        var report = await Enter(repo.Path);

        Assert.Equal(HealthOutcome.SKIPPED, report.Health.Outcome);
        Assert.Equal(HealthStatus.UNKNOWN, report.HealthStatus);
        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
    }

    [Fact]
    public async Task No_health_uses_the_recorded_status()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "exit 1" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        await Enter(repo.Path);

        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "exit 0" }""");
        var report = await Enter(repo.Path, health: false);

        Assert.Equal(HealthOutcome.SKIPPED, report.Health.Outcome);
        Assert.StartsWith("not run on request; last recorded BROKEN", report.Health.Description);
        Assert.Equal(SessionState.FIX_BROKEN, report.NextState);
    }

    [Fact]
    public async Task Removing_the_check_records_unknown_instead_of_keeping_an_old_broken()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "health_check": "exit 1" }""");
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        await Enter(repo.Path);

        ProjectFiles.WriteConfig(repo.Path, "{}");
        var report = await Enter(repo.Path);

        Assert.Equal(HealthStatus.UNKNOWN, report.HealthStatus);
        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
        Assert.Equal(HealthStatus.UNKNOWN, StateStore.Load(ProjectLayout.ForRoot(repo.Path))!.HealthStatus);
    }

    [Fact]
    public async Task Dry_run_writes_nothing()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "x"));
        var before = Directory.GetFileSystemEntries(repo.Path, "*", SearchOption.AllDirectories).Where(p => !p.Contains(".git")).Order().ToArray();

        var report = await Enter(repo.Path, dryRun: true);

        Assert.True(report.DryRun);
        Assert.True(report.StateCreated);
        Assert.Equal(SessionState.INIT, report.NextState);
        var after = Directory.GetFileSystemEntries(repo.Path, "*", SearchOption.AllDirectories).Where(p => !p.Contains(".git")).Order().ToArray();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Second_entry_keeps_state_and_adds_no_transition()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));

        var first = await Enter(repo.Path);
        var second = await Enter(repo.Path);

        Assert.Equal(SessionState.START, first.CurrentState);
        Assert.Equal(SessionState.IMPLEMENT, second.CurrentState);
        Assert.False(second.StateCreated);
        Assert.Single(StateStore.Load(ProjectLayout.ForRoot(repo.Path))!.History);
    }

    [Fact]
    public async Task Git_context_commits_and_recent_files()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("add a", ("a.txt", "1"));
        repo.Commit("add b", ("b.txt", "1"));

        var report = await Enter(repo.Path);

        Assert.Equal(["add b", "add a"], report.Git.RecentCommits.Select(c => c.Subject));
        Assert.Equal("git", report.RecentFilesSource);
        Assert.Equal(["b.txt", "a.txt"], report.RecentFiles);
    }

    [Fact]
    public async Task File_history_wins_over_git_for_recent_files()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("add a", ("a.txt", "1"));
        repo.WriteFile(".claude/progress/file_history.json", """["old.py", {"path": "mid.py"}, "new.py"]""");

        var report = await Enter(repo.Path);

        Assert.Equal("file_history", report.RecentFilesSource);
        Assert.Equal(["new.py", "mid.py", "old.py"], report.RecentFiles);
    }

    [Fact]
    public async Task Latest_summary_is_the_newest_session_file()
    {
        using var repo = TempGitRepo.Init();
        repo.WriteFile(".claude/progress/sessions/20260101T100000Z.md", "# old");
        var newest = repo.WriteFile(".claude/progress/sessions/20260102T090000Z.md", "# new");

        var report = await Enter(repo.Path);

        Assert.Equal(newest, report.LatestSummary);
    }

    [Fact]
    public async Task Not_a_git_repository_still_reports()
    {
        using var dir = TempDirectory.Create();
        dir.Write("package.json", "{}");

        var report = await Enter(dir.Path, health: false);

        Assert.False(report.Git.Repository.IsRepository);
        Assert.Empty(report.Git.RecentCommits);
        Assert.Contains(report.Warnings, w => w.Contains("not inside a git work tree"));
        Assert.Equal(SessionState.INIT, report.NextState);
    }

    [Fact]
    public async Task The_harness_own_atomic_write_temporaries_are_never_reported_as_changes()
    {
        // git status runs while the entry writes state.json atomically; it could list the write's
        // hidden temporary file. A file of that name stands in for the instant it exists.
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");
        repo.WriteFile(".claude/progress/.state.json.0123456789abcdef0123456789abcdef.tmp", "{}");
        repo.WriteFile(".feature_list.json.fedcba9876543210fedcba9876543210.tmp", "[]");
        repo.WriteFile("src/real-change.txt", "x");

        var report = await Enter(repo.Path, health: false, dryRun: true);

        Assert.Equal(["src/"], report.Git.Status.Select(s => s.Path).ToArray());
    }

    [Fact]
    public async Task A_folder_without_markers_or_harness_files_is_warned_about()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("README.md", "hello"));

        var report = await Enter(repo.Path, health: false);

        Assert.Contains(report.Warnings, w => w.StartsWith("no project markers found in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_feature_list_without_markers_is_a_project_and_not_warned_about()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteFeatures(repo.Path, ("F1", "pending"));
        repo.Commit("features");

        var report = await Enter(repo.Path, health: false);

        Assert.Empty(report.ProjectMarkers);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("no project markers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Missing_required_env_is_listed_by_name_without_values()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteConfig(repo.Path, """{ "required_env": ["HARNESS_TEST_SET", "HARNESS_TEST_MISSING"] }""");

        var report = await Enter(repo.Path, env: name => name == "HARNESS_TEST_SET" ? "s3cret" : null);

        Assert.Equal(["HARNESS_TEST_MISSING"], report.MissingEnv);
        Assert.DoesNotContain(report.Warnings, w => w.Contains("s3cret"));
        Assert.Contains(report.Warnings, w => w.Contains("HARNESS_TEST_MISSING"));
    }

    [Fact]
    public async Task Invalid_state_file_stops_entry_and_is_left_unchanged()
    {
        using var repo = TempGitRepo.Init();
        var path = ProjectFiles.WriteState(repo.Path, "{ \"state\": \"IMPLEMENT\", ");
        var before = File.ReadAllBytes(path);

        var error = await Assert.ThrowsAsync<HarnessException>(() => Enter(repo.Path));

        Assert.Equal(ErrorIds.StateFileInvalid, error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.False(File.Exists(ProjectLayout.ForRoot(repo.Path).LockFile));
    }

    [Fact]
    public async Task Dirty_state_is_reported_as_an_unclean_end()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteState(repo.Path, """{ "state": "IMPLEMENT", "dirty": true, "session_id": "s-41" }""");

        var report = await Enter(repo.Path, health: false);

        Assert.True(report.PreviousSessionDirty);
        Assert.Contains(report.Warnings, w => w.Contains("(s-41) did not end cleanly"));
    }

    [Fact]
    public async Task Quickstart_feature_list_drives_the_decision()
    {
        using var repo = TempGitRepo.Init();
        ProjectFiles.WriteQuickstartFeatures(repo.Path, true, false);

        var report = await Enter(repo.Path, health: false);

        Assert.Equal(FeatureListFormat.Quickstart, report.Features.Format);
        Assert.Equal(SessionState.IMPLEMENT, report.NextState);
        Assert.Equal("F002", report.Features.NextFeature!.Id);
    }
}
