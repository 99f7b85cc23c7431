using Harness.Core.Project;
using Harness.TestKit;

namespace Harness.Core.Tests.Project;

public class ProjectDetectionTests
{
    [Theory]
    [InlineData("package.json", "{\"dependencies\":{\"express\":\"4\"}}", "node")]
    [InlineData("package.json", "{\"dependencies\":{\"next\":\"14\"}}", "nextjs")]
    [InlineData("pyproject.toml", "[project]\nname='x'", "python")]
    [InlineData("requirements.txt", "fastapi==0.110", "fastapi")]
    [InlineData("Cargo.toml", "[package]", "rust")]
    [InlineData("go.mod", "module x", "go")]
    [InlineData("pom.xml", "<project/>", "java-maven")]
    [InlineData("Gemfile", "source 'x'", "ruby")]
    [InlineData("App.csproj", "<Project/>", "dotnet")]
    [InlineData("App.sln", "", "dotnet")]
    public void Detects_type_from_markers(string marker, string content, string expectedType)
    {
        using var dir = TempDirectory.Create();
        dir.Write(marker, content);

        var info = ProjectDetector.Detect(dir.Path);

        Assert.Equal(expectedType, info.DetectedType);
        Assert.Contains(marker, info.Markers);
    }

    [Fact]
    public void No_markers_no_type()
    {
        using var dir = TempDirectory.Create();

        var info = ProjectDetector.Detect(dir.Path);

        Assert.False(info.HasMarkers);
        Assert.Null(info.DetectedType);
    }

    [Fact]
    public void Root_is_found_upwards_from_a_subfolder_and_stops_at_the_git_top()
    {
        using var repo = TempGitRepo.Init();
        repo.WriteFile("src/deep/file.txt", "x");
        var sub = Path.Combine(repo.Path, "src", "deep");

        Assert.Equal(repo.Path, ProjectLayout.Resolve(sub).Root);

        ProjectFiles.WriteConfig(Path.Combine(repo.Path, "src"), "{}");
        Assert.Equal(Path.Combine(repo.Path, "src"), ProjectLayout.Resolve(sub).Root);
    }

    private static InitResult Init(string directory, bool dryRun = false)
    {
        using var project = TestProject.Open(directory);
        return ProjectInitializer.Initialize(project, dryRun: dryRun);
    }

    [Fact]
    public void Init_creates_starter_files_and_never_overwrites()
    {
        using var dir = TempDirectory.Create();
        dir.Write("Cargo.toml", "[package]");

        var first = Init(dir.Path);
        var config = ProjectConfigStore.Load(ProjectLayout.ForRoot(dir.Path));

        Assert.Equal("rust", first.ProjectType);
        Assert.Contains(ProjectFiles.ConfigPath(dir.Path), first.Created);
        Assert.Equal("cargo check --quiet", config.HealthCheck);
        Assert.True(Directory.Exists(Path.Combine(dir.Path, ".claude", "progress")));

        File.WriteAllText(ProjectFiles.ConfigPath(dir.Path), "{ \"project_type\": \"mine\" }");
        var second = Init(dir.Path);

        Assert.Empty(second.Created);
        Assert.Contains(ProjectFiles.ConfigPath(dir.Path), second.Existing);
        Assert.Equal("{ \"project_type\": \"mine\" }", File.ReadAllText(ProjectFiles.ConfigPath(dir.Path)));
    }

    [Fact]
    public void Init_dry_run_creates_nothing()
    {
        using var dir = TempDirectory.Create();

        var result = Init(dir.Path, dryRun: true);

        Assert.NotEmpty(result.Created);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".claude")));
    }
}
