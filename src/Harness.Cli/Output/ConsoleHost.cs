using Harness.Core.Hosting;

namespace Harness.Cli.Output;

/// <summary>The CLI's <see cref="IHarnessHost"/>: diagnostics go to stderr so stdout stays clean for --json.</summary>
internal sealed class ConsoleHost(bool verbose) : IHarnessHost
{
    public void WriteVerbose(string message)
    {
        if (verbose)
        {
            Console.Error.WriteLine($"VERBOSE: {message}");
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
