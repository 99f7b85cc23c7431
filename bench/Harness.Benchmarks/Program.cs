using BenchmarkDotNet.Running;

namespace Harness.Benchmarks;

internal static class Program
{
    // Pick benchmarks with --filter, e.g.  -- --filter '*Entry*'   (see bench/README.md).
    // Stream-json throughput on a generated 1 GB transcript:  -- stream-json [MB] [--transcript]
    // The feature-list reader on 10 000 features in each format (seed, quickstart, Ralph):  -- feature-formats [ROUNDS]
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "stream-json") return StreamJsonThroughput.Run(args);
        if (args.Length > 0 && args[0] == "feature-formats") return FeatureFormatsComparison.Run(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
