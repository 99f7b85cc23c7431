using System.Globalization;
using System.Text;
using Harness.Core.Loop;

namespace Harness.Core.Ci;

/// <summary>
/// The autonomous loop's result as CI sees it: a warning annotation when it stopped short, step
/// outputs, the session table as the job summary and the step result. One routine for every front
/// (the CLI's <c>harness loop</c> today; the same names as the MSBuild HarnessLoop outputs).
/// </summary>
internal static class LoopCi
{
    /// <summary>The step outputs, named like the MSBuild <c>HarnessLoop*</c> properties.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Outputs(LoopResult r) =>
    [
        new("stop_reason", r.StopReason.ToString()),
        new("finished", r.Finished ? "true" : "false"),
        new("sessions", r.Sessions.Count.ToString(CultureInfo.InvariantCulture)),
        new("total_cost_usd", r.TotalCostUsd.ToString("0.00####", CultureInfo.InvariantCulture)),
        new("features_done", r.FeaturesDone.ToString(CultureInfo.InvariantCulture)),
        new("features_total", r.FeaturesTotal.ToString(CultureInfo.InvariantCulture)),
        new("blocked_features", string.Join(",", r.BlockedFeatures)),
    ];

    /// <summary>
    /// Everything the loop publishes once it has stopped: the stopped-short warning, outputs,
    /// summary and the step result (succeeded when finished, with issues otherwise: the loop did
    /// its job; whether stopping short fails the job is the exit code's business).
    /// </summary>
    public static void Publish(ICiReporter ci, LoopResult r)
    {
        if (StoppedShortAnnotation(r) is { } annotation)
        {
            ci.Annotate(annotation);
        }

        ci.SetOutputs(Outputs(r));
        ci.AppendSummary(SummaryMarkdown(r));
        ci.Complete(r.Finished ? CiResult.Succeeded : CiResult.SucceededWithIssues, r.Finished ? null : $"loop stopped short: {r.StopReason}");
    }

    /// <summary>Null when the project is done with nothing blocked; else a warning with the reason.</summary>
    public static CiAnnotation? StoppedShortAnnotation(LoopResult r)
    {
        if (r.Finished)
        {
            return null;
        }

        var blocked = r.BlockedFeatures.Count > 0 ? $" Blocked: {string.Join(", ", r.BlockedFeatures)} (set them back to pending to retry)." : "";
        return new CiAnnotation(
            AnnotationLevel.Warning,
            string.Create(CultureInfo.InvariantCulture, $"The loop stopped short ({r.StopReason}): {r.Message}. {r.FeaturesDone} of {r.FeaturesTotal} features done after {r.Sessions.Count} sessions.{blocked}"))
        {
            Title = "harness loop: stopped short",
        };
    }

    /// <summary>The session table and the totals, as markdown for the job summary.</summary>
    public static string SummaryMarkdown(LoopResult r)
    {
        var s = new StringBuilder();
        const string nl = "\n";
        var icon = r.Finished ? "✅ " : "⚠️ ";
        s.Append("### Harness loop: ").Append(icon).Append(r.StopReason).Append(nl).Append(nl);
        s.Append(EntryCi.Cell(r.Message)).Append(nl).Append(nl);
        if (r.Sessions.Count > 0)
        {
            s.Append("| # | State | Feature | Outcome | Retries | Cost | Tokens | Duration | Features done |").Append(nl);
            s.Append("|--:|---|---|---|--:|--:|--:|--:|--:|").Append(nl);
            foreach (var x in r.Sessions)
            {
                var outcome = x.ExitReason;
                if (x.BlockedFeature is not null)
                {
                    outcome += $" ({x.BlockedFeature} blocked)";
                }

                if (x.IntegrityViolations.Count > 0)
                {
                    outcome += string.Create(CultureInfo.InvariantCulture, $" ({x.IntegrityViolations.Count} list edits undone)");
                }

                s.Append(string.Create(CultureInfo.InvariantCulture,
                    $"| {x.Iteration} | {x.State} | {EntryCi.Cell(x.FeatureId ?? "-")} | {EntryCi.Cell(outcome)} | {x.Retries} | ${x.CostUsd:0.00} | {x.InputTokens + x.OutputTokens} | {Seconds(x.Duration)} | {x.FeaturesDoneAfter}/{x.FeaturesTotal} |")).Append(nl);
            }

            s.Append(nl);
        }
        else
        {
            s.Append("No session ran.").Append(nl).Append(nl);
        }

        s.Append("| | |").Append(nl).Append("|---|---|").Append(nl);
        Row(s, "Stop reason", r.StopReason.ToString());
        Row(s, "Finished", r.Finished ? "yes" : "no");
        Row(s, "Sessions", r.Sessions.Count.ToString(CultureInfo.InvariantCulture));
        Row(s, "Features", string.Create(CultureInfo.InvariantCulture, $"{r.FeaturesDone} of {r.FeaturesTotal} done"));
        Row(s, "Blocked", r.BlockedFeatures.Count == 0 ? "none" : EntryCi.Cell(string.Join(", ", r.BlockedFeatures)));
        Row(s, "Cost", string.Create(CultureInfo.InvariantCulture, $"${r.TotalCostUsd:0.00}"));
        Row(s, "Tokens", r.TotalTokens.ToString(CultureInfo.InvariantCulture));
        Row(s, "Duration", Seconds(r.Duration));
        return s.ToString();
    }

    private static string Seconds(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0} s");

    private static void Row(StringBuilder s, string name, string value) => s.Append("| ").Append(name).Append(" | ").Append(value).Append(" |\n");
}
