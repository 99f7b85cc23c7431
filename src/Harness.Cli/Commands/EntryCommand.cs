using System.CommandLine;
using Harness.Cli.Output;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.State;

namespace Harness.Cli.Commands;

/// <summary><c>harness entry</c>: the session entry protocol.</summary>
internal static class EntryCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var noHealth = new Option<bool>("--no-health") { Description = "Do not run the health check; use the health recorded by the last entry." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check everything, write nothing (no state.json, no lock)." };
        var failOnBroken = new Option<bool>("--fail-on-broken") { Description = "Exit with code 3 when the health check says the app is broken." };

        var command = new Command("entry", "Run the session entry protocol: safety checks, state, features, next state and context.")
        {
            project, json, verbose, noHealth, dryRun, failOnBroken,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var entry = new SessionEntry(new GitCli(), new ConsoleHost(parse.GetValue(verbose)));
            var report = await entry.RunAsync(
                new EntryOptions
                {
                    ProjectDirectory = parse.GetValue(project),
                    RunHealthCheck = !parse.GetValue(noHealth),
                    DryRun = parse.GetValue(dryRun),
                },
                cancellationToken).ConfigureAwait(false);

            Console.Out.WriteLine(parse.GetValue(json)
                ? HarnessJson.Serialize(report)
                : EntryReportText.Format(report));
            return parse.GetValue(failOnBroken) && report.HealthStatus == HealthStatus.BROKEN ? ExitCodes.Broken : ExitCodes.Ok;
        }));
        return command;
    }
}
