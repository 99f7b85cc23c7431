using System.CommandLine;
using System.Globalization;
using System.Text;
using Harness.Cli.Output;
using Harness.Core.Git;
using Harness.Core.Json;
using Harness.Core.Metrics;
using Harness.Core.Project;
using Harness.Core.Summaries;

namespace Harness.Cli.Commands;

/// <summary><c>harness summary</c> (write a session summary, or with --handoff end the session) and <c>harness metrics</c>.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var verbose = CommonOptions.Verbose();
        var session = new Option<string?>("--session") { Description = "Session id (default: session-start.json's, else state.json's).", HelpName = "ID" };
        var result = new Option<string?>("--result") { Description = "The agent's result text.", HelpName = "TEXT" };
        var cost = new Option<double?>("--cost") { Description = "Cost in USD.", HelpName = "USD" };
        var inputTokens = new Option<long?>("--input-tokens") { Description = "Input tokens used.", HelpName = "N" };
        var outputTokens = new Option<long?>("--output-tokens") { Description = "Output tokens used.", HelpName = "N" };
        var turns = new Option<int?>("--turns") { Description = "Agent turns.", HelpName = "N" };
        var exitReason = new Option<string?>("--exit-reason") { Description = "Why the session ended (completed, max_turns, timed_out, error, ...).", HelpName = "REASON" };
        var handoff = new Option<bool>("--handoff") { Description = "End the session: summary, checkpoint, dirty: false, metrics line, cleanup. A second handoff of the same session changes nothing." };
        var print = new Option<bool>("--stdout") { Description = "Print the markdown and write nothing." };
        var command = new Command("summary", "Write the session summary (.claude/progress/sessions/<UTC stamp>.md) from facts: feature changes, commits, files, decisions, blockers; --handoff ends the session.")
        {
            project, json, verbose, session, result, cost, inputTokens, outputTokens, turns, exitReason, handoff, print,
        };
        command.SetAction((parse, cancellationToken) => CommonOptions.RunAsync(async () =>
        {
            await using var opened = await HarnessProject.OpenAsync(parse.GetValue(project), new ConsoleHost(parse.GetValue(verbose)), cancellationToken: cancellationToken).ConfigureAwait(false);
            var outcome = new SessionOutcome
            {
                SessionId = parse.GetValue(session),
                ResultText = parse.GetValue(result),
                CostUsd = parse.GetValue(cost),
                InputTokens = parse.GetValue(inputTokens),
                OutputTokens = parse.GetValue(outputTokens),
                Turns = parse.GetValue(turns),
                ExitReason = parse.GetValue(exitReason),
            };
            if (parse.GetValue(handoff))
            {
                var h = await opened.HandOffAsync(outcome, cancellationToken).ConfigureAwait(false);
                Console.Out.WriteLine(parse.GetValue(json) ? HarnessJson.Serialize(h) : h.AlreadyDone
                    ? $"Session {h.SessionId} was handed off already; nothing changed."
                    : $"Handed off session {h.SessionId}: summary {h.SummaryPath}; checkpoint {h.Checkpoint?.Name ?? "none (not a git repository)"}; metrics line appended; state clean.");
                return ExitCodes.Ok;
            }

            if (parse.GetValue(print))
            {
                Console.Out.Write(opened.BuildSummary(outcome).Markdown);
                return ExitCodes.Ok;
            }

            var summary = await opened.WriteSummaryAsync(outcome, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(parse.GetValue(json) ? HarnessJson.Serialize(summary) : $"Wrote {summary.Path}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command CreateMetrics()
    {
        var project = CommonOptions.Project();
        var json = CommonOptions.Json();
        var sessions = new Option<bool>("--sessions") { Description = "Also list every session's line." };
        var command = new Command("metrics", "Aggregate .claude/progress/metrics.jsonl: sessions, cost, tokens, features per session, failure rate.") { project, json, sessions };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            using var opened = CommonOptions.Open(parse.GetValue(project));
            var layout = opened.Layout;
            var a = opened.ReadMetrics();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(HarnessJson.Serialize(a, parse.GetValue(sessions)));
                return ExitCodes.Ok;
            }

            var s = new StringBuilder();
            s.AppendLine(CultureInfo.InvariantCulture, $"Sessions:             {a.Sessions} ({a.Failed} failed, failure rate {a.FailureRate:P1})");
            s.AppendLine(CultureInfo.InvariantCulture, $"Total cost:           ${a.TotalCostUsd:0.00}");
            s.AppendLine(CultureInfo.InvariantCulture, $"Tokens:               {a.TotalTokens} ({a.TotalInputTokens} in, {a.TotalOutputTokens} out)");
            s.AppendLine(CultureInfo.InvariantCulture, $"Features completed:   {a.FeaturesCompleted} ({a.FeaturesPerSession:0.##} per session)");
            s.Append(CultureInfo.InvariantCulture, $"Time:                 {TimeSpan.FromSeconds(a.TotalDurationSeconds):c}");
            if (a.SkippedLines > 0)
            {
                s.AppendLine();
                s.Append(CultureInfo.InvariantCulture, $"Skipped {a.SkippedLines} unreadable line(s) in {layout.MetricsFile} (a torn last line after a crash, or a hand edit).");
            }

            if (parse.GetValue(sessions))
            {
                foreach (var l in a.Lines)
                {
                    s.AppendLine();
                    s.Append(CultureInfo.InvariantCulture, $"  {l.SessionId}  {l.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm}Z  {l.DurationSeconds:0}s  {l.HealthStatus}  {l.ExitReason ?? "-"}  ${l.CostUsd ?? 0:0.00}  {l.TokensUsed} tokens  {l.FeaturesCompleted} features");
                }
            }

            Console.Out.WriteLine(s.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
