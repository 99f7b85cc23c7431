using System.CommandLine;
using System.Globalization;
using Harness.Cli.Output;
using Harness.Core.Project;
using Harness.Core.Ci;
using Harness.Core.Entry;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.Loop;

namespace Harness.Cli.Commands;

/// <summary><c>harness loop</c>: run agent sessions until the feature list is done or a limit stops it.</summary>
internal static class LoopCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = new Option<bool>("--json") { Description = "Print one JSON event per line (session starting/ended, retries, waits, the final result)." };
        var verbose = CommonOptions.Verbose();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what the next session would be (state, feature, prompt, agent command line); run and write nothing." };
        var maxIterations = new Option<int?>("--max-iterations") { Description = "Stop after this many agent sessions (default: loop.max_iterations, else unlimited).", HelpName = "N" };
        var maxCost = new Option<decimal?>("--max-cost") { Description = "Stop once the sessions cost this many US dollars in total (loop.max_cost_usd).", HelpName = "USD" };
        var maxTokens = new Option<long?>("--max-tokens") { Description = "Stop once the sessions used this many tokens in total (loop.max_tokens).", HelpName = "N" };
        var maxTime = new Option<double?>("--max-time") { Description = "Stop starting sessions, or waiting out an outage, after this many seconds (loop.max_wall_time).", HelpName = "SECONDS" };
        var sessionTimeout = new Option<double?>("--session-timeout") { Description = "Kill a session (its whole process tree) after this many seconds (loop.session_timeout).", HelpName = "SECONDS" };
        var continueDelay = new Option<double?>("--continue-delay") { Description = "Seconds to wait between sessions (loop.continue_delay, default 3).", HelpName = "SECONDS" };
        var maxRetries = new Option<int?>("--max-retries") { Description = "Retries of a crashed session or API error, with exponential backoff (loop.max_retries, default 3).", HelpName = "N" };
        var stallLimit = new Option<int?>("--stall-limit") { Description = "Stop after this many sessions in a row with no feature advanced (loop.stall_limit, default 3).", HelpName = "N" };
        var onCrash = new Option<string>("--on-crash") { Description = "What to do when a crashed session is found: keep the tree, or rollback to the last checkpoint.", DefaultValueFactory = _ => CrashPolicyNames.Keep, HelpName = "keep|rollback" };
        onCrash.AcceptOnlyFromAmong([.. CrashPolicyNames.All]);
        var noHealth = new Option<bool>("--no-health") { Description = "Do not run the health check between sessions." };
        var noGuard = new Option<bool>("--no-guard-hooks") { Description = "Do not pass the harness guard hooks to Claude Code (--settings)." };
        var parallel = new Option<int?>("--parallel") { Description = "Run up to N sessions at once, each on its own pending feature in its own git worktree, merged back when healthy (loop.parallel; docs/loop.md, \"Parallel sessions\").", HelpName = "N" };
        parallel.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1 or > 64) r.AddError("--parallel must be between 1 and 64."); });
        var agentCommand = new Option<string?>("--agent-command") { Description = "The agent to run instead of project.json's agent.command: 'claude' (Claude Code) or any command with {prompt} or {prompt_file}, else the prompt goes to stdin.", HelpName = "COMMAND" };
        var guardCommand = new Option<string?>("--guard-command") { Description = "The command the guard hooks run (default: this harness by its absolute path); ' || exit 2' is appended so a hook that cannot run blocks. Checked before the first session.", HelpName = "COMMAND" };

        var command = new Command("loop", "Run the agent session after session until every feature is done; stop with a reason on limits, budgets, stalls or repeated failures.")
        {
            project, json, verbose, dryRun, maxIterations, maxCost, maxTokens, maxTime, sessionTimeout, continueDelay, maxRetries, stallLimit, onCrash, noHealth, noGuard, parallel, agentCommand, guardCommand,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            var options = new LoopOptions
            {
                MaxIterations = parse.GetValue(maxIterations),
                MaxCostUsd = parse.GetValue(maxCost),
                MaxTokens = parse.GetValue(maxTokens),
                MaxWallTime = Seconds(parse.GetValue(maxTime)),
                SessionTimeout = Seconds(parse.GetValue(sessionTimeout)),
                ContinueDelay = Seconds(parse.GetValue(continueDelay)),
                MaxRetries = parse.GetValue(maxRetries),
                StallLimit = parse.GetValue(stallLimit),
                OnCrash = CrashPolicyNames.Parse(parse.GetValue(onCrash)) ?? CrashPolicy.Keep,
                RunHealthCheck = !parse.GetValue(noHealth),
                UseGuardHooks = !parse.GetValue(noGuard),
                GuardCommand = parse.GetValue(guardCommand),
                AgentCommand = parse.GetValue(agentCommand),
                Parallel = parse.GetValue(parallel),
            };
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), new ConsoleHost(parse.GetValue(verbose)), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(dryRun))
            {
                var plan = await opened.PlanLoopAsync(options, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(parse.GetValue(json) ? HarnessJson.Serialize(plan) : LoopText.FormatPlan(plan));
                return ExitCodes.Ok;
            }

            var display = parse.GetValue(json) ? (Action<LoopEvent>)(e => Console.Out.WriteLine(HarnessJson.SerializeLine(e))) : new LoopStatusLine().Show;
            var result = await opened.RunLoopAsync(options, display, cancellationToken).ConfigureAwait(false);
            if (!parse.GetValue(json))
            {
                Console.Out.WriteLine(LoopText.FormatResult(result));
            }

            // In CI: the stopped-short warning, step outputs, the session table as the job summary
            // (plain: nothing). With --json, stdout carries the events, so the commands go to stderr.
            LoopCi.Publish(CiEnvironment.CreateReporter(parse.GetValue(json) ? Console.Error : Console.Out), result);

            return result switch
            {
                { Finished: true } => ExitCodes.Ok,
                { StopReason: LoopStopReason.Cancelled } => 130,
                { StopReason: LoopStopReason.AgentUnavailable or LoopStopReason.GuardUnavailable } => ExitCodes.InputError,
                { StopReason: LoopStopReason.Outage } => ExitCodes.Outage,
                _ => ExitCodes.StoppedShort,
            };
        }));
        return command;
    }

    private static TimeSpan? Seconds(double? value) => value is { } v ? TimeSpan.FromSeconds(v) : null;
}
