using System.IO.Compression;
using System.Xml.Linq;

namespace Harness.Build.Tests;

/// <summary>What <c>dotnet pack src/Harness.Build</c> puts in the package, read straight from the .nupkg.</summary>
[Collection(MSBuildCollection.Name)]
public sealed class PackageLayoutTests(PackageFeed feed)
{
    [Fact]
    public void Package_holds_tasks_targets_and_transitive_forwarders_and_no_lib()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Contains("tasks/net8.0/Harness.Build.dll", entries);
        Assert.Contains("tasks/net8.0/Harness.Core.dll", entries);
        Assert.Contains("build/Harness.Build.props", entries);
        Assert.Contains("build/Harness.Build.targets", entries);
        Assert.Contains("build/Harness.Build.Entry.proj", entries);
        Assert.Contains("buildTransitive/Harness.Build.props", entries);
        Assert.Contains("buildTransitive/Harness.Build.targets", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) || e.StartsWith("ref/", StringComparison.Ordinal));
        // MSBuild's own assemblies come from the MSBuild that loads the task, never from the package.
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.Build", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Package_is_a_development_dependency_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath);
        using var stream = zip.GetEntry("Harness.Build.nuspec")!.Open();
        var nuspec = XDocument.Load(stream);
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");

        Assert.Equal("true", metadata.Elements().Single(e => e.Name.LocalName == "developmentDependency").Value);
        Assert.Empty(metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(d => d.Descendants()));
    }
}
