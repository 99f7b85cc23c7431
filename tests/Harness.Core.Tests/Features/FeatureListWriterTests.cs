using System.Text.Json.Nodes;
using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.IO;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Features;

/// <summary>Writes of the feature list under the short lock and the compare: no writer's change is lost.</summary>
public class FeatureListWriterTests
{
    [Fact]
    public void A_hand_edit_landing_between_read_and_write_is_kept_and_the_edit_applied_on_top()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ("F2", "pending"));
        var layout = ProjectLayout.ForRoot(dir.Path);
        var handEdited = File.ReadAllText(path).Replace("\"notes\": \"\"", "\"notes\": \"by hand\"", StringComparison.Ordinal);
        var windows = 0;
        var writer = new FeatureListWriter
        {
            // The agent saves the list after the harness read it and before the harness writes.
            BeforeWrite = _ =>
            {
                if (windows++ == 0)
                {
                    File.WriteAllText(path, handEdited);
                }
            },
        };

        var updated = FeatureStore.SetStatus(layout, ["F1"], FeatureStatuses.Completed, notes: null, writer);

        var list = FeatureStore.Load(layout)!;
        Assert.Equal(2, windows); // the first write was refused by the compare, the second went through
        Assert.Equal(["completed", "pending"], list.Features.Select(f => f.Status));
        Assert.Equal(["by hand", "by hand"], list.Features.Select(f => f.Notes));
        Assert.Equal("by hand", Assert.Single(updated).Notes);
        Assert.Equal(handEdited, File.ReadAllText(path + ".bak")); // the .bak is the version replaced
    }

    [Fact]
    public void A_list_that_changes_under_every_attempt_is_left_as_its_last_writer_made_it()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"));
        var layout = ProjectLayout.ForRoot(dir.Path);
        var n = 0;
        var writer = new FeatureListWriter
        {
            Attempts = 3,
            BeforeWrite = _ => ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"), ($"hand-{++n}", "pending")),
        };

        var error = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(layout, ["F1"], FeatureStatuses.Completed, notes: null, writer));

        Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
        Assert.Contains("nothing was written", error.Message);
        Assert.Equal(3, n);
        Assert.Equal(["F1", "hand-3"], FeatureStore.Load(layout)!.Features.Select(f => f.Id));
        Assert.All(FeatureStore.Load(layout)!.Features, f => Assert.Equal("pending", f.Status));
    }

    [Fact]
    public void A_held_lock_times_out_with_an_error_naming_the_lock_file_and_its_holder()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.WriteFeatures(dir.Path, ("F1", "pending"));
        var before = File.ReadAllBytes(path);
        var lockPath = FeatureListWriter.LockPathFor(ProjectLayout.ForRoot(dir.Path), path);
        using var held = ShortFileLock.Acquire(lockPath, TimeSpan.Zero, "hold it for the test");
        var writer = new FeatureListWriter { LockPatience = TimeSpan.FromMilliseconds(200) };

        var error = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(ProjectLayout.ForRoot(dir.Path), ["F1"], FeatureStatuses.Completed, notes: null, writer));

        Assert.Equal(ErrorIds.LockHeld, error.ErrorId);
        Assert.Equal(HarnessErrorCategory.ResourceBusy, error.Category);
        Assert.Equal(lockPath, error.FilePath);
        Assert.StartsWith($"{lockPath}: locked by ", error.Message);
        Assert.Contains($"cannot update the feature list {path}", error.Message);
        if (OperatingSystem.IsLinux())
        {
            Assert.Contains("this process (another thread)", error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Threads_setting_different_features_at_once_keep_every_change()
    {
        using var dir = TempDirectory.Create();
        var ids = Enumerable.Range(1, 16).Select(i => $"F{i:00}").ToArray();
        ProjectFiles.WriteFeatures(dir.Path, ids.Select(id => (id, "pending")).ToArray());
        var layout = ProjectLayout.ForRoot(dir.Path);

        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, id => FeatureStore.SetStatus(layout, [id], FeatureStatuses.Tested));

        Assert.All(FeatureStore.Load(layout)!.Features, f => Assert.Equal("tested", f.Status));
    }

    [Fact]
    public void A_quickstart_list_keeps_its_format_and_fields_and_its_lock_and_backup_go_to_the_progress_folder()
    {
        using var dir = TempDirectory.Create();
        var path = dir.Write("feature_list.json", """
            [
              { "category": "functional", "description": "One", "steps": ["a"], "passes": false, "priority": 1 },
              { "description": "Two", "passes": false }
            ]
            """);
        var layout = ProjectLayout.ForRoot(dir.Path);

        var updated = FeatureStore.RecordFailedAttempt(layout, "F001", attemptsBefore: 0, limit: 1, "Session s1 ended without finishing it.");

        Assert.Equal(FeatureStatuses.Blocked, updated.Status);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        Assert.Equal(1, json[0]!["priority"]!.GetValue<int>());
        Assert.Equal(1, json[0]!["attempts"]!.GetValue<int>());
        Assert.False(json[0]!["passes"]!.GetValue<bool>());
        Assert.Equal("blocked", json[0]!["status"]!.GetValue<string>());
        // Not at the project root, where they would show in git status: where the table of harness files git-ignores them.
        Assert.True(File.Exists(Path.Combine(dir.Path, ".claude", "progress", "feature_list.json.lock")));
        Assert.True(File.Exists(Path.Combine(dir.Path, ".claude", "progress", "feature_list.json.bak")));
        Assert.False(File.Exists(path + ".lock"));
        Assert.False(File.Exists(path + ".bak"));
    }

    [Fact]
    public void A_feature_with_a_field_written_twice_is_refused_cleanly_and_nothing_written()
    {
        using var dir = TempDirectory.Create();
        var path = ProjectFiles.Write(ProjectFiles.FeatureListPath(dir.Path), """{ "features": [ { "id": "F1", "status": "pending", "status": "pending" } ] }""");
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<HarnessException>(() => FeatureStore.SetStatus(ProjectLayout.ForRoot(dir.Path), ["F1"], FeatureStatuses.Completed));

        Assert.Equal(ErrorIds.FeatureListInvalid, error.ErrorId);
        Assert.Contains("nothing was written", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
