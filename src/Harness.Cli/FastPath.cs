using Harness.Cli.Commands;

namespace Harness.Cli;

/// <summary>
/// A second front door for the commands that run on every agent session. Setting up
/// System.CommandLine costs about 10 ms of a ~90 ms <c>harness entry</c> (measured with
/// bench/entry-vs-seed.sh), so a command line made only of options this class knows is matched
/// here; anything else (help, a typo, a missing value) goes to System.CommandLine, which owns
/// help and error messages. Both doors call the same command body.
/// </summary>
internal static class FastPath
{
    /// <summary>
    /// <c>harness guard [--project DIR]</c>: the hook Claude Code runs on every tool call. Returns
    /// false (no match) for anything else, which System.CommandLine then handles.
    /// </summary>
    public static bool TryParseGuard(string[] args, out string? project)
    {
        project = null;
        if (args.Length == 0 || args[0] != GuardCommand.Name)
        {
            return false;
        }

        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--project" or "-p" && project is null && i + 1 < args.Length && !args[i + 1].StartsWith('-'))
            {
                project = args[++i];
            }
            else if (project is null && arg.StartsWith("--project=", StringComparison.Ordinal) && arg.Length > "--project=".Length)
            {
                project = arg["--project=".Length..];
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    public static EntryArguments? TryParseEntry(string[] args)
    {
        if (args.Length == 0 || args[0] != EntryCommand.Name)
        {
            return null;
        }

        string? project = null;
        bool json = false, verbose = false, noHealth = false, dryRun = false, failOnBroken = false;
        Harness.Core.Entry.CrashPolicy? onCrash = null;
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--json": json = true; break;
                case "--verbose" or "-v": verbose = true; break;
                case "--no-health": noHealth = true; break;
                case "--dry-run": dryRun = true; break;
                case "--fail-on-broken": failOnBroken = true; break;
                case "--on-crash" when onCrash is null && i + 1 < args.Length && Harness.Core.Entry.CrashPolicyNames.Parse(args[i + 1]) is { } policy:
                    onCrash = policy;
                    i++;
                    break;
                case "--project" or "-p" when project is null && i + 1 < args.Length && !args[i + 1].StartsWith('-'):
                    project = args[++i];
                    break;
                default:
                    if (project is null && arg.StartsWith("--project=", StringComparison.Ordinal) && arg.Length > "--project=".Length)
                    {
                        project = arg["--project=".Length..];
                        break;
                    }

                    return null;
            }
        }

        return new EntryArguments(project, json, verbose, noHealth, dryRun, failOnBroken, onCrash ?? Harness.Core.Entry.CrashPolicy.Keep);
    }

    /// <summary>Ctrl+C and SIGTERM cancel the command, as System.CommandLine's invocation does.</summary>
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> command)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                cancel.Cancel();
            });
        try
        {
            return await command(cancel.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
