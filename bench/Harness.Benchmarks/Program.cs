using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

internal static class Program
{
    // Pick benchmarks with --filter, e.g.  -- --filter '*Entry*'   (see bench/README.md).
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
