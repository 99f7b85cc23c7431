using System.Reflection;
using Harness.TestKit;

namespace Harness.Build.Tests;

/// <summary>
/// One packed Harness.Build for the whole suite: packed once (no build: the test project built it),
/// into a temporary local feed, with a temporary NuGet packages folder, so a stale package from an
/// earlier run can never be restored and the machine's NuGet cache is left alone. The generated
/// projects need no package but this one, so the empty packages folder costs nothing to fill.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.Create("harness-msbuild");

    public PackageFeed()
    {
        FeedDirectory = Path.Combine(_root.Path, "feed");
        PackagesDirectory = Path.Combine(_root.Path, "packages");
        Directory.CreateDirectory(PackagesDirectory);
        var project = Metadata("HarnessBuildProject");
        var configuration = Metadata("HarnessBuildConfiguration");
        var pack = Dotnet.Run(
            Path.GetDirectoryName(project)!,
            ChildEnvironment.For(ChildEnvironment.Current(), nugetPackages: null),
            "pack", project, "-c", configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false", "--disable-build-servers");
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet pack failed: {pack}");
        }

        var package = Directory.GetFiles(FeedDirectory, "Harness.Build.*.nupkg").Single();
        PackagePath = package;
        Version = Path.GetFileNameWithoutExtension(package)["Harness.Build.".Length..];
    }

    public string FeedDirectory { get; }

    public string PackagesDirectory { get; }

    public string PackagePath { get; }

    public string Version { get; }

    /// <summary>The environment of a child build; <paramref name="inherited"/> stands for the test machine's.</summary>
    public IReadOnlyDictionary<string, string> Environment(IReadOnlyDictionary<string, string>? inherited = null) =>
        ChildEnvironment.For(inherited ?? ChildEnvironment.Current(), PackagesDirectory);

    /// <summary>A nuget.config whose only source for Harness.Build is the local feed; anything else would come from nuget.org.</summary>
    public string NuGetConfig() => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="harness-local" value="{FeedDirectory}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <packageSource key="harness-local"><package pattern="Harness.Build" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """;

    public void Dispose() => _root.Dispose();

    private static string Metadata(string key) =>
        typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");
}

[CollectionDefinition(Name)]
public sealed class MSBuildCollection : ICollectionFixture<PackageFeed>
{
    /// <summary>One collection: the builds share the feed and run one at a time (2 cores are enough for one build).</summary>
    public const string Name = "msbuild";
}
