using Harness.Core.Hosting;

namespace Harness.Cli.Output;

/// <summary>The CLI's <see cref="IHarnessHost"/>: diagnostics go to stderr so stdout stays clean for --json.</summary>
internal sealed class ConsoleHost(bool verbose) : IHarnessHost
{
    // Timestamps on verbose lines show where a slow entry spends its time.
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public void WriteVerbose(string message)
    {
        if (verbose)
        {
            Console.Error.WriteLine($"VERBOSE: [{_clock.Elapsed.TotalMilliseconds,7:0.0} ms] {message}");
        }
    }

    public void WriteWarning(string message)
    {
        // Warnings are part of the report (text and JSON); repeating them here would print them twice.
        if (verbose)
        {
            Console.Error.WriteLine($"WARNING: {message}");
        }
    }
}
