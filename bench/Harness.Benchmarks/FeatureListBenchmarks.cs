using BenchmarkDotNet.Attributes;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Benchmarks;

/// <summary>
/// Reading .claude/progress/feature-list.json with 10000 features (about 7 MB) from the
/// standard fixture: the biggest single read of the entry.
/// </summary>
[MemoryDiagnoser]
public class FeatureListBenchmarks
{
    private string _dir = string.Empty;
    private ProjectLayout _layout = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dir = FixtureBuilder.Create();
        _layout = ProjectLayout.ForRoot(_dir);
    }

    [GlobalCleanup]
    public void Cleanup() => FixtureBuilder.Delete(_dir);

    /// <summary>Every record built: what `harness features` and Set-HarnessFeature pay.</summary>
    [Benchmark(Description = "FeatureStore.Load (10k features)")]
    public object? Load() => FeatureStore.Load(_layout);

    /// <summary>Counts, problems and the next feature in one streaming pass: what the entry pays.</summary>
    [Benchmark(Baseline = true, Description = "FeatureStore.LoadSummary (10k features)")]
    public object? LoadSummary() => FeatureStore.LoadSummary(_layout);
}
