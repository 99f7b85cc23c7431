using BenchmarkDotNet.Attributes;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Hosting;
using Harness.Core.Project;

namespace Harness.Benchmarks;

/// <summary>
/// The in-process session entry protocol on the standard fixture (2000 commits,
/// 10000 features), without the health check and without writing state.json:
/// git queries, config/state/feature-list reads and the report. Target: under 10 ms.
/// </summary>
[MemoryDiagnoser]
public class EntryBenchmarks
{
    private string _dir = string.Empty;

    [GlobalSetup]
    public void Setup() => _dir = FixtureBuilder.Create();

    [GlobalCleanup]
    public void Cleanup() => FixtureBuilder.Delete(_dir);

    /// <summary>What one `harness entry --json` does after start-up: new objects, one run.</summary>
    [Benchmark(Description = "SessionEntry.RunAsync (no health check, dry run)")]
    public async Task<EntryReport> Entry()
    {
        await using var project = await HarnessProject.OpenAsync(_dir, NullHost.Instance).ConfigureAwait(false);
        return await project.EnterAsync(
            new EntryOptions { RunHealthCheck = false, DryRun = true },
            CancellationToken.None).ConfigureAwait(false);
    }
}
