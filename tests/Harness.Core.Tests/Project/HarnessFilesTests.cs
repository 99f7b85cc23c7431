using Harness.Core.Checkpoints;
using Harness.Core.Git;
using Harness.Core.Guard;
using Harness.Core.Project;
using Harness.Core.Tests.Git;
using Harness.TestKit;

namespace Harness.Core.Tests.Project;

/// <summary>
/// One test per column of <see cref="HarnessFiles.Table"/>: each behaviour derived from the table
/// (guard, snapshots, restore, .gitignore) is checked on a real file for every row, so a row
/// cannot say one thing while a mechanism does another.
/// </summary>
public class HarnessFilesTests
{
    /// <summary>A concrete project-relative file for every row but .git/ (which git owns).</summary>
    public static TheoryData<string> Rows()
    {
        var data = new TheoryData<string>();
        foreach (var row in HarnessFiles.Table.Where(r => r.Pattern != ".git/"))
        {
            data.Add(row.Pattern);
        }

        return data;
    }

    /// <summary>A file the row matches, and no earlier row does.</summary>
    private static string SampleFor(string pattern)
    {
        var sample = pattern
            .Replace("**/", "", StringComparison.Ordinal)
            .Replace(".*.tmp", ".state.json.0123456789abcdef0123456789abcdef.tmp", StringComparison.Ordinal)
            .Replace("*.lock.stale-*", "harness.lock.stale-42-x", StringComparison.Ordinal)
            .Replace("*", "sample", StringComparison.Ordinal);
        sample = sample.EndsWith('/') ? sample + "sample.md" : sample;
        Assert.Same(HarnessFiles.Table.First(r => r.Pattern == pattern), HarnessFiles.Find(sample));
        return sample;
    }

    private static HookInput WriteOf(string cwd, string path) =>
        new() { HookEventName = "PreToolUse", ToolName = "Write", Cwd = cwd, FilePath = path };

    /// <summary>Content the harness can read where it reads the file, carrying <paramref name="marker"/>.</summary>
    private static string ContentFor(string path, string marker) => path switch
    {
        ".claude/progress/feature-list.json" => $$"""{ "features": [], "marker": "{{marker}}" }""",
        "feature_list.json" => $$"""[ { "category": "x", "description": "{{marker}}", "steps": [], "passes": false } ]""",
        ".claude/progress/state.json" => $$"""{ "state": "IMPLEMENT", "health_status": "HEALTHY", "dirty": false, "history": [], "marker": "{{marker}}" }""",
        _ when path.EndsWith(".json", StringComparison.Ordinal) => $$"""{ "marker": "{{marker}}" }""",
        _ => marker + "\n",
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void The_guard_lets_the_agent_write_a_row_exactly_when_it_names_the_agent(string pattern)
    {
        using var dir = TempDirectory.Create("harness-table");
        var row = HarnessFiles.Find(SampleFor(pattern))!;
        var context = new GuardContext(dir.Path, new GuardSettings(), () => Core.State.HealthStatus.HEALTHY);
        var input = WriteOf(dir.Path, SampleFor(pattern));

        var decision = GuardPolicy.Evaluate(input, context);

        Assert.Equal(row.AgentMayWrite, decision.Allowed);
    }

    [Fact]
    public void The_agent_may_not_write_the_session_baseline_that_work_done_is_measured_against()
    {
        using var dir = TempDirectory.Create("harness-table");
        var context = new GuardContext(dir.Path, new GuardSettings(), () => Core.State.HealthStatus.HEALTHY);
        var input = WriteOf(dir.Path, ".claude/progress/session-start.json");

        Assert.False(GuardPolicy.Evaluate(input, context).Allowed);
    }

    [UnixFact]
    public void A_checkpoint_holds_exactly_the_rows_marked_in_snapshots()
    {
        using var repo = TempGitRepo.Init();
        repo.Commit("initial", ("app.txt", "app\n"));
        var samples = HarnessFiles.Table.Where(r => r.Pattern != ".git/").Select(r => (Row: r, Path: SampleFor(r.Pattern))).ToList();
        foreach (var (_, path) in samples)
        {
            repo.WriteFile(path, ContentFor(path, "content"));
        }

        // A user-written .gitignore so every row is untracked and visible to the snapshot.
        repo.WriteFile(".claude/progress/.gitignore", "# the user's own\n");
        using var project = TestProject.Open(repo.Path);
        var checkpoint = new CheckpointStore(project).Save();

        var tree = repo.Git("ls-tree", "-r", "--name-only", checkpoint.Commit).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        foreach (var (row, path) in samples)
        {
            Assert.True(row.InSnapshots == tree.Contains(path), $"{path} ({row.Role}): InSnapshots is {row.InSnapshots} but the checkpoint {(tree.Contains(path) ? "has" : "lacks")} it");
        }
    }

    [UnixFact]
    public void A_restore_keeps_exactly_the_rows_marked_kept_on_restore()
    {
        using var repo = TempGitRepo.Init();
        var samples = HarnessFiles.Table.Where(r => r.Pattern != ".git/").Select(r => (Row: r, Path: SampleFor(r.Pattern))).ToList();
        foreach (var (_, path) in samples)
        {
            repo.WriteFile(path, ContentFor(path, "old"));
        }

        // Tracked in the target (forced past any ignore file), so the reset would rewrite every one of them.
        repo.WriteFile(".claude/progress/.gitignore", "# the user's own\n");
        repo.Git("add", "-A", "-f");
        repo.Git("commit", "--quiet", "-m", "everything tracked");
        using var project = TestProject.Open(repo.Path);
        var store = new CheckpointStore(project);
        var target = store.Save();
        foreach (var (_, path) in samples)
        {
            repo.WriteFile(path, ContentFor(path, "new"));
        }

        repo.Git("add", "-A", "-f");
        repo.Git("commit", "--quiet", "-m", "everything changed");

        store.Restore(new RestoreOptions { Checkpoint = target.Name, Force = true });

        foreach (var (row, path) in samples.Where(s => s.Row.Pattern is not ".claude/progress/*.lock" and not ".claude/progress/**/.*.tmp"))
        {
            var content = File.ReadAllText(Path.Combine(repo.Path, path));
            Assert.True(content.Contains("new", StringComparison.Ordinal) == row.KeptOnRestore, $"{path} ({row.Role}): KeptOnRestore is {row.KeptOnRestore} but after the restore it reads {content.Trim()}");
        }
    }

    [UnixFact]
    public void The_progress_gitignore_ignores_exactly_the_rows_marked_git_ignored()
    {
        using var repo = TempGitRepo.Init();
        var layout = ProjectLayout.ForRoot(repo.Path);
        Assert.True(ProgressIgnore.Ensure(layout));

        var rows = HarnessFiles.Table.Where(r => r.Pattern != ".git/").Select(r => (Row: r, Path: SampleFor(r.Pattern))).ToList();
        foreach (var (_, path) in rows.Where(r => r.Path != ".claude/progress/.gitignore"))
        {
            repo.WriteFile(path, "x\n");
        }

        var ignoredFiles = repo.Git("ls-files", "--others", "--ignored", "--exclude-standard").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        foreach (var (row, path) in rows)
        {
            var ignored = ignoredFiles.Contains(path);
            Assert.True(ignored == row.GitIgnored, $"{path} ({row.Role}): GitIgnored is {row.GitIgnored} but git check-ignore says {(ignored ? "ignored" : "not ignored")}");
        }
    }

    [Fact]
    public void A_gitignore_the_harness_wrote_earlier_is_brought_up_to_date_and_a_users_own_is_left_alone()
    {
        using var dir = TempDirectory.Create("harness-ignore");
        var layout = ProjectLayout.ForRoot(dir.Path);
        var path = ProgressIgnore.PathFor(layout);
        dir.Write(".claude/progress/.gitignore", "# Written by the harness: its transient files stay out of commits.\nharness.lock\n");

        Assert.True(ProgressIgnore.Ensure(layout));
        Assert.Equal(ProgressIgnore.Content, File.ReadAllText(path));
        Assert.False(ProgressIgnore.Ensure(layout));

        File.WriteAllText(path, "state.json\n");
        Assert.False(ProgressIgnore.Ensure(layout));
        Assert.Equal("state.json\n", File.ReadAllText(path));
    }

    [Theory]
    [InlineData(".claude/progress/.state.json.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData(".feature_list.json.0123456789abcdef0123456789abcdef.tmp", true)]
    [InlineData("src/.notes.tmp", false)]
    [InlineData(".claude/progress/state.json", false)]
    public void Temporary_files_of_atomic_writes_are_recognised_wherever_they_are(string path, bool temporary) =>
        Assert.Equal(temporary, HarnessFiles.IsTemporary(path));

    [Fact]
    public void The_session_context_tells_the_agent_which_harness_files_it_may_not_write()
    {
        Assert.Contains(".claude/progress/session-start.json", HarnessFiles.AgentRules);
        Assert.Contains("you may edit .claude/progress/feature-list.json", HarnessFiles.AgentRules);
    }
}
