using System.Text.Json;
using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>
/// A temporary git repository holding projects that reference the packed Harness.Build, with its
/// own nuget.config and empty Directory.Build.props/targets so nothing above the temp folder applies.
/// </summary>
internal sealed class BuildRepo : IDisposable
{
    private readonly PackageFeed _feed;

    private BuildRepo(PackageFeed feed, TempGitRepo repo)
    {
        _feed = feed;
        Git = repo;
    }

    public TempGitRepo Git { get; }

    public string Root => Git.Path;

    public string StateFile => ProjectFiles.StatePath(Root);

    /// <summary>One project, App.csproj, at the repository root.</summary>
    public static BuildRepo WithProject(PackageFeed feed) => Create(feed, ("App.csproj", null));

    /// <summary>A solution of two projects in A/ and B/, B referencing A.</summary>
    public static BuildRepo WithSolution(PackageFeed feed)
    {
        var repo = Create(feed, ("A/A.csproj", null), ("B/B.csproj", "../A/A.csproj"));
        repo.Git.WriteFile("Two.slnx", """
            <Solution>
              <Project Path="A/A.csproj" />
              <Project Path="B/B.csproj" />
            </Solution>
            """);
        return repo;
    }

    /// <summary>Commits everything written so far (the projects, the harness files).</summary>
    public void Commit(string message = "setup") => Git.Commit(message);

    /// <summary><c>dotnet msbuild -restore -t:targets -getProperty:...</c> and the property values it printed.</summary>
    public (DotnetResult Result, IReadOnlyDictionary<string, string> Properties, JsonElement? Items) MSBuild(
        string targets, string[] properties, string[]? items = null, IReadOnlyDictionary<string, string>? environment = null, params string[] extra)
    {
        var args = new List<string> { "msbuild", "-restore", $"-t:{targets}", "-nodeReuse:false", "-tl:off" };
        args.AddRange(properties.Select(p => $"-getProperty:{p}"));
        args.AddRange((items ?? []).Select(i => $"-getItem:{i}"));
        args.AddRange(extra);
        var result = Dotnet.Run(Root, environment ?? _feed.Environment(), [.. args]);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonElement? itemValues = null;
        if (result.ExitCode == 0)
        {
            var json = result.StandardOutput[result.StandardOutput.IndexOf('{')..];
            using var doc = JsonDocument.Parse(json);
            foreach (var p in doc.RootElement.GetProperty("Properties").EnumerateObject())
            {
                values[p.Name] = p.Value.GetString() ?? "";
            }

            if (doc.RootElement.TryGetProperty("Items", out var i))
            {
                itemValues = i.Clone();
            }
        }

        return (result, values, itemValues);
    }

    /// <summary><c>dotnet build</c> of the repository (its only project, or the solution).</summary>
    public DotnetResult Build(params string[] extra) =>
        Dotnet.Run(Root, _feed.Environment(), ["build", "-nodeReuse:false", "--disable-build-servers", "-tl:off", .. extra]);

    public void Dispose() => Git.Dispose();

    private static BuildRepo Create(PackageFeed feed, params (string Path, string? Reference)[] projects)
    {
        var repo = new BuildRepo(feed, TempGitRepo.Init());
        try
        {
            repo.Git.WriteFile("nuget.config", feed.NuGetConfig());
            repo.Git.WriteFile("Directory.Build.props", "<Project />\n");
            repo.Git.WriteFile("Directory.Build.targets", "<Project />\n");
            repo.Git.WriteFile(".gitignore", "bin/\nobj/\n");
            foreach (var (path, reference) in projects)
            {
                repo.Git.WriteFile(path, ProjectXml(feed.Version, reference));
                repo.Git.WriteFile(Path.Combine(Path.GetDirectoryName(path)!, "Code.cs"), "namespace Generated;\n\npublic static class Code\n{\n}\n");
            }

            return repo;
        }
        catch
        {
            repo.Dispose();
            throw;
        }
    }

    private static string ProjectXml(string version, string? reference) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <RootNamespace>Generated</RootNamespace>
            <AssemblyName>$(MSBuildProjectName)</AssemblyName>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Harness.Build" Version="{version}" />
            {(reference is null ? "" : $"<ProjectReference Include=\"{reference}\" />")}
          </ItemGroup>

          <!-- The other tasks, after the entry: features as items, the recorded state. -->
          <Target Name="TestReport" DependsOnTargets="HarnessEntry">
            <HarnessFeatureReport ProjectDirectory="$(HarnessProjectRoot)" Status="$(TestFeatureStatus)">
              <Output TaskParameter="Features" ItemName="TestFeature" />
            </HarnessFeatureReport>
            <HarnessGetState ProjectDirectory="$(HarnessProjectRoot)">
              <Output TaskParameter="State" PropertyName="TestRecordedState" />
              <Output TaskParameter="Dirty" PropertyName="TestRecordedDirty" />
            </HarnessGetState>
          </Target>

          <!-- The docs' example: a target that reads $(HarnessNextState). -->
          <Target Name="TestNextStateMessage" AfterTargets="HarnessEntry" Condition="'$(HarnessNextState)' == 'IMPLEMENT'">
            <Message Importance="High" Text="Next up: $(HarnessNextFeature)" />
          </Target>
        </Project>
        """;
}
