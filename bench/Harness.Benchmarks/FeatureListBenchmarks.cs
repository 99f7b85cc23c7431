using BenchmarkDotNet.Attributes;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Benchmarks;

/// <summary>
/// Loading and parsing .claude/progress/feature-list.json with 10000 features
/// (about 7 MB) from the standard fixture: the biggest single read of the entry.
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

    [Benchmark(Description = "FeatureStore.Load (10k features)")]
    public object? Load() => FeatureStore.Load(_layout);
}
