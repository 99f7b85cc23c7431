using System.CommandLine;
using Harness.Cli.Commands;

namespace Harness.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (FastPath.TryParseEntry(args) is { } entry)
        {
            return await FastPath.RunAsync(token => EntryCommand.RunAsync(entry, token)).ConfigureAwait(false);
        }

        var root = new RootCommand("harness: session lifecycle for autonomous coding agents (entry protocol, state, features).");
        root.Subcommands.Add(EntryCommand.Create());
        root.Subcommands.Add(StateCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(CheckpointCommand.Create());
        root.Subcommands.Add(SummaryCommand.Create());
        root.Subcommands.Add(SummaryCommand.CreateMetrics());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
