using System.Globalization;
using System.Text;
using Harness.Core.Loop;

namespace Harness.Cli.Output;

/// <summary>The loop's text output: a live status line while it runs, a table when it ends.</summary>
internal sealed class LoopStatusLine
{
    // A terminal gets one line rewritten in place; a log (CI, a pipe) gets one line per event that matters.
    private readonly bool _live = !Console.IsErrorRedirected;
    private readonly object _gate = new();
    private int _lastLength;

    public void Show(LoopEvent e)
    {
        var text = e.Kind switch
        {
            LoopEventKind.Agent when e.AgentEvent?.ToolName is { } tool && e.Worker is { } worker => $"worker {worker}: session {e.Iteration} ({e.FeatureId}): {tool}",
            LoopEventKind.Agent when e.AgentEvent?.ToolName is { } tool => $"session {e.Iteration} ({e.State}): {tool}",
            LoopEventKind.Agent => null,
            _ => e.Message,
        };
        if (text is null)
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"[{e.FeaturesDone}/{e.FeaturesTotal} done, ${e.CostSoFar:0.00}] {text}");
        lock (_gate)
        {
            if (_live && (e.Worker is not null || _workers.Count > 0))
            {
                WriteWorkers(e, line);
            }
            else if (_live)
            {
                WriteLive(e, line);
            }
            else if (e.Kind != LoopEventKind.Agent)
            {
                Console.Error.WriteLine(e.Worker is { } worker ? $"[worker {worker}] {line}" : line);
            }

            // A failed session's own words (the agent's stderr) under its line, where the reason usually is.
            if (e.Kind == LoopEventKind.SessionEnded && e.Session is { } session && LoopText.StderrLines(session) is { Length: > 0 } stderr)
            {
                Console.Error.WriteLine(stderr);
            }
        }
    }

    /// <summary>
    /// A parallel run on a terminal: a block of one line per worker, rewritten in place (ANSI cursor
    /// moves); a session's end, a blocked feature and the stop are printed above the block and stay.
    /// </summary>
    private void WriteWorkers(LoopEvent e, string line)
    {
        var width = Math.Max(20, (Console.IsOutputRedirected ? 120 : Console.WindowWidth) - 1);
        var lasting = e.Kind is LoopEventKind.SessionEnded or LoopEventKind.Stopped or LoopEventKind.FeatureBlocked || e.Worker is null;
        if (!lasting)
        {
            _workers[e.Worker!.Value] = line;
        }
        else if (e.Kind == LoopEventKind.SessionEnded && e.Worker is { } idle)
        {
            _workers.Remove(idle);
        }

        var block = new StringBuilder();
        if (_drawn > 0)
        {
            block.Append(CultureInfo.InvariantCulture, $"\u001b[{_drawn}A\r");
        }

        if (lasting)
        {
            block.Append("\u001b[2K").Append(Fit(line, width)).Append('\n');
        }

        if (e.Kind == LoopEventKind.Stopped)
        {
            _workers.Clear();
        }

        foreach (var worker in _workers.OrderBy(w => w.Key))
        {
            block.Append("\u001b[2K").Append(Fit(worker.Value, width)).Append('\n');
        }

        // Fewer lines than last time (the run stopped): clear what is left below.
        block.Append("\u001b[J");
        _drawn = _workers.Count;
        Console.Error.Write(block.ToString());
    }

    private static string Fit(string line, int width) => line.Length > width ? line[..(width - 1)] + "…" : line;

    private readonly Dictionary<int, string> _workers = [];
    private int _drawn;

    private void WriteLive(LoopEvent e, string line)
    {
        var width = Math.Max(20, (Console.IsOutputRedirected ? 120 : Console.WindowWidth) - 1);
        var shown = line.Length > width ? line[..(width - 1)] + "…" : line;
        Console.Error.Write("\r" + shown.PadRight(_lastLength));
        _lastLength = shown.Length;
        if (e.Kind is LoopEventKind.SessionEnded or LoopEventKind.Stopped or LoopEventKind.FeatureBlocked)
        {
            Console.Error.WriteLine();
            _lastLength = 0;
        }
    }
}

internal static class LoopText
{
    public static string FormatResult(LoopResult r)
    {
        var s = new StringBuilder();
        s.AppendLine();
        if (r.Sessions.Count > 0)
        {
            s.AppendLine(" #  STATE       FEATURE  OUTCOME            RETRIES  COST       TOKENS      TIME     DONE    DENIED  ADVANCED");
        }

        foreach (var x in r.Sessions)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{x.Iteration,2}  {x.State,-10}  {x.FeatureId ?? "-",-7}  {x.ExitReason,-17}  {x.Retries,7}  {(x.CostEstimated ? "~" : " ")}${x.CostUsd,-7:0.00}  {x.InputTokens + x.OutputTokens,10}  {x.Duration.TotalSeconds,6:0}s  {x.FeaturesDoneAfter,3}/{x.FeaturesTotal,-3}  {x.PermissionDenials,6}  {(x.Advanced ? "yes" : "no")}{(x.BlockedFeature is null ? "" : $" ({x.BlockedFeature} blocked)")}{(x.IntegrityViolations.Count == 0 ? "" : $" ({x.IntegrityViolations.Count} list edits undone)")}{(x.StartFailure == Harness.Core.Agents.AgentStartFailure.None ? "" : " (never started; not charged)")}"));
        }

        if (r.Sessions.Any(x => x.CostEstimated))
        {
            s.AppendLine("~ estimated: the session ended without a result event; its cost is the usage the agent's stream showed, priced with the price table (agent.prices).");
        }

        foreach (var x in r.Sessions.Where(x => x.PermissionDenials > 0))
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Session {x.Iteration}: {Harness.Core.Agents.PermissionDenial.Describe(x.PermissionDenials, x.Denials, shown: 5)}"));
        }

        s.AppendLine();
        s.Append(string.Create(CultureInfo.InvariantCulture,
            $"Stopped: {r.StopReason} ({r.Message.TrimEnd('.')}). {r.Sessions.Count} sessions, {r.FeaturesDone} of {r.FeaturesTotal} features done, ${r.TotalCostUsd:0.00}, {r.TotalTokens} tokens, {r.Duration.TotalSeconds:0} s."));
        if (r.BlockedFeatures.Count > 0)
        {
            s.Append(string.Create(CultureInfo.InvariantCulture, $" Blocked: {string.Join(", ", r.BlockedFeatures)} (set them back to pending to retry)."));
        }

        return s.ToString();
    }

    /// <summary>The last lines of a failed session's stderr, indented under a heading; empty for a session that went fine or printed nothing.</summary>
    public static string StderrLines(LoopSessionResult session, int lines = 10)
    {
        var failed = session.Outcome is not (Harness.Core.Agents.AgentOutcome.Completed or Harness.Core.Agents.AgentOutcome.MaxTurns or Harness.Core.Agents.AgentOutcome.BudgetExceeded);
        var tail = session.StandardErrorTail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (!failed || tail.Length == 0)
        {
            return "";
        }

        return $"  session {session.Iteration} stderr (last lines):\n" + string.Join('\n', tail.TakeLast(lines).Select(l => "    " + l.TrimEnd('\r')));
    }

    public static string FormatPlan(LoopPlan plan)
    {
        var s = new StringBuilder();
        s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Next session: {plan.Entry.NextState} ({plan.Entry.NextStateReason})"));
        if (plan.Prompt is null)
        {
            s.Append("Nothing to run: the project is complete.");
            return s.ToString();
        }

        if (plan.Entry.Features.NextFeature is { } f)
        {
            s.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Feature: {f.Id} {f.Name}"));
        }

        s.AppendLine($"Agent: {plan.Agent}");
        if (plan.AgentArguments.Count > 0)
        {
            s.AppendLine("Command line:");
            foreach (var arg in plan.AgentArguments)
            {
                s.AppendLine("  " + (arg.Length > 120 ? arg[..117] + "..." : arg).Replace("\n", "\\n", StringComparison.Ordinal));
            }
        }

        s.AppendLine("Prompt:");
        s.Append(plan.Prompt);
        return s.ToString();
    }
}
