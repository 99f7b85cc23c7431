using System.CommandLine;
using Harness.Cli.Commands;

namespace Harness.Cli;

internal static class Program
{
    private static Task<int> Main(string[] args)
    {
        var root = new RootCommand("harness: session lifecycle for autonomous coding agents (entry protocol, state, features, checkpoints, guard, loop).");
        root.Subcommands.Add(EntryCommand.Create());
        root.Subcommands.Add(StateCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(CheckpointCommand.Create());
        root.Subcommands.Add(SummaryCommand.Create());
        root.Subcommands.Add(SummaryCommand.CreateMetrics());
        root.Subcommands.Add(GuardCommand.Create());
        root.Subcommands.Add(LoopCommand.Create());

        // Ctrl+C and SIGTERM cancel the command's token; the loop then kills the agent and hands off
        // (summary, checkpoint, metrics), which can take longer than System.CommandLine's 2 s default.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
        return root.Parse(args).InvokeAsync(invocation);
    }
}
