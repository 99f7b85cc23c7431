using Harness.Core.Features;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Cli.Tests;

/// <summary>Several writers of the feature list at once: none may lose another's change.</summary>
public class FeatureListConcurrencyTests
{
    [Fact]
    public void Two_processes_setting_different_features_at_once_keep_all_changes()
    {
        using var dir = TempDirectory.Create();
        var ids = Enumerable.Range(1, 80).Select(i => $"F{i:00}").ToArray();
        var layout = ProjectLayout.ForRoot(dir.Path);

        // Each round is one chance for the two read-modify-writes to overlap; without a lock and a
        // compare, a few rounds are enough to lose changes (72 of 80 kept was typical).
        for (var round = 0; round < 4; round++)
        {
            ProjectFiles.WriteFeatures(dir.Path, ids.Select(id => (id, "pending")).ToArray());

            var first = CliRunner.Start(dir.Path, ["features", "set", .. ids[..40], "--status", "completed"]);
            var second = CliRunner.Start(dir.Path, ["features", "set", .. ids[40..], "--status", "tested"]);
            var a = first.WaitAndCollect();
            var b = second.WaitAndCollect();

            Assert.True(a.ExitCode == 0, $"round {round}, first: exit {a.ExitCode}\n{a.StdErr}");
            Assert.True(b.ExitCode == 0, $"round {round}, second: exit {b.ExitCode}\n{b.StdErr}");
            var features = FeatureStore.Load(layout)!.Features;
            var lost = features.Where(f => f.Status == FeatureStatuses.Pending).Select(f => f.Id).ToArray();
            Assert.True(lost.Length == 0, $"round {round}: {lost.Length} of 80 changes lost: {string.Join(", ", lost)}");
            Assert.Equal(40, features.Count(f => f.Status == FeatureStatuses.Completed));
            Assert.Equal(40, features.Count(f => f.Status == FeatureStatuses.Tested));
        }
    }
}
