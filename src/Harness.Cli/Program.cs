using System.CommandLine;
using Harness.Cli.Commands;

namespace Harness.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // The guard runs on every tool call of the agent: no async machinery, no System.CommandLine.
        if (FastPath.TryParseGuard(args, out var guardProject))
        {
            return GuardCommand.Run(guardProject);
        }

        return MainAsync(args).GetAwaiter().GetResult();
    }

    private static async Task<int> MainAsync(string[] args)
    {
        if (FastPath.TryParseEntry(args) is { } entry)
        {
            return await FastPath.RunAsync(token => EntryCommand.RunAsync(entry, token)).ConfigureAwait(false);
        }

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
        return await root.Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
    }
}
