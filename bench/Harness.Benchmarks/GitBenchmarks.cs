using BenchmarkDotNet.Attributes;
using Harness.Core.Git;

namespace Harness.Benchmarks;

/// <summary>
/// The git part of the entry on the standard fixture (2000 commits): rev-parse, status and log
/// run as three concurrent git processes. Shows how much of the entry is spent waiting for git.
/// </summary>
[MemoryDiagnoser]
public class GitBenchmarks
{
    private string _dir = string.Empty;
    private readonly GitCli _git = new();

    [GlobalSetup]
    public void Setup() => _dir = FixtureBuilder.Create();

    [GlobalCleanup]
    public void Cleanup() => FixtureBuilder.Delete(_dir);

    [Benchmark(Description = "GitCli.Snapshot (5 commits)")]
    public GitSnapshot Snapshot() => _git.Snapshot(_dir, 5);
}
