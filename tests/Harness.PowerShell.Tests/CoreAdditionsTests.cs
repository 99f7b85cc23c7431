using Harness.Core.Errors;
using Harness.Core.Features;
using Harness.Core.Hosting;
using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.PowerShell.Tests;

/// <summary>What the cmdlets rely on in Core: locating a project from a file or folder, and FeatureQuery.</summary>
public sealed class CoreAdditionsTests
{
    [Fact]
    public void A_feature_list_path_locates_its_project()
    {
        using var dir = TempDirectory.Create();
        var list = ProjectFiles.WriteFeatures(dir.Path, ("f1", "pending"));

        Assert.Equal(dir.Path, ProjectLayout.Locate(list).Root);
        Assert.Equal(dir.Path, ProjectLayout.Locate(dir.Path).Root);
    }

    [Fact]
    public void A_quickstart_list_path_locates_its_project()
    {
        using var dir = TempDirectory.Create();
        var list = ProjectFiles.WriteQuickstartFeatures(dir.Path, true, false);
        Directory.CreateDirectory(Path.Combine(dir.Path, ".git"));

        Assert.Equal(dir.Path, ProjectLayout.Locate(list).Root);
    }

    [Fact]
    public void A_missing_folder_is_ProjectNotFound()
    {
        using var dir = TempDirectory.Create();
        var ex = Assert.Throws<HarnessException>(() => ProjectLayout.Locate(Path.Combine(dir.Path, "nope")));
        Assert.Equal(ErrorIds.ProjectNotFound, ex.ErrorId);
    }

    [Fact]
    public void Find_filters_by_status_and_id_in_file_order()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("a", "pending"), ("b", "completed"), ("c", "in_progress"), ("d", "pending"));
        var layout = ProjectLayout.ForRoot(dir.Path);

        Assert.Equal(["a", "b", "c", "d"], FeatureQuery.Find(layout).Features.Select(f => f.Id));
        Assert.Equal(["a", "c", "d"], FeatureQuery.Find(layout, ["pending", "in_progress"]).Features.Select(f => f.Id));
        Assert.Equal(["a"], FeatureQuery.Find(layout, ["pending"], ["a", "b"]).Features.Select(f => f.Id));
        Assert.All(FeatureQuery.Find(layout).Features, f => Assert.Equal(ProjectFiles.FeatureListPath(dir.Path), f.Path));
    }

    [Fact]
    public void Unknown_ids_are_per_id_errors_and_the_rest_is_returned()
    {
        using var dir = TempDirectory.Create();
        var file = ProjectFiles.WriteFeatures(dir.Path, ("a", "pending"));

        var result = FeatureQuery.Find(ProjectLayout.ForRoot(dir.Path), ids: ["a", "zz"]);

        Assert.Equal(["a"], result.Features.Select(f => f.Id));
        var error = Assert.Single(result.Errors);
        Assert.Equal(ErrorIds.FeatureNotFound, error.ErrorId);
        Assert.Equal(HarnessErrorCategory.ObjectNotFound, error.Category);
        Assert.Equal(file, error.FilePath);
    }

    [Fact]
    public void An_unknown_status_filter_is_bad_input()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("a", "pending"));

        var ex = Assert.Throws<HarnessException>(() => FeatureQuery.Find(ProjectLayout.ForRoot(dir.Path), ["done"]));
        Assert.Equal(ErrorIds.FeatureStatusInvalid, ex.ErrorId);
        Assert.Equal(HarnessErrorCategory.InvalidArgument, ex.Category);
    }

    [Fact]
    public void No_feature_list_is_FeatureListMissing_naming_the_file()
    {
        using var dir = TempDirectory.Create();
        var layout = ProjectLayout.ForRoot(dir.Path);

        var ex = Assert.Throws<HarnessException>(() => FeatureQuery.Find(layout));
        Assert.Equal(ErrorIds.FeatureListMissing, ex.ErrorId);
        Assert.Equal(layout.FeatureListFile, ex.FilePath);
    }

    [Fact]
    public void List_problems_go_to_the_host_as_warnings()
    {
        using var dir = TempDirectory.Create();
        ProjectFiles.WriteFeatures(dir.Path, ("a", "pending"), ("a", "done"));
        var host = new RecordingHost();

        FeatureQuery.Find(ProjectLayout.ForRoot(dir.Path), host: host);

        Assert.Equal(2, host.Warnings.Count);
        Assert.Contains(host.Warnings, w => w.Contains("duplicate", StringComparison.Ordinal));
        Assert.Single(host.Verbose);
    }

    private sealed class RecordingHost : IHarnessHost
    {
        public List<string> Verbose { get; } = [];

        public List<string> Warnings { get; } = [];

        public void WriteVerbose(string message) => Verbose.Add(message);

        public void WriteWarning(string message) => Warnings.Add(message);
    }
}
