using System.Runtime.Loader;
using BenchmarkDotNet.Attributes;
using Harness.Core.Features;
using Harness.Core.Project;

namespace Harness.Benchmarks;

/// <summary>
/// Reading .claude/progress/feature-list.json with 10000 features (about 7 MB) from the
/// standard fixture: the biggest single read of the entry.
/// </summary>
/// <remarks>
/// Before and after in one run: set <c>HARNESS_BENCH_BASELINE_CORE</c> to the Harness.Core.dll of
/// an earlier build (e.g. <c>git archive BASE src/Harness.Core Directory.*.props global.json</c>,
/// then <c>dotnet build -c Release -o OUT</c>). It is loaded beside this build in its own
/// AssemblyLoadContext and every benchmark runs once per <see cref="Build"/>, on the same fixture.
/// </remarks>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class FeatureListBenchmarks
{
    private const string BaselineVariable = "HARNESS_BENCH_BASELINE_CORE";

    private string _dir = string.Empty;
    private Func<object?> _load = null!;
    private Func<object?> _loadSummary = null!;

    /// <summary>"current" (this source tree), and "baseline" when <c>HARNESS_BENCH_BASELINE_CORE</c> names an earlier build.</summary>
    [ParamsSource(nameof(Builds))]
    public string Build { get; set; } = "current";

    public static IEnumerable<string> Builds() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BaselineVariable)) ? ["current"] : ["current", "baseline"];

    [GlobalSetup]
    public void Setup()
    {
        _dir = FixtureBuilder.Create();
        if (Build == "current")
        {
            var layout = ProjectLayout.ForRoot(_dir);
            _load = () => FeatureStore.Load(layout);
            _loadSummary = () => FeatureStore.LoadSummary(layout);
            return;
        }

        // The same public calls through the earlier assembly; reflection costs ~100 ns against milliseconds.
        var core = new AssemblyLoadContext("baseline").LoadFromAssemblyPath(Path.GetFullPath(Environment.GetEnvironmentVariable(BaselineVariable)!));
        var baselineLayout = core.GetType("Harness.Core.Project.ProjectLayout", throwOnError: true)!.GetMethod(nameof(ProjectLayout.ForRoot))!.Invoke(null, [_dir]);
        var store = core.GetType("Harness.Core.Features.FeatureStore", throwOnError: true)!;
        var load = store.GetMethod(nameof(FeatureStore.Load))!;
        var loadSummary = store.GetMethod(nameof(FeatureStore.LoadSummary))!;
        _load = () => load.Invoke(null, [baselineLayout]);
        _loadSummary = () => loadSummary.Invoke(null, [baselineLayout]);
    }

    [GlobalCleanup]
    public void Cleanup() => FixtureBuilder.Delete(_dir);

    /// <summary>Every record built: what `harness features` and Set-HarnessFeature pay.</summary>
    [Benchmark(Description = "FeatureStore.Load (10k features)")]
    public object? Load() => _load();

    /// <summary>Counts, problems and the next feature in one streaming pass: what the entry pays.</summary>
    [Benchmark(Baseline = true, Description = "FeatureStore.LoadSummary (10k features)")]
    public object? LoadSummary() => _loadSummary();
}
