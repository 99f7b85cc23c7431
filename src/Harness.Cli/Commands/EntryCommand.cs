using System.CommandLine;
using Harness.Cli.Output;
using Harness.Core.Project;
using Harness.Core.Ci;
using Harness.Core.Entry;
using Harness.Core.Errors;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.State;

namespace Harness.Cli.Commands;

/// <summary>What <c>harness entry</c> was asked.</summary>
internal sealed record EntryArguments(string? Project, bool Json, bool Verbose, bool NoHealth, bool DryRun, bool FailOnBroken, CrashPolicy OnCrash = CrashPolicy.Keep);

/// <summary><c>harness entry</c>: the session entry protocol.</summary>
internal static class EntryCommand
{
    public const string Name = "entry";

    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var noHealth = new Option<bool>("--no-health") { Description = "Do not run the health check; use the health recorded by the last entry." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check everything, write nothing (no state.json, no lock)." };
        var failOnBroken = new Option<bool>("--fail-on-broken") { Description = "Exit with code 3 when the health check says the app is broken." };
        var onCrash = new Option<string>("--on-crash") { Description = "When the last session crashed (dirty: true): keep the tree (default) or rollback to the last good checkpoint (backed up first).", HelpName = "keep|rollback", DefaultValueFactory = _ => CrashPolicyNames.Keep };
        onCrash.AcceptOnlyFromAmong([.. CrashPolicyNames.All]);

        var command = new Command(Name, "Run the session entry protocol: safety checks, state, features, next state and context.")
        {
            project, json, verbose, noHealth, dryRun, failOnBroken, onCrash,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new EntryArguments(
                parse.GetValue(project),
                parse.GetValue(json),
                parse.GetValue(verbose),
                parse.GetValue(noHealth),
                parse.GetValue(dryRun),
                parse.GetValue(failOnBroken),
                CrashPolicyNames.Parse(parse.GetValue(onCrash)) ?? CrashPolicy.Keep),
            cancellationToken));
        return command;
    }

    /// <summary>The command itself, once System.CommandLine has parsed its options.</summary>
    /// <remarks>
    /// In CI (GitHub Actions, Azure DevOps) the report is also published as the system's commands:
    /// on stdout for the text report, on stderr with --json so stdout stays one JSON document. A
    /// plain environment prints exactly what it always did.
    /// </remarks>
    public static Task<int> RunAsync(EntryArguments args, CancellationToken cancellationToken) => CommonOptions.RunAsync(async () =>
    {
        var ci = CiEnvironment.CreateReporter(args.Json ? Console.Error : Console.Out);
        EntryReport report;
        try
        {
            await using var project = await HarnessProject.OpenAsync(args.Project, new ConsoleHost(args.Verbose), cancellationToken: cancellationToken).ConfigureAwait(false);
            report = await project.EnterAsync(
                new EntryOptions
                {
                    RunHealthCheck = !args.NoHealth,
                    DryRun = args.DryRun,
                    CrashPolicy = args.OnCrash,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (HarnessException ex) when (ci.IsActive)
        {
            EntryCi.PublishError(ci, ex);
            throw;
        }

        if (ci.IsActive)
        {
            // Masks first: nothing the harness prints after this may show a required_env value.
            EntryCi.MaskRequiredEnv(ci, report.RequiredEnv);
            EntryCi.HealthGroup(ci, report.Health);
        }

        if (args.Json)
        {
            Console.Out.WriteLine(HarnessJson.Serialize(report));
        }
        else
        {
            // Feature names, warnings and health output are not ours: in CI they must not act as commands.
            ci.WriteUntrusted(EntryReportText.Format(report));
        }

        var exitCode = args.FailOnBroken && report.HealthStatus == HealthStatus.BROKEN ? ExitCodes.Broken : ExitCodes.Ok;
        if (ci.IsActive)
        {
            EntryCi.Publish(ci, report, failed: exitCode != ExitCodes.Ok);
        }

        return exitCode;
    });
}
